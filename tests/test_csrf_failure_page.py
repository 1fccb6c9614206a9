"""A form sent without a valid CSRF token gets the site's own page in the
reader's language, not Django's bare English "Forbidden (403)"."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "title"),
    [("zh-hans", "表单已过期"), ("en", "The form has expired")],
)
def test_a_form_without_its_token_gets_the_sites_page(language, title):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(UserFactory(citizen=True))

    response = client.post("/me/data/delete/", {"password": "x"})

    assert response.status_code == 403
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert title in page
    assert 'class="site-header"' in page
    assert "CSRF verification failed" not in page
