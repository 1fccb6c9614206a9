"""The OpenAPI schema and its Swagger UI."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_renders_with_the_api_paths(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/auth/token/",
        "/api/v1/me/",
        "/api/v1/regions/",
        "/api/v1/departments/",
        "/api/v1/officials/",
        "/api/v1/categories/",
        "/api/v1/messages/",
        "/api/v1/messages/{id}/",
        "/api/v1/messages/{id}/withdraw/",
    ]:
        assert path in paths
    assert set(paths["/api/v1/messages/"]) == {"get", "post"}
    assert set(paths["/api/v1/messages/{id}/"]) == {"get", "patch"}


def test_schema_yaml_default(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert b"/api/v1/messages/" in response.content


def test_schema_generates_without_warnings(tmp_path):
    """drf-spectacular's warnings mean a part of the API is guessed."""
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))

    assert "/api/v1/messages/{id}/withdraw/" in (tmp_path / "s.yml").read_text()


def test_schema_never_documents_contact_phone_in_lists(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]

    assert "contact_phone" not in components["BoardMessage"]["properties"]
    assert "contact_phone" not in components["BoardMessage"].get("required", [])
    assert "contact_phone" not in components["MessageDetail"].get("required", [])


def test_docs_page(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_docs_page_loads_no_external_assets(client):
    """The UI is served from our static files (drf-spectacular-sidecar)."""
    response = client.get("/api/docs/")

    assets = re.findall(r'(?:src|href)="([^"]*)"', response.content.decode())
    assert assets
    # Besides the static files, only the page's own start-up script, served
    # as a file for the Content-Security-Policy (docs/security.md).
    local = ("/static/", "/api/docs/?")
    assert [url for url in assets if not url.startswith(local)] == []
    assert "cdn.jsdelivr.net" not in response.content.decode()
