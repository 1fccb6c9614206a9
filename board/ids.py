"""Row ids from the outside world: one bounded parser for HTML forms, the
API, socket frames and URL paths.

An id is a whole number from 1 to ``MAX_ID`` written in ASCII digits.
Anything else (a sign, a space inside, the digit "³" that ``str.isdigit()``
accepts and ``int()`` refuses, a number no column can hold) is no id: it
finds no row, so a lookup answers "not found" rather than overflowing the
database driver.
"""

# The largest value a primary key column holds; a larger id is no row, and
# asking the database for it would overflow instead.
MAX_ID = 2**63 - 1
# Digits of MAX_ID: a longer text is refused before int() reads it.
MAX_ID_DIGITS = len(str(MAX_ID))


def parse_id(value) -> int | None:
    """``value`` as a row id, or None when it cannot be one.

    Takes an int (not a bool) or text of ASCII digits, surrounding
    whitespace allowed.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not (0 < len(text) <= MAX_ID_DIGITS and text.isascii() and text.isdigit()):
            return None
        number = int(text)
    else:
        return None
    return number if 0 < number <= MAX_ID else None


def parse_after(value) -> int | None:
    """A "the last id I have" position: 0 (or nothing) for none, else a
    whole number, capped at ``MAX_ID`` (beyond every row is still "after
    all of them"); None when it is no whole number."""
    if value is None:
        return 0
    if type(value) is int:  # not a bool
        return min(value, MAX_ID) if value >= 0 else None
    if not isinstance(value, str):
        return None
    text = value.strip().lstrip("0")
    if not text:  # "", "0", "000": none yet
        return 0
    if not (text.isascii() and text.isdigit()):
        return None
    if len(text) > MAX_ID_DIGITS:
        return MAX_ID
    return min(int(text), MAX_ID)


def parse_ids(values) -> list[int]:
    """The values that are row ids, in order; the others are dropped."""
    return [number for number in map(parse_id, values) if number is not None]


class IdConverter:
    """The ``<id:…>`` path converter: a row id, anything else no match (404)."""

    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            # Django reads a ValueError as "this pattern does not match".
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(int(value))
