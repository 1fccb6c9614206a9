"""The Chinese translation is complete, compiled, and covers every source string."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = CATALOGUES / "django.po"
# The JavaScript strings (static/js, through /jsi18n/).
JS_PO_PATH = CATALOGUES / "djangojs.po"


@pytest.mark.parametrize("po_path", [PO_PATH, JS_PO_PATH], ids=["django", "djangojs"])
def test_every_entry_is_translated(po_path):
    catalogue = polib.pofile(str(po_path))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize("po_path", [PO_PATH, JS_PO_PATH], ids=["django", "djangojs"])
def test_compiled_catalogue_matches_the_source(po_path):
    source = polib.pofile(str(po_path))
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    expected = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural.get(0)
        for entry in source.translated_entries()
    }
    actual = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural.get(0)
        for entry in compiled
        if entry.msgid
    }
    assert actual == expected


def test_no_source_string_is_missing_from_the_catalogue(tmp_path):
    """makemessages over a copy of the code finds nothing the catalogue lacks.

    Needs GNU gettext (Debian's gettext package; .ci/run installs it).
    """
    assert shutil.which("xgettext"), "apt-get install gettext"
    root = Path(settings.BASE_DIR)
    for folder in ("board", "moderation", "config", "templates", "locale"):
        shutil.copytree(
            root / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc")
        )
    shutil.copy(root / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "zh_Hans"],
        cwd=tmp_path,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(
        str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    )
    found = {(entry.msgctxt, entry.msgid) for entry in fresh if not entry.obsolete}
    known = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(PO_PATH))}
    assert sorted(found - known, key=str) == []


def test_no_javascript_string_is_missing_from_the_catalogue(tmp_path):
    """makemessages -d djangojs over our scripts (not the vendored ones)."""
    assert shutil.which("xgettext"), "apt-get install gettext"
    root = Path(settings.BASE_DIR)
    for folder in ("board", "moderation", "config", "locale"):
        shutil.copytree(
            root / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc")
        )
    shutil.copytree(root / "static" / "js", tmp_path / "static" / "js")
    shutil.copy(root / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--domain", "djangojs"]
        + ["--locale", "zh_Hans"],
        cwd=tmp_path,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(
        str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "djangojs.po")
    )
    found = {(entry.msgctxt, entry.msgid) for entry in fresh if not entry.obsolete}
    known = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(JS_PO_PATH))}
    assert sorted(found - known, key=str) == []
