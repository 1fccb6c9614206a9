"""Who may act on a message: 401 for anonymous callers, 404 for a message the
caller may not see, 403 for one they see but may not act on, and the refusal
comes before any look at the input."""

import pytest

from board.lifecycle import MessageStatus
from board.models import (
    FollowUp,
    MessageEvent,
    Rating,
    Reply,
    Transfer,
    TransferRequest,
)
from tests.factories import (
    DepartmentFactory,
    HandlerUserFactory,
    OfficialFactory,
    ReplyFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HANDLING = {
    "accept": {},
    "transfer": {"to_department": "{department}", "reason": "职责调整"},
    "replies": {"body": "已处理。", "final": False},
    "extend": {"working_days": 5, "reason": "需协调"},
}
AUTHORS = {
    "rating": {"attitude": 5, "speed": 5, "resolved": 5},
    "follow-ups": {"body": "还没修好。"},
}


def post(api_client, user, message_id, endpoint, data):
    api_client.force_authenticate(user)
    department = DepartmentFactory()
    data = {
        key: value.format(department=department.pk) if key == "to_department" else value
        for key, value in data.items()
    }
    return api_client.post(
        f"/api/v1/messages/{message_id}/{endpoint}/", data, format="json"
    )


def nothing_changed(message, status):
    message.refresh_from_db()
    assert message.status == status
    assert message.transfer_count == 0
    assert message.extended_by_days == 0
    assert not MessageEvent.objects.filter(message=message).exists()
    assert not Transfer.objects.exists()
    assert not TransferRequest.objects.exists()
    assert not Rating.objects.exists()
    assert not FollowUp.objects.exists()


@pytest.fixture
def routed(citizen, official):
    """Accepted and routed to ``official``; public unless made private."""

    def make(is_public=True, status=MessageStatus.ACCEPTED):
        return RoutedMessageFactory(
            author=citizen,
            addressee_official=official,
            region=official.region,
            status=status,
            is_public=is_public,
        )

    return make


def stranger(kind):
    if kind == "official":
        return OfficialFactory(user=UserFactory(official=True)).user
    if kind == "handler":
        return HandlerUserFactory()
    return UserFactory(citizen=True)


# --- Anonymous ---------------------------------------------------------------


@pytest.mark.parametrize("endpoint", [*HANDLING, *AUTHORS])
def test_anonymous_is_401(api_client, routed, endpoint):
    message = routed()

    response = post(
        api_client, None, message.pk, endpoint, {**HANDLING, **AUTHORS}[endpoint]
    )

    assert response.status_code == 401
    nothing_changed(message, MessageStatus.ACCEPTED)


def test_anonymous_sign_off_is_401(api_client):
    reply = ReplyFactory(status="draft")

    assert api_client.post(f"/api/v1/replies/{reply.pk}/sign-off/").status_code == 401


# --- Officials and staff not routed to ---------------------------------------


@pytest.mark.parametrize("kind", ["official", "handler"])
@pytest.mark.parametrize("endpoint", HANDLING)
def test_not_routed_private_message_is_404(api_client, routed, kind, endpoint):
    message = routed(is_public=False)

    response = post(
        api_client, stranger(kind), message.pk, endpoint, HANDLING[endpoint]
    )

    assert response.status_code == 404
    nothing_changed(message, MessageStatus.ACCEPTED)
    assert not Reply.objects.exists()


@pytest.mark.parametrize("kind", ["official", "handler"])
@pytest.mark.parametrize("endpoint", HANDLING)
def test_not_routed_public_message_is_403(api_client, routed, kind, endpoint):
    message = routed(status=MessageStatus.PUBLISHED)

    response = post(
        api_client, stranger(kind), message.pk, endpoint, HANDLING[endpoint]
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    nothing_changed(message, MessageStatus.PUBLISHED)
    assert not Reply.objects.exists()


@pytest.mark.parametrize("endpoint", ["transfer", "replies", "extend"])
def test_refusal_comes_before_the_input_is_read(api_client, routed, endpoint):
    message = routed()

    response = post(
        api_client, stranger("official"), message.pk, endpoint, {"junk": True}
    )

    assert response.status_code == 403


def test_official_of_the_same_department_not_addressed_is_refused(
    api_client, department_official
):
    """Addressed to a colleague: the department's staff work it, the other
    officials of the department do not."""
    colleague = OfficialFactory(
        department=department_official.department,
        region=department_official.region,
    )
    message = RoutedMessageFactory(
        addressee_official=colleague, region=colleague.region
    )

    response = post(api_client, department_official.user, message.pk, "accept", {})

    assert response.status_code == 403


# --- Citizens and moderators on handling actions -----------------------------


@pytest.mark.parametrize("endpoint", HANDLING)
def test_the_author_cannot_handle(api_client, citizen, routed, endpoint):
    message = routed(is_public=False)

    response = post(api_client, citizen, message.pk, endpoint, HANDLING[endpoint])

    assert response.status_code == 403
    nothing_changed(message, MessageStatus.ACCEPTED)


@pytest.mark.parametrize("endpoint", HANDLING)
def test_another_citizen_cannot_handle(api_client, other_citizen, routed, endpoint):
    public, private = routed(), routed(is_public=False)

    on_public = post(api_client, other_citizen, public.pk, endpoint, HANDLING[endpoint])
    on_private = post(
        api_client, other_citizen, private.pk, endpoint, HANDLING[endpoint]
    )

    assert (on_public.status_code, on_private.status_code) == (403, 404)


@pytest.mark.parametrize("endpoint", HANDLING)
def test_moderators_do_not_handle(api_client, moderator, routed, endpoint):
    message = routed(is_public=False)

    response = post(api_client, moderator, message.pk, endpoint, HANDLING[endpoint])

    assert response.status_code == 403
    nothing_changed(message, MessageStatus.ACCEPTED)


# --- The author's actions ----------------------------------------------------


@pytest.mark.parametrize("endpoint", AUTHORS)
@pytest.mark.parametrize("kind", ["citizen", "official", "handler", "moderator"])
def test_only_the_author_rates_and_follows_up(
    api_client, routed, official, endpoint, kind
):
    message = routed(status=MessageStatus.REPLIED)
    ReplyFactory(message=message)
    user = {
        "citizen": lambda: stranger("citizen"),
        "official": lambda: official.user,
        "handler": lambda: stranger("handler"),
        "moderator": lambda: UserFactory(moderator=True),
    }[kind]()

    response = post(api_client, user, message.pk, endpoint, AUTHORS[endpoint])

    assert response.status_code == 403
    nothing_changed(message, MessageStatus.REPLIED)


@pytest.mark.parametrize("endpoint", AUTHORS)
def test_someone_elses_private_message_is_404(
    api_client, routed, other_citizen, endpoint
):
    message = routed(is_public=False, status=MessageStatus.REPLIED)

    response = post(api_client, other_citizen, message.pk, endpoint, AUTHORS[endpoint])

    assert response.status_code == 404


@pytest.mark.parametrize("endpoint", AUTHORS)
def test_author_refusal_comes_before_the_input(
    api_client, routed, other_citizen, endpoint
):
    message = routed(status=MessageStatus.REPLIED)

    response = post(api_client, other_citizen, message.pk, endpoint, {"junk": 1})

    assert response.status_code == 403


# --- Unknown ids -------------------------------------------------------------


@pytest.mark.parametrize("endpoint", [*HANDLING, *AUTHORS])
@pytest.mark.parametrize("message_id", ["999999", "99999999999999999999999"])
def test_unknown_message_is_404(api_client, official, endpoint, message_id):
    response = post(
        api_client,
        official.user,
        message_id,
        endpoint,
        {**HANDLING, **AUTHORS}[endpoint],
    )

    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("endpoint", [*HANDLING, *AUTHORS])
def test_get_is_not_allowed(api_client, official, routed, endpoint):
    message = routed()
    api_client.force_authenticate(official.user)

    response = api_client.get(f"/api/v1/messages/{message.pk}/{endpoint}/")

    assert response.status_code == 405
