"""Documents 文件附件 (consent forms, certificates, photos of a home visit), the one
mechanism behind a case's documents (cases.CaseDocument) and a resident's own
(clients.ResidentDocument): the kinds, the checks before anything is stored
(type by the first bytes, core.uploads, and SHEGONG_DOCUMENT_MAX_BYTES), the
storage under SHEGONG_DOCUMENT_ROOT (apart from MEDIA_ROOT, with no URL: a file
leaves only through a download view that checks the scope and writes the access
log), and the response that sends a file, always as an attachment.

Each app keeps its model, its scope and its services; they call these."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.core.uploads import validate_upload

# extension → the content type the file is sent with (always as an attachment)
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


class DocumentKind(models.TextChoices):
    CONSENT_FORM = "consent_form", gettext_lazy("Consent form")
    CERTIFICATE = "certificate", gettext_lazy("Certificate")
    HOME_VISIT_PHOTO = "home_visit_photo", gettext_lazy("Home visit photo")
    OTHER = "other", gettext_lazy("Other document")


@deconstructible
class DocumentStorage(FileSystemStorage):
    """SHEGONG_DOCUMENT_ROOT, read when a file is saved or opened (so that a
    test's or a deployment's setting applies)."""

    @property
    def base_location(self):
        return settings.SHEGONG_DOCUMENT_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        # FileSystemStorage.url() refuses a storage without a base URL.
        return None

    def url(self, name):
        raise ValueError("Documents have no URL: they are sent by the download view.")


document_storage = DocumentStorage()


def check_document_root(app_configs=None, **kwargs):
    """A system check (`shegong check`, and at every start): the documents'
    folder must not lie in or contain a folder the web server serves (STATIC_ROOT,
    MEDIA_ROOT), nor the reverse."""
    from django.core.checks import Error

    root = Path(settings.SHEGONG_DOCUMENT_ROOT).resolve()
    errors = []
    for name in ("STATIC_ROOT", "MEDIA_ROOT"):
        served = getattr(settings, name, None)
        if not served:
            continue
        served = Path(served).resolve()
        if root == served or root.is_relative_to(served) or served.is_relative_to(root):
            errors.append(
                Error(
                    f"SHEGONG_DOCUMENT_ROOT ({root}) overlaps {name} ({served}): "
                    "documents must be stored where no URL serves them.",
                    id="shegong.E101",
                )
            )
    return errors


def type_message() -> str:
    return _("Only PDF, PNG or JPEG files can be attached.")


def checked_file(*, kind: str, file, title: str = "") -> dict[str, Any]:
    """The fields of a new document from an upload, once its kind, type (by
    content) and size are checked: ValidationError by field otherwise, before
    anything is stored. The stored name is ours, never the uploader's."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    try:
        validate_upload(
            file,
            suffixes=tuple(CONTENT_TYPES),
            max_bytes=settings.SHEGONG_DOCUMENT_MAX_BYTES,
            type_message=type_message(),
        )
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    name = (file.name or "").replace("\\", "/").rsplit("/", 1)[-1]
    suffix = Path(name).suffix.lower()
    return {
        "kind": kind,
        "title": title.strip(),
        "stored_name": f"{uuid.uuid4().hex}{suffix}",
        "original_name": name[:200],
        "content_type": CONTENT_TYPES[suffix],
        "size": file.size,
    }


def store(document: models.Model, file, then: Callable[[], None] | None = None) -> None:
    """Save the file, then the row (already `full_clean`ed), then `then()`
    (the caller's history and scope re-check): if any fails, the stored file is
    removed and the error raised, so that nothing is half-saved."""
    document.file.save(document.stored_name, file, save=False)
    try:
        document.save()
        if then is not None:
            then()
    except Exception:
        document.file.storage.delete(document.file.name)
        raise


def delete_files_on_commit(rows: Iterable[models.Model], field: str = "file") -> int:
    """Remove the stored files (in `field`) of `rows` (deleted or cleared in the
    current transaction) once that transaction is committed; a rollback keeps
    them. Their count."""
    files = [(getattr(row, field).storage, getattr(row, field).name) for row in rows]

    def remove() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove)
    return len(files)


# The API's fields of a document, after the record it is attached to (case, resident).
API_FIELDS = [
    "kind",
    "kind_label",
    "title",
    "original_name",
    "content_type",
    "size",
    "author",
    "created_at",
]


def attachment(handle, name: str, content_type: str) -> FileResponse:
    """Always a download, with the checked type: never rendered by the browser."""
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class DocumentForm(forms.Form):
    """The upload form of a document: its kind, a description, the file."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=gettext_lazy("Description"), max_length=200, required=False)
    # Checked (type by content, size) by the service, which says what is wrong.
    file = forms.FileField(label=gettext_lazy("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mb = settings.SHEGONG_DOCUMENT_MAX_BYTES // (1024 * 1024)
        self.fields["file"].help_text = _("PDF, PNG or JPEG, up to %(mb)s MB.") % {"mb": mb}
