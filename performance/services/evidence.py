"""Evidence files of a rectification answer (SPEC §14.2): which files are accepted, judged by what they
contain and not by their names alone, and how they are stored and removed."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

#: The first bytes of each accepted kind of file.
PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of the legacy .doc and .xls

#: Per accepted file-name ending: the content type it is served with, its first bytes, and for an
#: Office Open XML file the folder its package must hold.
KINDS: dict[str, tuple[str, bytes, str | None]] = {
    ".pdf": ("application/pdf", PDF, None),
    ".png": ("image/png", PNG, None),
    ".jpg": ("image/jpeg", JPEG, None),
    ".jpeg": ("image/jpeg", JPEG, None),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP, "word/"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP, "xl/"),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP, "ppt/"),
    ".doc": ("application/msword", OLE2, None),
    ".xls": ("application/vnd.ms-excel", OLE2, None),
}
#: The ``accept`` attribute of the form's file input (a hint to the browser; the server checks content).
ACCEPT = ",".join(KINDS)
#: A package with more entries than this is no office document anyone writes by hand.
MAX_ZIP_ENTRIES = 10_000
MAX_NAME = 200


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed: its file, the name the user gave it, its served content type and size."""

    upload: UploadedFile
    name: str
    content_type: str
    size: int


def max_files() -> int:
    return settings.RECTIFICATION_MAX_FILES


def max_file_bytes() -> int:
    return settings.RECTIFICATION_MAX_FILE_BYTES


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def check_upload(upload: UploadedFile) -> CheckedFile:
    """``upload`` if it is an accepted file whose content is what its name says; else ValueError with
    the message to show."""
    name = PurePosixPath((upload.name or "").replace("\\", "/")).name.strip()[:MAX_NAME] or "file"
    suffix = PurePosixPath(name).suffix.lower()
    if upload.size == 0:
        raise ValueError(_("“%(name)s” is empty.") % {"name": name})
    if upload.size > max_file_bytes():
        raise ValueError(
            _("“%(name)s” is %(size)s MB; a file may be at most %(limit)s MB.")
            % {
                "name": name,
                "size": f"{upload.size / (1024 * 1024):.1f}",
                "limit": megabytes(max_file_bytes()),
            }
        )
    kind = KINDS.get(suffix)
    if kind is None:
        raise ValueError(
            _("“%(name)s” is not an accepted kind of file: PDF, PNG or JPEG images, or office documents.")
            % {"name": name}
        )
    content_type, magic, folder = kind
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic or (folder is not None and not _office_package(upload, folder)):
        raise ValueError(
            _("“%(name)s” is not what its name says: its content is not a %(kind)s file.")
            % {"name": name, "kind": suffix[1:].upper()}
        )
    return CheckedFile(upload=upload, name=name, content_type=content_type, size=upload.size)


def _office_package(upload: UploadedFile, folder: str) -> bool:
    """Whether the ZIP ``upload`` is an Office Open XML package of the kind whose parts lie in ``folder``
    (only the directory is read, nothing is unpacked)."""
    try:
        with zipfile.ZipFile(upload) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        upload.seek(0)
    if len(names) > MAX_ZIP_ENTRIES or "[Content_Types].xml" not in names:
        return False
    return any(name.startswith(folder) for name in names)
