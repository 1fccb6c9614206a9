"""The working calendar, star-imported by base.py."""

from .environment import env_bool

# The first `migrate` fills an empty calendar with the State Council's
# holidays and make-up working days (board.signals, import_holidays).
# config/settings/test.py turns it off: each test adds the days it needs.
ZHITONG_IMPORT_HOLIDAYS_ON_MIGRATE = env_bool(
    "ZHITONG_IMPORT_HOLIDAYS_ON_MIGRATE", True
)
