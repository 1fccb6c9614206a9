"""/csp-report/ logs the violation reports browsers send (both the report-uri
and the report-to format), answers 204, and refuses a body over
CSP_REPORT_MAX_BYTES unread."""

import json
import logging

import pytest

URL = "/csp-report/"

REPORT_URI_BODY = {
    "csp-report": {
        "document-uri": "https://zhitong.example.org/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
        "source-file": "https://zhitong.example.org/",
        "line-number": 12,
        "disposition": "enforce",
    }
}
REPORT_TO_BODY = [
    {
        "type": "csp-violation",
        "url": "https://zhitong.example.org/messages/1/",
        "body": {
            "documentURL": "https://zhitong.example.org/messages/1/",
            "effectiveDirective": "style-src-attr",
            "blockedURL": "inline",
            "disposition": "enforce",
        },
    }
]


class CspLog:
    def __init__(self, caplog):
        self.caplog = caplog

    @property
    def records(self):
        return [r for r in self.caplog.records if r.name == "zhitong.csp"]


@pytest.fixture
def csp_log(caplog):
    caplog.set_level(logging.WARNING, logger="zhitong.csp")
    return CspLog(caplog)


def test_report_uri_format_is_logged_and_answered_204(client, csp_log):
    response = client.post(
        URL, json.dumps(REPORT_URI_BODY), content_type="application/csp-report"
    )
    assert response.status_code == 204
    [record] = csp_log.records
    assert "script-src-elem" in record.getMessage()
    assert "https://zhitong.example.org/" in record.getMessage()


def test_report_to_format_is_logged(client, csp_log):
    response = client.post(
        URL, json.dumps(REPORT_TO_BODY), content_type="application/reports+json"
    )
    assert response.status_code == 204
    [record] = csp_log.records
    assert "style-src-attr" in record.getMessage()


def test_needs_no_csrf_token(csp_log):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        URL, json.dumps(REPORT_URI_BODY), content_type="application/csp-report"
    )
    assert response.status_code == 204


def test_an_oversized_body_is_refused_unlogged(client, csp_log, settings):
    body = dict(REPORT_URI_BODY)
    body["csp-report"] = {
        **REPORT_URI_BODY["csp-report"],
        "script-sample": "x" * (settings.CSP_REPORT_MAX_BYTES + 1),
    }
    response = client.post(URL, json.dumps(body), content_type="application/csp-report")
    assert response.status_code == 413
    assert "body" in response.json()
    assert csp_log.records == []


def test_not_json_is_400_naming_the_body(client, csp_log):
    response = client.post(URL, b"\xff<html>", content_type="application/csp-report")
    assert response.status_code == 400
    assert "body" in response.json()
    assert csp_log.records == []


def test_json_that_is_no_report_is_400(client, csp_log):
    response = client.post(
        URL, json.dumps({"hello": 1}), content_type="application/json"
    )
    assert response.status_code == 400


def test_get_is_405(client):
    assert client.get(URL).status_code == 405
