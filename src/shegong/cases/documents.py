"""Documents 文件附件 attached to a case: consent forms, certificates, photos of a
home visit. Checked by content (core.uploads: the first bytes must fit the
extension) and size (SHEGONG_DOCUMENT_MAX_BYTES) before anything is stored;
stored under SHEGONG_DOCUMENT_ROOT, apart from MEDIA_ROOT, which no URL serves,
under a name of ours (cases.document_storage); read and
downloaded only by those who read the case's content (404 for anyone else),
each download written to the access log and the audit log; deleted by the uploader or the
station director, the deletion audited (core.audit) and in the case history."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.cases.models import (
    DELETE_ANY_DOCUMENT,
    DELETE_DOCUMENT,
    WORK,
    Case,
    CaseDocument,
    CaseEvent,
    DocumentKind,
)
from shegong.cases.services import WORK_REFUSED
from shegong.clients.services import log_sensitive_read
from shegong.core import audit
from shegong.core.access import ensure_visible, require
from shegong.core.models import AccessLog
from shegong.core.scope import can, restrict
from shegong.core.uploads import validate_upload

# extension → the content type the file is sent with (always as an attachment)
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


def documents_of(user: Any, case: Case) -> list[CaseDocument]:
    """The case's documents, for whoever reads its content (none for anyone else)."""
    rows = CaseDocument.objects.visible_to(user).filter(case=case).select_related("author")
    return list(rows.order_by("-created_at", "-pk"))


def documents_visible_to(user: Any) -> QuerySet[CaseDocument]:
    return CaseDocument.objects.visible_to(user).select_related("case", "author")


def resident_documents(user: Any, resident) -> list[CaseDocument]:
    """The documents of the resident's cases whose content `user` reads."""
    rows = documents_visible_to(user).filter(case__client=resident)
    return list(rows.order_by("-created_at", "-pk"))


def cases_to_attach_to(user: Any, resident) -> QuerySet[Case]:
    """The resident's cases `user` works on: where a document from the
    resident's page may go."""
    return restrict(Case.objects.filter(client=resident), user, WORK).order_by("-opened_on", "-pk")


def type_message() -> str:
    return _("Only PDF, PNG or JPEG files can be attached.")


@transaction.atomic
def document_add(
    *, actor: User, case: Case, kind: str, file: UploadedFile, title: str = ""
) -> CaseDocument:
    """Attach a checked file to the case (its workers and the director)."""
    ensure_visible(actor, case)
    require(actor, WORK, case, message=str(WORK_REFUSED))
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
    document = CaseDocument(
        case=case,
        kind=kind,
        title=title.strip(),
        stored_name=f"{uuid.uuid4().hex}{suffix}",
        original_name=name[:200],
        content_type=CONTENT_TYPES[suffix],
        size=file.size,
        author=actor,
    )
    document.full_clean(exclude=["file"])
    document.file.save(document.stored_name, file, save=False)
    try:
        document.save()
        CaseEvent.objects.create(
            case=case,
            actor=actor,
            action="document_added",
            detail={"document": document.pk, "kind": kind},
        )
        ensure_visible(actor, document)
    except Exception:
        # Nothing half-saved: the row rolls back, the stored file goes too.
        document.file.storage.delete(document.file.name)
        raise
    return document


def document_open(*, user: User, document: CaseDocument, ip: str | None = None):
    """The document's file, opened for reading, for whoever reads the case's
    content (`document` was read through the scope); the read is written to the
    access log, whatever the client's category."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("No such record.")) from None
    log_sensitive_read(
        user=user,
        action=AccessLog.Action.DOWNLOAD_DOCUMENT,
        station_id=document.case.station_id,
        obj=document,
        label=f"{document.case.number} {document.original_name}",
        ip=ip,
    )
    # A file taken out of the system, as an export is (its label redacted).
    audit.record(
        "export",
        obj=document,
        station_id=document.case.station_id,
        detail={"document": document.pk, "case": document.case_id, "kind": document.kind},
    )
    return handle


@transaction.atomic
def document_delete(*, actor: User, document: CaseDocument) -> None:
    """Delete a document: its uploader or the station director. The row's
    deletion is audited (core.audit) and noted in the case history; the stored
    file is removed once the deletion is committed."""
    ensure_visible(actor, document)
    require(actor, DELETE_DOCUMENT, document)
    if document.author_id != actor.pk and not can(actor, DELETE_ANY_DOCUMENT, document):
        raise PermissionDenied(_("Only the uploader or the station director can delete it."))
    name, storage = document.file.name, document.file.storage
    CaseEvent.objects.create(
        case=document.case,
        actor=actor,
        action="document_deleted",
        detail={"document": document.pk, "kind": document.kind},
    )
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
