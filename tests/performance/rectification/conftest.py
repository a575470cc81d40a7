"""Rectification items (SPEC §14.2) on the hand-built district: an item opened by the officer for
department A01 (the head's) about PA02's warning, evidence files as each kind really begins, and a
temporary MEDIA_ROOT so that no test writes into the repository."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from performance.models import ItemSource, RectificationItem
from performance.services.rectification import open_item

#: The smallest PDF a viewer opens: what the tests upload as evidence.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
HTML = b"<!doctype html><script>alert(1)</script>"


def office_package(folder: str) -> bytes:
    """A minimal Office Open XML package whose parts lie in ``folder`` (word/, xl/, ppt/)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(f"{folder}document.xml", "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _english(settings):
    """Pages read in English here (the default language is Chinese; test_chinese.py reads them so)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a temporary directory, outside the static root, removed after the test."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def item(district, officer) -> RectificationItem:
    """Open, for A01 about PA02 (serious warning), due 30 days from today."""
    return open_item(
        RectificationItem(
            department=district.a,
            project=district.projects["PA02"],
            fiscal_year_id=2021,
            source=ItemSource.WARNING,
            problem="校舍维修 spending 30.0 % against time 83.3 %",
            requirement="Speed up payments and report the schedule.",
            deadline=timezone.localdate() + datetime.timedelta(days=30),
        ),
        user=officer,
    )


def stored_files(media_root) -> list:
    return sorted(path for path in media_root.rglob("*") if path.is_file()) if media_root.exists() else []
