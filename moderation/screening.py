"""The automated pre-screen: findings shown as badges and used to sort.

Nothing here publishes or rejects anything; it only tells moderators where to
look, and may ask for a second moderator's approval.
"""

import re
from dataclasses import asdict, dataclass
from datetime import timedelta
from difflib import SequenceMatcher

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


def _near_duplicate(message: Message) -> Finding | None:
    since = timezone.now() - timedelta(hours=24)
    recent = (
        Message.objects.filter(author_id=message.author_id, created_at__gte=since)
        .exclude(pk=message.pk)
        .values_list("reference", "body")[:20]
    )
    for reference, body in recent:
        matcher = SequenceMatcher(None, body, message.body, autojunk=False)
        if matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO and (
            matcher.ratio() >= NEAR_DUPLICATE_RATIO
        ):
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
