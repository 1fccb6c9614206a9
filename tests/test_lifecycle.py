"""The message lifecycle: every legal move allowed, every other one refused."""

import itertools

import pytest

from board.errors import InvalidTransition
from board.lifecycle import (
    FINAL_STATUSES,
    PUBLIC_STATUSES,
    TRANSITIONS,
    MessageStatus,
    can_transition,
    ensure_transition,
)

LEGAL = {
    ("pending", "published"),
    ("pending", "rejected"),
    ("pending", "withdrawn"),
    ("published", "accepted"),
    ("accepted", "replied"),
    ("replied", "closed"),
    ("pending", "changes_requested"),
    ("changes_requested", "pending"),
    ("changes_requested", "withdrawn"),
    ("published", "hidden"),
    ("accepted", "hidden"),
    ("replied", "hidden"),
    ("closed", "hidden"),
    ("replied", "accepted"),
    ("closed", "accepted"),
    ("hidden", "published"),
    ("hidden", "accepted"),
    ("hidden", "replied"),
    ("hidden", "closed"),
}
ALL_PAIRS = list(itertools.product(MessageStatus.values, repeat=2))


def test_api_status_names_are_the_contract():
    assert MessageStatus.values == [
        "pending",
        "published",
        "rejected",
        "withdrawn",
        "accepted",
        "replied",
        "closed",
        "changes_requested",
        "hidden",
    ]


def test_every_status_has_an_entry_in_the_transition_table():
    assert set(TRANSITIONS) == set(MessageStatus.values)


@pytest.mark.parametrize(("current", "target"), sorted(LEGAL))
def test_legal_transition_is_allowed(current, target):
    assert can_transition(current, target) is True
    ensure_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"), [pair for pair in ALL_PAIRS if pair not in LEGAL]
)
def test_illegal_transition_is_refused_with_a_clear_error(current, target):
    assert can_transition(current, target) is False
    with pytest.raises(InvalidTransition) as caught:
        ensure_transition(current, target)
    assert caught.value.status_code == 409
    assert caught.value.field == "status"
    assert str(MessageStatus(current).label) in caught.value.message


def test_groups():
    assert {"published", "accepted", "replied", "closed"} == PUBLIC_STATUSES
    assert {"rejected", "withdrawn"} == FINAL_STATUSES
