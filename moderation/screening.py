"""The automated pre-screen: findings shown as badges and used to sort.

Nothing here publishes or rejects anything; it only tells moderators where to
look, and may ask for a second moderator's approval.
"""

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from board.models import Message

from .models import BlockedEmailDomain, ScreeningRule, UserBlock

MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
EMAIL = re.compile(
    r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})"
)
LINK = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
NEAR_DUPLICATE_RATIO = 0.85
# Characters per shingle: Chinese has no spaces, so the text is cut into
# overlapping runs of characters rather than words. Three characters keep
# common two-character words ("小区", "部门") from matching on their own.
SHINGLE_SIZE = 3
# Everything but letters and digits (whitespace, punctuation of any script).
_NOT_WORD = re.compile(r"[\W_]+")

LABELS = {
    "rule": _("Sensitive words"),
    "links": _("Many links"),
    "phone": _("Mobile number in text"),
    "id_number": _("ID number in text"),
    "email": _("Email address in text"),
    "near_duplicate": _("Near-duplicate of the author's recent message"),
    "new_account": _("New account"),
    "held": _("Author restricted"),
}


@dataclass(frozen=True)
class Finding:
    code: str
    detail: str = ""
    needs_second_approval: bool = False


def is_valid_id_number(digits17: str, check: str) -> bool:
    """GB 11643 checksum, so long order numbers are not taken for IDs."""
    total = sum(int(d) * w for d, w in zip(digits17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11] == check.upper()


def find_id_numbers(text: str) -> list[str]:
    found = []
    for match in ID_NUMBER.finditer(text):
        number = "".join(match.groups())
        if is_valid_id_number(number[:17], number[17]):
            found.append(number)
    return found


def mask_personal_data(text: str) -> str:
    """Mask mobile numbers, ID numbers and email addresses for publication."""

    def mask_id(match):
        number = "".join(match.groups())
        if not is_valid_id_number(number[:17], number[17]):
            return match.group(0)
        return f"{match.group(1)}********{match.group(3)[-4:]}"

    text = ID_NUMBER.sub(mask_id, text)
    text = MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return EMAIL.sub(lambda m: f"{m.group(1)}***{m.group(2)}", text)


def _rule_findings(text: str) -> list[Finding]:
    findings = []
    lowered = text.lower()
    for rule in ScreeningRule.objects.filter(is_active=True):
        if rule.is_regex:
            try:
                matched = re.search(rule.pattern, text, re.IGNORECASE) is not None
            except re.error:
                continue
        else:
            matched = rule.pattern.lower() in lowered
        if matched:
            findings.append(
                Finding(
                    "rule", rule.label, needs_second_approval=rule.needs_second_approval
                )
            )
    return findings


def normalise_for_comparison(text: str) -> str:
    """Text as compared for near-duplicates: NFKC, case-folded, only letters
    and digits (so full-width and half-width forms, spacing and punctuation
    do not hide a copy)."""
    # Punctuation first: Chinese full-width punctuation is what usually
    # keeps a text from being NFKC already, and normalising costs as much
    # as the whole comparison; is_normalized is a quick check.
    text = _NOT_WORD.sub("", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = _NOT_WORD.sub("", unicodedata.normalize("NFKC", text))
    return text.casefold()


def _grams(text: str) -> list[str]:
    """The overlapping ``SHINGLE_SIZE``-character runs of ``text``, in order
    (the whole text when it is shorter)."""
    if len(text) <= SHINGLE_SIZE:
        return [text] if text else []
    return [
        text[start : start + SHINGLE_SIZE]
        for start in range(len(text) - SHINGLE_SIZE + 1)
    ]


def _covered(text: str, grams: list[str], other: set[str]) -> int:
    """How many characters of ``text`` lie in one of its ``grams`` that
    ``other`` also has."""
    if len(text) <= SHINGLE_SIZE:
        return len(text) if text in other else 0
    # One byte per character, 1 where a shared gram starts; a character is
    # covered when a gram starting at it or at one of the SHINGLE_SIZE - 1
    # characters before it is shared. Done on one big integer, so the loop
    # over the characters runs in C.
    hits = bytes(map(other.__contains__, grams)) + bytes(SHINGLE_SIZE - 1)
    starts = int.from_bytes(hits, "big")
    covered = starts
    for shift in range(1, SHINGLE_SIZE):
        covered |= starts >> (8 * shift)
    return len(text) - covered.to_bytes(len(text), "big").count(0)


def similarity(first: str, second: str) -> float:
    """How much of two normalised texts is shared, from 0 to 1.

    Like ``difflib.SequenceMatcher.ratio()`` it is 2·M / T, with M the
    characters in common and T both lengths together; here a character is
    "in common" when a run of ``SHINGLE_SIZE`` characters containing it
    (a shingle) occurs in the other text. That takes time linear in the
    lengths (sets of shingles) instead of quadratic, and moved paragraphs
    still count as copied.
    """
    grams = _grams(first)
    return _similarity(first, grams, set(grams), second)


def _similarity(first: str, grams: list[str], shingles: set[str], second: str):
    total = len(first) + len(second)
    if total == 0:
        return 1.0
    # The bound SequenceMatcher.real_quick_ratio() uses: no need to look
    # at the characters when the lengths alone rule a match out.
    length_bound = 2 * min(len(first), len(second)) / total
    if length_bound < NEAR_DUPLICATE_RATIO:
        return length_bound
    second_grams = _grams(second)
    matched = _covered(first, grams, set(second_grams)) + _covered(
        second, second_grams, shingles
    )
    return matched / total


def _near_duplicate(message: Message) -> Finding | None:
    """The author's most recent similar message of the last day, if any.

    At most ``ZHITONG_PRESCREEN_DUPLICATE_HISTORY`` messages are compared,
    newest first, each in time linear in its length, so the cost is bounded
    whatever the author has written before.
    """
    since = timezone.now() - timedelta(hours=24)
    recent = (
        Message.objects.filter(author_id=message.author_id, created_at__gte=since)
        .exclude(pk=message.pk)
        .order_by("-created_at", "-pk")
        .values_list("reference", "body")[
            : settings.ZHITONG_PRESCREEN_DUPLICATE_HISTORY
        ]
    )
    text = normalise_for_comparison(message.body)
    grams = _grams(text)
    shingles = set(grams)
    for reference, body in recent:
        earlier = normalise_for_comparison(body)
        if _similarity(text, grams, shingles, earlier) >= NEAR_DUPLICATE_RATIO:
            return Finding("near_duplicate", reference)
    return None


def held_reason_for(user) -> str:
    """Why this user's submissions are held, or "" when they are not."""
    block = UserBlock.objects.filter(user=user, lifted_at__isnull=True).first()
    if block is not None:
        return block.reason
    blocked = BlockedEmailDomain.blocking(user.email)
    if blocked is not None:
        return blocked.reason
    return ""


def screen_message(message: Message) -> list[Finding]:
    text = f"{message.title}\n{message.body}"
    findings = _rule_findings(text)
    links = len(LINK.findall(message.body))
    if links > settings.ZHITONG_PRESCREEN_MAX_LINKS:
        findings.append(Finding("links", str(links)))
    if MOBILE.search(text):
        findings.append(Finding("phone"))
    if find_id_numbers(text):
        findings.append(Finding("id_number"))
    if EMAIL.search(text):
        findings.append(Finding("email"))
    duplicate = _near_duplicate(message)
    if duplicate is not None:
        findings.append(duplicate)
    age = timezone.now() - message.author.date_joined
    if age < timedelta(days=settings.ZHITONG_PRESCREEN_NEW_ACCOUNT_DAYS):
        findings.append(Finding("new_account"))
    if message.held_reason:
        findings.append(Finding("held", message.held_reason))
    return findings


def apply_screening(message: Message) -> None:
    """Store the findings on the message (the caller saves it)."""
    findings = screen_message(message)
    message.prescreen_flags = [asdict(finding) for finding in findings]
    message.prescreen_score = len(findings)
    message.needs_second_approval = any(f.needs_second_approval for f in findings)


def finding_label(code: str) -> str:
    return str(LABELS.get(code, code))


def screen_submission(message: Message, author) -> None:
    """board's submission hook: the author's hold, then the findings."""
    message.held_reason = held_reason_for(author)
    apply_screening(message)
