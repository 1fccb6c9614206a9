"""board.clients: the client's address behind a configured number of proxies.

Behind nginx every request comes from the proxy; without this every visitor
shared one address (and one rate-limit bucket, and one login lockout)."""

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory

from board.clients import client_address, client_address_from_scope


def request_from(remote_addr="10.0.0.1", forwarded_for=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = request_from("10.0.0.1", "203.0.113.5")
    assert client_address(request) == "10.0.0.1"


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("203.0.113.5", "203.0.113.5"),
        # The client wrote the left part itself: never believed.
        ("6.6.6.6, 203.0.113.5", "203.0.113.5"),
        ("6.6.6.6,203.0.113.5", "203.0.113.5"),
        ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("203.0.113.5:51234", "203.0.113.5"),
    ],
)
def test_one_trusted_proxy_takes_the_last_entry(settings, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from("10.0.0.1", forwarded_for)) == expected


def test_two_trusted_proxies_take_the_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = request_from("10.0.0.1", "6.6.6.6, 203.0.113.5, 10.0.0.9")
    assert client_address(request) == "203.0.113.5"


@pytest.mark.parametrize(
    "forwarded_for",
    [None, "", "203.0.113.5", "not-an-address, 10.0.0.9", ",", "a" * 5000],
)
def test_short_or_malformed_headers_fall_back_to_the_peer(settings, forwarded_for):
    settings.TRUSTED_PROXY_COUNT = 2
    request = request_from("10.0.0.1", forwarded_for)
    assert client_address(request) == "10.0.0.1"


def test_no_peer_address_is_empty_not_an_error(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from("")) == ""


def test_the_socket_scope_follows_the_same_rule(settings):
    scope = {
        "client": ("10.0.0.1", 5555),
        "headers": [
            (b"x-forwarded-for", b"6.6.6.6"),
            (b"X-Forwarded-For", b"203.0.113.5"),
        ],
    }
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address_from_scope(scope) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address_from_scope(scope) == "203.0.113.5"
    assert client_address_from_scope({"client": None, "headers": []}) == ""


def test_allauth_counts_by_the_same_address(settings):
    """allauth's own limits (sign-up, login, reset) used to see the proxy."""
    settings.TRUSTED_PROXY_COUNT = 1
    request = request_from("10.0.0.1", "6.6.6.6, 203.0.113.5")
    assert get_adapter(request).get_client_ip(request) == "203.0.113.5"
