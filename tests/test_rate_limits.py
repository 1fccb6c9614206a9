"""Rate limits (board/ratelimits.py): each family answers 429 with Retry-After
after its limit, per account and per client address, in the page's language;
RATE_LIMITS=off lets everything through.

The test settings switch the limits off; the ``limits`` fixture switches them
on, with a cache prefix of the test's own so no count leaks between tests
(and no test clears the shared cache)."""

import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from board.ratelimits import rate_limit_hit, rate_limit_message
from tests.factories import UserFactory
from tests.services import require_postgres_and_redis

NO_SUCH_ID = 999999


@pytest.fixture
def limits(settings):
    """Limits on; ``limits("posting", "2/h")`` sets one family's rate."""
    settings.ZHITONG_RATE_LIMITS_ENABLED = True
    settings.RATELIMIT_CACHE_PREFIX = f"rl-test-{uuid.uuid4().hex}:"
    settings.ZHITONG_RATE_LIMITS = dict(settings.ZHITONG_RATE_LIMITS)

    def set_rate(family, rate):
        settings.ZHITONG_RATE_LIMITS = {
            **settings.ZHITONG_RATE_LIMITS,
            family: rate,
        }

    return set_rate


def signed_in(user, address="10.1.0.1"):
    client = Client(REMOTE_ADDR=address)
    client.force_login(user)
    return client


# (family, method, path, needs an account) for every entry point.
PAGES = [
    ("posting", "post", "/messages/new/", True),
    ("posting", "post", f"/messages/{NO_SUCH_ID}/edit/", True),
    ("following", "post", f"/messages/{NO_SUCH_ID}/follow/", True),
    ("ratings", "post", f"/messages/{NO_SUCH_ID}/rating/", True),
    ("follow_ups", "post", f"/messages/{NO_SUCH_ID}/follow-ups/", True),
    ("replies", "post", f"/inbox/messages/{NO_SUCH_ID}/replies/", True),
    ("replies", "post", f"/inbox/messages/{NO_SUCH_ID}/corrections/", True),
    ("reporting", "post", f"/messages/{NO_SUCH_ID}/report/", True),
    ("registration", "post", "/accounts/signup/", False),
    ("password_reset", "post", "/accounts/password/reset/", False),
    ("search", "post", "/messages/new/check/", True),
]
API = [
    ("posting", "post", "/api/v1/messages/", True),
    ("posting", "patch", f"/api/v1/messages/{NO_SUCH_ID}/", True),
    ("following", "post", f"/api/v1/messages/{NO_SUCH_ID}/follow/", True),
    ("following", "delete", f"/api/v1/messages/{NO_SUCH_ID}/follow/", True),
    ("ratings", "post", f"/api/v1/messages/{NO_SUCH_ID}/rating/", True),
    ("follow_ups", "post", f"/api/v1/messages/{NO_SUCH_ID}/follow-ups/", True),
    ("replies", "post", f"/api/v1/messages/{NO_SUCH_ID}/replies/", True),
    ("reporting", "post", f"/api/v1/messages/{NO_SUCH_ID}/report/", True),
    ("reporting", "post", f"/api/v1/replies/{NO_SUCH_ID}/report/", True),
    ("realtime_tickets", "post", "/api/v1/realtime/ticket/", True),
    ("api_reads", "get", "/api/v1/categories/", False),
    ("api_reads", "get", f"/api/v1/messages/{NO_SUCH_ID}/", False),
    ("search", "get", "/api/v1/messages/similar/?text=停车", False),
    ("search", "get", "/api/v1/routing/suggest/?text=停车", False),
]


def hit(client, method, path, **extra):
    return getattr(client, method)(path, **extra)


@pytest.mark.django_db
@pytest.mark.parametrize(("family", "method", "path", "needs_account"), PAGES)
def test_a_page_answers_429_after_its_limit(
    limits, family, method, path, needs_account
):
    limits(family, "2/h")
    client = signed_in(UserFactory()) if needs_account else Client()
    for _ in range(2):
        assert hit(client, method, path).status_code != 429
    response = hit(client, method, path)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith("text/html")
    assert "rate_limit_message" in response.context


@pytest.mark.django_db
@pytest.mark.parametrize(("family", "method", "path", "needs_account"), API)
def test_the_api_answers_429_after_its_limit(
    limits, family, method, path, needs_account
):
    limits(family, "2/h")
    client = signed_in(UserFactory()) if needs_account else Client()
    for _ in range(2):
        assert hit(client, method, path).status_code != 429
    response = hit(client, method, path)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "rate_limited"
    assert response.json()["detail"]


@pytest.mark.django_db
def test_an_account_reading_the_api_is_not_counted_as_anonymous(limits):
    limits("api_reads", "1/h")
    client = signed_in(UserFactory())
    for _ in range(3):
        assert client.get("/api/v1/categories/").status_code == 200


@pytest.mark.django_db
def test_two_accounts_do_not_share_a_bucket(limits):
    limits("following", "2/h/user")
    first = signed_in(UserFactory(), "10.2.0.1")
    second = signed_in(UserFactory(), "10.2.0.1")
    path = f"/api/v1/messages/{NO_SUCH_ID}/follow/"
    for _ in range(2):
        first.post(path)
    assert first.post(path).status_code == 429
    assert second.post(path).status_code == 404


@pytest.mark.django_db
def test_one_account_is_limited_from_every_address(limits):
    limits("following", "2/h/user")
    user = UserFactory()
    path = f"/api/v1/messages/{NO_SUCH_ID}/follow/"
    for address in ("10.3.0.1", "10.3.0.2"):
        signed_in(user, address).post(path)
    assert signed_in(user, "10.3.0.3").post(path).status_code == 429


