"""Static files as production serves them: collected under hashed names,
compressed, and cached by browsers and proxies for good (``immutable``), so
a returning reader fetches none of them again; and no page waits for an
asset from another host."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from config.settings import base as production_settings
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db

# The production settings'; the tests' serve files unhashed.
PRODUCTION_STATIC_STORAGE = production_settings.STORAGES["staticfiles"]


@pytest.fixture
def collected(tmp_path):
    """collectstatic into a fresh directory, served by WhiteNoise as in
    production (no autorefresh, no finders)."""
    with override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": PRODUCTION_STATIC_STORAGE},
        STATIC_ROOT=tmp_path,
        WHITENOISE_AUTOREFRESH=False,
        WHITENOISE_USE_FINDERS=False,
        DEBUG=False,
    ):
        call_command("collectstatic", "--noinput", verbosity=0)
        yield WhiteNoiseMiddleware(get_response=lambda request: None)


def test_hashed_static_files_are_immutable_and_compressed(collected, rf):
    url = staticfiles_storage.url("css/site.css")
    assert re.search(r"site\.[0-9a-f]{12}\.css$", url), url

    response = collected(rf.get(url, HTTP_ACCEPT_ENCODING="gzip, br"))

    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    assert response["Content-Encoding"] in {"br", "gzip"}


def test_pages_load_no_asset_from_another_host(client):
    MessageFactory()
    html = Client().get("/").content.decode()
    external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//', html)
    assert external == []
