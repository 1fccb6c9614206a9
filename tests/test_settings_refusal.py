"""Without DEBUG the settings refuse to load with a public or weak secret key,
or with an email setup nobody chose (docs/security.md, "Settings and
headers"). Each case imports the settings module in a fresh process."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import security

ROOT = Path(__file__).resolve().parents[1]
SMTP = {"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "587"}


def strong_key() -> str:
    return secrets.token_urlsafe(50)


def load_settings(**environment) -> subprocess.CompletedProcess:
    """Import config.settings.base with only ``environment`` (and PATH) set."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "")}
    env.update(environment)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings.base as s; print(s.EMAIL_BACKEND)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_refused(result, *words):
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    for word in words:
        assert word in result.stderr


def test_no_key_without_debug_is_refused_naming_the_variable():
    assert_refused(load_settings(**SMTP), "DJANGO_SECRET_KEY")


@pytest.mark.parametrize("key", sorted(security.PUBLIC_SECRET_KEYS))
def test_a_key_from_the_repository_is_refused(key):
    assert_refused(load_settings(DJANGO_SECRET_KEY=key, **SMTP), "DJANGO_SECRET_KEY")


def test_the_legacy_variable_is_checked_too():
    result = load_settings(SECRET_KEY=security.EMBEDDED_SECRET_KEY, **SMTP)
    assert_refused(result, "DJANGO_SECRET_KEY")


def test_a_short_key_is_refused():
    assert_refused(load_settings(DJANGO_SECRET_KEY="x1" * 20, **SMTP))


def test_a_strong_key_with_smtp_loads():
    result = load_settings(DJANGO_SECRET_KEY=strong_key(), **SMTP)
    assert result.returncode == 0, result.stderr
    assert "smtp.EmailBackend" in result.stdout


def test_debug_runs_with_nothing_set_and_console_email():
    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "console.EmailBackend" in result.stdout


def test_email_without_host_or_choice_is_refused():
    result = load_settings(DJANGO_SECRET_KEY=strong_key())
    assert_refused(result, "EMAIL_HOST", "EMAIL_BACKEND=console")


def test_smtp_named_without_host_is_refused():
    result = load_settings(DJANGO_SECRET_KEY=strong_key(), EMAIL_BACKEND="smtp")
    assert_refused(result, "EMAIL_HOST")


def test_console_email_chosen_by_name_loads():
    result = load_settings(DJANGO_SECRET_KEY=strong_key(), EMAIL_BACKEND="console")
    assert result.returncode == 0, result.stderr
    assert "console.EmailBackend" in result.stdout


# Literal keys assigned to a SECRET_KEY variable anywhere in the repository.
KEY_LITERAL = re.compile(r"""SECRET_KEY["']?\s*[:=]\s*\(?\s*["']([^"'\s]+)["']""")


def test_every_key_written_in_the_repository_is_refused():
    tracked = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    found = set()
    for name in tracked:
        path = ROOT / name
        if path.suffix not in {".py", ".md", ".sh", ".toml", ".yml", ".yaml", ".env"}:
            continue
        if not path.is_file():
            continue
        found.update(KEY_LITERAL.findall(path.read_text(errors="ignore")))
    found.add(security.EMBEDDED_SECRET_KEY)
    assert [key for key in found if not security.secret_key_is_unsafe(key)] == []
