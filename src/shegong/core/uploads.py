"""Checks for uploaded files, shared by every app that accepts one: the name's
extension, the size, and the first bytes (a file's "magic" signature), so that a
renamed executable or a PDF called .xlsx is refused before anything parses it.

    validate_upload(upload, suffixes=(".csv", ".xlsx"), max_bytes=20 * 1024 * 1024)

or, on a form field, `validators=[UploadValidator((".pdf", ".jpg"), 10 * 1024 * 1024)]`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

# Files of these types start with one of these byte strings.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".xlsx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".zip": (b"PK\x03\x04",),
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
}
# Plain-text types: no NUL byte, and not a binary format in disguise.
TEXT_SUFFIXES = frozenset({".csv", ".txt"})
_BINARY_STARTS = (b"PK\x03\x04", b"%PDF-", b"MZ", b"\x7fELF", b"\xd0\xcf\x11\xe0")
SNIFF_BYTES = 4096


def _mismatch_message(suffix: str) -> str:
    if suffix == ".xlsx":
        return _("The file cannot be read as an Excel workbook (.xlsx).")
    return _("The file's content does not match its type (%(suffix)s).") % {"suffix": suffix}


def validate_upload(
    upload,
    *,
    suffixes: Iterable[str],
    max_bytes: int,
    type_message: str | None = None,
) -> None:
    """Raise ValidationError (a translated message) unless `upload` has one of
    `suffixes`, is non-empty and at most `max_bytes`, and its first bytes fit
    its type. The file is left at position 0."""
    suffixes = tuple(s.lower() for s in suffixes)
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in suffixes:
        raise ValidationError(
            type_message
            or _("Only %(types)s files can be uploaded.") % {"types": ", ".join(suffixes)},
            code="file_type",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)},
            code="file_size",
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if suffix in SIGNATURES:
        if not head.startswith(SIGNATURES[suffix]):
            raise ValidationError(_mismatch_message(suffix), code="file_content")
    elif suffix in TEXT_SUFFIXES and (b"\x00" in head or head.startswith(_BINARY_STARTS)):
        raise ValidationError(_mismatch_message(suffix), code="file_content")


@deconstructible
class UploadValidator:
    """`validate_upload` as a form or model field validator."""

    def __init__(self, suffixes: Iterable[str], max_bytes: int):
        self.suffixes = tuple(suffixes)
        self.max_bytes = max_bytes

    def __call__(self, upload) -> None:
        validate_upload(upload, suffixes=self.suffixes, max_bytes=self.max_bytes)

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, UploadValidator)
            and self.suffixes == other.suffixes
            and self.max_bytes == other.max_bytes
        )
