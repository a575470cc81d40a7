"""Limits on what one import may make the server do; each is a setting (config/settings.py).

Why each is what it is:

- ``IMPORT_MAX_UPLOAD_BYTES`` (25 MB): a 100,000-row payments file is about 5 MB as CSV, 3 MB as XLSX.
- ``IMPORT_MAX_XLSX_UNPACKED_BYTES`` (300 MB): a workbook's XML is about ten times the XLSX.
- ``IMPORT_MAX_ROWS`` (200,000), ``IMPORT_MAX_COLUMNS`` (100) and ``IMPORT_MAX_CELLS`` (4,000,000): the
  XLSX reader builds the rectangle from the sheet's first to its last cell, so its size, not the file's,
  is what costs memory (about 30 bytes a cell: one cell at XFD200000 would be 100 GB). Every kind has
  at most a dozen columns; 200,000 rows of 20 columns fit.
- ``IMPORT_BACKGROUND_*``: a file with more rows or cells, or a workbook that unpacks to more, is
  validated by a worker, never in a web process.
- ``IMPORT_MEMORY_LIMIT_BYTES``: what one import may add to a worker process's memory.
"""

from __future__ import annotations

from django.conf import settings


def max_upload_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_BYTES


def max_xlsx_unpacked_bytes() -> int:
    return settings.IMPORT_MAX_XLSX_UNPACKED_BYTES


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def max_columns() -> int:
    return settings.IMPORT_MAX_COLUMNS


def max_cells() -> int:
    return settings.IMPORT_MAX_CELLS


def background_rows() -> int:
    return settings.IMPORT_BACKGROUND_ROWS


def background_cells() -> int:
    return settings.IMPORT_BACKGROUND_CELLS


def background_unpacked_bytes() -> int:
    return settings.IMPORT_BACKGROUND_UNPACKED_BYTES


def memory_limit_bytes() -> int:
    return settings.IMPORT_MEMORY_LIMIT_BYTES


def max_problems() -> int:
    return settings.IMPORT_MAX_PROBLEMS
