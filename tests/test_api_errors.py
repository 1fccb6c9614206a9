"""board.api.exception_handler: domain errors as field-level JSON."""

import pytest
from django.http import Http404
from rest_framework.exceptions import ValidationError

from board.api.common import exception_handler
from board.errors import InvalidTransition, NotAllowed, ValidationFailed


def test_validation_failed_names_its_field():
    response = exception_handler(
        ValidationFailed("Too long.", field="title", code="too_long"), {}
    )

    assert response.status_code == 400
    assert response.data == {"title": ["Too long."], "code": "too_long"}


def test_error_without_field_is_detail():
    response = exception_handler(NotAllowed("Log in first."), {})

    assert response.status_code == 403
    assert response.data == {"detail": "Log in first.", "code": "permission_denied"}


def test_invalid_transition_is_409_on_status():
    response = exception_handler(InvalidTransition("Already withdrawn."), {})

    assert response.status_code == 409
    assert response.data == {
        "status": ["Already withdrawn."],
        "code": "invalid_transition",
    }


def test_lazy_message_becomes_text():
    from django.utils.translation import gettext_lazy

    response = exception_handler(
        ValidationFailed(gettext_lazy("Write a title."), field="title"), {}
    )

    assert isinstance(response.data["title"][0], str)


@pytest.mark.parametrize(
    ("exc", "status_code"),
    [(Http404(), 404), (ValidationError({"body": ["Required."]}), 400)],
)
def test_other_errors_go_to_drf(exc, status_code):
    response = exception_handler(exc, {})

    assert response.status_code == status_code


def test_unexpected_errors_are_not_handled():
    assert exception_handler(RuntimeError("boom"), {}) is None
