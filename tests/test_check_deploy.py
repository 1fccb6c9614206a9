"""`manage.py check --deploy` is clean under the production environment that
README.md documents (the block after ``<!-- production-environment -->``)."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = "<!-- production-environment -->"


def documented_environment() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text()
    block = readme.split(MARKER, 1)[1].split("```", 2)[1]
    environment = {}
    for line in block.splitlines()[1:]:
        name, _, value = line.partition("=")
        if name.strip():
            environment[name.strip()] = value.strip()
    return environment


def test_the_documented_environment_names_key_tls_and_email():
    environment = documented_environment()
    assert environment["BEHIND_TLS_PROXY"] == "1"
    assert environment["EMAIL_HOST"]
    assert "DJANGO_DEBUG" not in environment


def test_check_deploy_is_clean_in_the_documented_environment():
    environment = documented_environment()
    # The placeholders stand for secrets the operator generates.
    environment = {
        name: secrets.token_urlsafe(50) if re.fullmatch(r"<.*>", value) else value
        for name, value in environment.items()
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", ""),
            "HOME": os.environ.get("HOME", ""),
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
