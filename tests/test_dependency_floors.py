"""The installed packages are at or above the floors docs/security.md lists,
each above the advisories known for it (transitive servers included)."""

from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.version import Version

# package: (floor, why) — keep in step with pyproject.toml and docs/security.md.
FLOORS = {
    "Django": ("5.2.19", "the newest 5.2 release and its security fixes"),
    "Twisted": ("26.10.0", "daphne's HTTP server: request smuggling fixes"),
    "h11": ("0.16.0", "uvicorn's HTTP parser: CVE-2025-43859"),
    "gunicorn": ("23.0.0", "request smuggling: CVE-2024-1135, CVE-2024-6827"),
    "djangorestframework": ("3.15.2", "CVE-2024-21520"),
    "sqlparse": ("0.5.0", "CVE-2024-4340"),
    "Pillow": ("11.3.0", "CVE-2025-48379"),
    "cryptography": ("44.0.1", "CVE-2024-12797"),
    "requests": ("2.32.4", "CVE-2024-47081"),
    "urllib3": ("2.5.0", "CVE-2025-50181, CVE-2025-50182"),
}


@pytest.mark.parametrize("package", sorted(FLOORS))
def test_installed_version_is_at_or_above_its_floor(package):
    floor, why = FLOORS[package]
    assert Version(version(package)) >= Version(floor), why


def test_the_floors_are_in_the_security_document():
    text = (Path(__file__).resolve().parent.parent / "docs/security.md").read_text()
    for package, (floor, _why) in FLOORS.items():
        assert f"| {package} | {floor} |" in text, package
