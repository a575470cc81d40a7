"""Limits on what an import reads, from settings when given there (each has a safe default)."""

from __future__ import annotations

from django.conf import settings

#: Largest upload accepted, in bytes. A 100,000-row payments file is about 5 MB as CSV, 3 MB as XLSX.
DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024
#: Largest total a workbook may unpack to: its XML is about ten times the XLSX, so this is generous.
DEFAULT_MAX_XLSX_UNPACKED_BYTES = 300 * 1024 * 1024
#: Most rows of data one file may hold.
DEFAULT_MAX_ROWS = 200_000
#: Files with more rows than this are validated and applied by a background task.
DEFAULT_BACKGROUND_ROWS = 5_000


def max_upload_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def max_xlsx_unpacked_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_XLSX_UNPACKED_BYTES", DEFAULT_MAX_XLSX_UNPACKED_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def background_rows() -> int:
    return int(getattr(settings, "IMPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS))