@pytest.mark.django_db
def test_two_addresses_do_not_share_a_bucket(limits):
    limits("api_reads", "2/h")
    first, second = Client(REMOTE_ADDR="10.4.0.1"), Client(REMOTE_ADDR="10.4.0.2")
    for _ in range(2):
        first.get("/api/v1/categories/")
    assert first.get("/api/v1/categories/").status_code == 429
    assert second.get("/api/v1/categories/").status_code == 200


@pytest.mark.django_db
def test_accounts_behind_one_address_share_its_bucket(limits):
    limits("following", "100/h/user,2/h/ip")
    path = f"/api/v1/messages/{NO_SUCH_ID}/follow/"
    for _ in range(2):
        signed_in(UserFactory(), "10.5.0.1").post(path)
    assert signed_in(UserFactory(), "10.5.0.1").post(path).status_code == 429


@pytest.mark.django_db
def test_behind_the_proxy_clients_are_told_apart_and_cannot_spoof(limits, settings):
    """The finding: behind nginx every visitor had the proxy's address, so
    20 sign-ups a minute anywhere closed sign-up for everyone."""
    settings.TRUSTED_PROXY_COUNT = 1
    limits("registration", "2/h")
    proxy = {"REMOTE_ADDR": "10.6.0.1"}

    def sign_up(forwarded_for):
        return Client(**proxy).post(
            "/accounts/signup/", HTTP_X_FORWARDED_FOR=forwarded_for
        )

    for _ in range(2):
        assert sign_up("203.0.113.7").status_code != 429
    # A spoofed entry before the proxy's own does not make a new client.
    assert sign_up("6.6.6.6, 203.0.113.7").status_code == 429
    assert sign_up("203.0.113.7").status_code == 429
    # Another client behind the same proxy still may.
    assert sign_up("203.0.113.8").status_code != 429


@pytest.mark.django_db
def test_without_trusted_proxies_the_header_makes_no_new_client(limits, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    limits("api_reads", "2/h")
    client = Client(REMOTE_ADDR="10.7.0.1")
    for forwarded_for in ("203.0.113.1", "203.0.113.2"):
        client.get("/api/v1/categories/", HTTP_X_FORWARDED_FOR=forwarded_for)
    response = client.get("/api/v1/categories/", HTTP_X_FORWARDED_FOR="203.0.113.3")
    assert response.status_code == 429


@pytest.mark.django_db
def test_ipv6_clients_are_counted_by_their_64(limits):
    limits("api_reads", "2/h")
    for host in ("2001:db8:1:1::1", "2001:db8:1:1::2"):
        Client(REMOTE_ADDR=host).get("/api/v1/categories/")
    response = Client(REMOTE_ADDR="2001:db8:1:1::3").get("/api/v1/categories/")
    assert response.status_code == 429
    other = Client(REMOTE_ADDR="2001:db8:1:2::1").get("/api/v1/categories/")
    assert other.status_code == 200


@pytest.mark.django_db
def test_the_message_is_in_the_pages_language(limits):
    limits("api_reads", "1/h")
    client = Client(REMOTE_ADDR="10.8.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.get("/api/v1/categories/")
    response = client.get("/api/v1/categories/")
    wait = int(response["Retry-After"])
    assert response["Content-Language"] == "zh-hans"
    with translation.override("zh-hans"):
        assert response.json()["detail"] == rate_limit_message(wait)

    limits("registration", "1/h")
    client.post("/accounts/signup/")
    page = client.post("/accounts/signup/")
    assert page.status_code == 429
    assert page["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in page.content.decode()
    with translation.override("zh-hans"):
        expected = rate_limit_message(int(page["Retry-After"]))
    assert page.context["rate_limit_message"] == expected


def test_the_wait_is_told_in_seconds_or_minutes():
    with translation.override("en"):
        assert "1 second." in rate_limit_message(1)
        assert "59 seconds" in rate_limit_message(59)
        assert "2 minutes" in rate_limit_message(61)


@pytest.mark.django_db
@pytest.mark.parametrize(("family", "method", "path", "needs_account"), PAGES + API)
def test_rate_limits_off_lets_everything_through(
    limits, settings, family, method, path, needs_account
):
    limits(family, "1/h")
    settings.ZHITONG_RATE_LIMITS_ENABLED = False
    client = signed_in(UserFactory()) if needs_account else Client()
    for _ in range(4):
        assert hit(client, method, path).status_code != 429


@pytest.mark.django_db
def test_the_search_family_is_ready(limits, rf):
    limits("search", "1/m")
    request = rf.get("/search/", REMOTE_ADDR="10.9.0.1")
    request.user = UserFactory()
    assert rate_limit_hit("search", request) is None
    assert rate_limit_hit("search", request) > 0


@pytest.mark.services
@pytest.mark.django_db
def test_counting_works_in_redis(limits, rf, settings):
    """The production cache counts too (django-redis's atomic incr)."""
    require_postgres_and_redis()
    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache.set("rl-probe", 1, 5) and cache.get("rl-probe") == 1
    cache.delete("rl-probe")
    limits("posting", "2/h/ip")
    request = rf.post("/messages/new/", REMOTE_ADDR="10.10.0.1")
    request.user = UserFactory()
    assert rate_limit_hit("posting", request) is None
    assert rate_limit_hit("posting", request) is None
    assert rate_limit_hit("posting", request) > 0


@pytest.mark.django_db
def test_checking_for_similar_messages_does_not_use_up_posting(limits):
    limits("posting", "1/h")
    client = signed_in(UserFactory(citizen=True))
    for _ in range(3):
        response = client.post("/messages/new/check/", {"title": "停车难"})
        assert response.status_code == 200
    assert client.post("/messages/new/", {}).status_code != 429
