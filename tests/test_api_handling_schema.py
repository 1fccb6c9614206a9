"""The OpenAPI schema documents the inbox and the handling actions."""

import pytest

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/inbox/": {"get"},
    "/api/v1/messages/{id}/accept/": {"post"},
    "/api/v1/messages/{id}/transfer/": {"post"},
    "/api/v1/messages/{id}/replies/": {"post"},
    "/api/v1/messages/{id}/extend/": {"post"},
    "/api/v1/messages/{id}/rating/": {"post"},
    "/api/v1/messages/{id}/follow-ups/": {"post"},
    "/api/v1/replies/{id}/sign-off/": {"post"},
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    """Generated once for the module; generating reads no rows."""
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/api/schema/", {"format": "json"}).json()


def test_every_path_is_documented(schema):
    for path, methods in PATHS.items():
        assert set(schema["paths"][path]) == methods, path


def test_the_existing_message_paths_are_unchanged(schema):
    assert set(schema["paths"]["/api/v1/messages/{id}/"]) == {"get", "patch"}
    assert set(schema["paths"]["/api/v1/messages/{id}/withdraw/"]) == {"post"}


def test_transfer_documents_both_outcomes(schema):
    responses = schema["paths"]["/api/v1/messages/{id}/transfer/"]["post"]["responses"]

    assert {"200", "202", "400", "401", "403", "404", "409"} <= set(responses)
    referred = responses["202"]["content"]["application/json"]["schema"]
    assert referred["$ref"].endswith("/TransferReferred")


def test_replies_take_json_and_multipart(schema):
    body = schema["paths"]["/api/v1/messages/{id}/replies/"]["post"]["requestBody"]

    assert set(body["content"]) >= {"application/json", "multipart/form-data"}


def test_the_detail_has_the_handling_fields(schema):
    properties = schema["components"]["schemas"]["MessageDetail"]["properties"]

    for field in [
        "replies",
        "rating",
        "follow_ups",
        "due_date",
        "working_days_left",
        "extended_by_days",
        "extension_reason",
        "escalated",
        "transfer_count",
        "timeline",
        "attachments",
    ]:
        assert field in properties, field


def test_inbox_items_and_counts(schema):
    components = schema["components"]["schemas"]

    assert set(components["InboxCounts"]["properties"]) == {
        "published",
        "accepted",
        "replied",
        "closed",
        "overdue",
        "near_deadline",
    }
    assert {
        "due_date",
        "working_days_left",
        "is_overdue",
        "is_near_deadline",
        "extended_by_days",
        "transfer_count",
        "escalated",
        "has_pending_follow_up",
    } <= set(components["InboxItem"]["properties"])
