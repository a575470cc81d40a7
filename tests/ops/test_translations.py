"""One source for the Chinese: locale/glossary.py's ZH → django.po → django.mo, in that direction only.

The .po and .mo checks parse the files (no gettext needed). The code check runs `make messages`'s own
makemessages command (read from the Makefile) on a copy of the project, about three seconds.
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"


def load_glossary():
    spec = importlib.util.spec_from_file_location("locale_glossary", ROOT / "locale" / "glossary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


glossary = load_glossary()


def catalogue(entries) -> dict[str, object]:
    """Key (msgctxt\\x04msgid) → msgstr, or the plural forms in order, of the translated entries."""
    result = {}
    for entry in entries:
        if entry.msgid_plural:
            value = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            value = entry.msgstr
        if entry.msgid and any(value):
            result[glossary.key(entry)] = value
    return result


def test_the_po_holds_exactly_the_glossarys_chinese():
    po = polib.pofile(str(MESSAGES / "django.po"))
    assert [e.msgid for e in po.obsolete_entries()] == [], "obsolete entries: run `make messages`"
    assert [e.msgid for e in po if "fuzzy" in e.flags or e.previous_msgid] == []
    written = {
        glossary.key(e): e.msgstr_plural.get(0, "") if e.msgid_plural else e.msgstr for e in po if e.msgid
    }
    expected = {k: glossary.ZH.get(k, "") for k in written}
    # A difference means django.po was edited by hand or ZH changed since: edit ZH, run `make messages`.
    assert {k: v for k, v in written.items() if v != expected[k]} == {}
    assert [k for k, v in written.items() if not v] == [], "msgids without Chinese: add them to ZH"


def test_the_mo_is_compiled_from_the_po():
    po = polib.pofile(str(MESSAGES / "django.po"))
    mo = polib.mofile(str(MESSAGES / "django.mo"))
    translated = [e for e in po if not e.obsolete and "fuzzy" not in e.flags]
    assert catalogue(mo) == catalogue(translated), "django.mo is out of date: run `make messages`"
    assert mo.metadata.get("Plural-Forms") == po.metadata.get("Plural-Forms")


def test_translate_writes_every_msgstr_from_zh_only(monkeypatch):
    monkeypatch.setattr(
        glossary,
        "ZH",
        {
            "payment": "支付记录",
            "%(n)s row": "%(n)s 行",
            "month\x04May": "五月",
            "kept by hand": "来自 ZH",
            "no longer used": "不再使用",
        },
    )
    po = polib.POFile()
    po.metadata = {"Plural-Forms": "nplurals=1; plural=0;"}
    po.append(polib.POEntry(msgid="payment", msgstr="旧的猜测", flags=["fuzzy"], previous_msgid="payments"))
    po.append(polib.POEntry(msgid="%(n)s row", msgid_plural="%(n)s rows", msgstr_plural={0: ""}))
    po.append(polib.POEntry(msgctxt="month", msgid="May", msgstr=""))
    po.append(polib.POEntry(msgid="May", msgstr="可以"))
    po.append(polib.POEntry(msgid="kept by hand", msgstr="手工填写"))
    po.append(polib.POEntry(msgid="gone", msgstr="已删除", obsolete=True))

    missing, unused = glossary.translate(po)

    assert missing == ["May"]
    assert unused == ["no longer used"]
    assert [e.msgid for e in po] == ["payment", "%(n)s row", "May", "May", "kept by hand"]
    payment, row, may_month, may, by_hand = po
    assert (payment.msgstr, payment.flags, payment.previous_msgid) == ("支付记录", [], None)
    assert row.msgstr_plural == {0: "%(n)s 行"}
    assert may_month.msgstr == "五月"
    assert may.msgstr == ""
    assert by_hand.msgstr == "来自 ZH"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    """The keys of every msgid in the code, as `make messages` extracts them, on a copy of the project."""
    if shutil.which("xgettext") is None or shutil.which("msguniq") is None:
        pytest.skip("makemessages needs GNU gettext (apt-get install gettext)")
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines() if " makemessages " in line)
    arguments = shlex.split(line.split("manage.py", 1)[1])
    copy = tmp_path_factory.mktemp("messages") / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            *(".git", ".venv", "tests", "__pycache__", "staticfiles", "screenshots", "test-results"),
            *("node_modules", "db.sqlite3*", ".*cache", ".ci-*", "*.mo", "*.po"),
        ),
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"} | {"DJANGO_DEBUG": "1"}
    subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=copy, env=env, check=True, capture_output=True
    )
    po = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    return {glossary.key(e) for e in po if e.msgid and not e.obsolete}


def test_every_msgid_in_the_code_has_chinese(extracted):
    assert sorted(extracted - glossary.ZH.keys()) == [], "add these to ZH in locale/glossary.py"


def test_every_glossary_entry_is_used_by_the_code(extracted):
    assert sorted(glossary.ZH.keys() - extracted) == [], "no msgid uses these: delete them from ZH"


def test_the_po_lists_the_codes_msgids(extracted):
    po = polib.pofile(str(MESSAGES / "django.po"))
    listed = {glossary.key(e) for e in po if e.msgid and not e.obsolete}
    assert (sorted(extracted - listed), sorted(listed - extracted)) == ([], []), "run `make messages`"
