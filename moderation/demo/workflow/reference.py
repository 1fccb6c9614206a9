"""The workflow demo's reference data: screening rules, the delay notice and
the public holidays and make-up working days (调休) of 2026 and 2027.

Rules are keyed on their pattern and holidays on their date: rows already
there, perhaps edited in the admin, are left alone.
"""

from datetime import date, timedelta

from board.models import Holiday
from moderation.models import ScreeningRule, SiteNotice

# (pattern, is a regular expression, label, needs a second approval)
SCREENING_RULES = [
    ("代开发票", False, "广告：代开发票", False),
    (r"(加|\+)\s*微信", True, "引流：加微信", False),
    ("受贿", False, "举报公职人员受贿（需两名审核员同意）", True),
]

# (first day, last day or None, name, is a make-up working day)
HOLIDAYS = [
    # 国务院办公厅关于2026年部分节假日安排的通知 (4 November 2025).
    ("2026-01-01", "2026-01-03", "元旦", False),
    ("2026-01-04", None, "元旦调休上班", True),
    ("2026-02-14", None, "春节调休上班", True),
    ("2026-02-15", "2026-02-23", "春节", False),
    ("2026-02-28", None, "春节调休上班", True),
    ("2026-04-04", "2026-04-06", "清明节", False),
    ("2026-05-01", "2026-05-05", "劳动节", False),
    ("2026-05-09", None, "劳动节调休上班", True),
    ("2026-06-19", "2026-06-21", "端午节", False),
    ("2026-09-20", None, "国庆节调休上班", True),
    ("2026-09-25", "2026-09-27", "中秋节", False),
    ("2026-10-01", "2026-10-07", "国庆节", False),
    ("2026-10-10", None, "国庆节调休上班", True),
    # 2027: the State Council's notice was not at hand when this was written.
    # These are the statutory days of 全国年节及纪念日放假办法 (2024 revision)
    # on 2027's calendar (除夕 is 5 February, 端午 9 June, 中秋 15 September),
    # without the make-up working days and without the weekdays given in
    # lieu of holidays on a weekend (1–2 May is a Saturday and Sunday).
    # Replace them in the admin with the notice's dates.
    ("2027-01-01", None, "元旦", False),
    ("2027-02-05", "2027-02-08", "春节", False),
    ("2027-04-05", None, "清明节", False),
    ("2027-05-01", "2027-05-02", "劳动节", False),
    ("2027-06-09", None, "端午节", False),
    ("2027-09-15", None, "中秋节", False),
    ("2027-10-01", "2027-10-03", "国庆节", False),
]


def seed_screening_rules() -> int:
    for pattern, is_regex, label, second in SCREENING_RULES:
        ScreeningRule.objects.get_or_create(
            pattern=pattern,
            is_regex=is_regex,
            defaults={"label": label, "needs_second_approval": second},
        )
    return len(SCREENING_RULES)


def seed_holidays() -> int:
    rows = []
    for first, last, name, is_working_day_ in HOLIDAYS:
        day, end = date.fromisoformat(first), date.fromisoformat(last or first)
        while day <= end:
            rows.append(Holiday(date=day, name=name, is_working_day=is_working_day_))
            day += timedelta(days=1)
    # Keyed on the date: days already there, perhaps edited, are left alone.
    Holiday.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def ensure_site_notice() -> None:
    """The delay notice; a migration creates it, unless an admin deleted it."""
    if not SiteNotice.objects.exists():
        SiteNotice.objects.create(
            text="近期留言较多，审核时间可能超过 24 小时，敬请谅解。"
            "您的留言审核后我们会第一时间通知您。",
            text_en="We are receiving many messages: review may take longer than "
            "24 hours. We will tell you as soon as yours has been reviewed.",
        )
