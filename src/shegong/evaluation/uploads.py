"""Checks on uploaded evidence: allowed extension, content that matches it (magic
bytes), size limit. The file is later served only as an attachment with the
content type of its checked kind, never inline, so an upload can never become a
page of ours (stored XSS)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)


@dataclass(frozen=True)
class Kind:
    content_type: str
    magic: tuple[bytes, ...]


# extension → the content type we serve it with and the signatures it must start with
KINDS: dict[str, Kind] = {
    "pdf": Kind("application/pdf", (b"%PDF-",)),
    "png": Kind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    "gif": Kind("image/gif", (b"GIF87a", b"GIF89a")),
    "webp": Kind("image/webp", (b"RIFF",)),
    "docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "pptx": Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    "doc": Kind("application/msword", _OLE),
    "xls": Kind("application/vnd.ms-excel", _OLE),
    "ppt": Kind("application/vnd.ms-powerpoint", _OLE),
}


@dataclass(frozen=True)
class CheckedFile:
    original_name: str
    stored_name: str
    content_type: str
    size: int


def check_upload(upload: UploadedFile, *, field: str = "file") -> CheckedFile:
    """Refuse anything but a PDF, an image or an office document whose content
    matches its extension, up to `MAX_EVIDENCE_BYTES`."""
    name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = KINDS.get(extension)
    if kind is None:
        raise ValidationError(
            {field: _("Only PDF, image (PNG, JPEG, GIF, WebP) or office documents are accepted.")}
        )
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            {
                field: _("The file is larger than %(mb)s MB.")
                % {"mb": MAX_EVIDENCE_BYTES // (1024 * 1024)}
            }
        )
    if not upload.size:
        raise ValidationError({field: _("The file is empty.")})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(kind.magic) or (extension == "webp" and b"WEBP" not in head):
        raise ValidationError(
            {
                field: _("The file's content does not match its type (.%(ext)s).")
                % {"ext": extension}
            }
        )
    return CheckedFile(
        original_name=name[:200],
        stored_name=f"{uuid.uuid4().hex}.{extension}",
        content_type=kind.content_type,
        size=upload.size,
    )
