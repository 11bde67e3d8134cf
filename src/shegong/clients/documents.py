"""A resident's own documents 文件附件 (clients.ResidentDocument): the consent
form signed at registration, a copy of an ID or a hardship certificate, filed
with the person rather than with a case. Checked (type by content, size) and
stored by core.documents, as a case's documents are; read by the staff of the
resident's station (404 for anyone else), each download written to the access
log and the audit log; deleted by the uploader or the station director, the
deletion audited (core.audit). The resident merge moves them to the kept
record (its generic step), the anonymisation deletes them with their files
(privacy.steps), the subject export lists them (privacy.subject_data)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.clients.models import (
    DELETE_ANY_RESIDENT_DOCUMENT,
    DELETE_RESIDENT_DOCUMENT,
    Resident,
    ResidentDocument,
)
from shegong.clients.services import log_sensitive_read, staff_only
from shegong.core import audit
from shegong.core.access import ensure_visible, require, require_at
from shegong.core.documents import checked_file, delete_files_on_commit, store
from shegong.core.models import AccessLog
from shegong.core.scope import CREATE, can, can_at


def resident_documents_visible_to(user: Any) -> QuerySet[ResidentDocument]:
    return ResidentDocument.objects.visible_to(user).select_related("resident", "author")


def resident_documents_of(user: Any, resident: Resident) -> list[ResidentDocument]:
    """The resident's own documents, for the staff of their station (none for
    anyone else)."""
    rows = resident_documents_visible_to(user).filter(resident=resident)
    return list(rows.order_by("-created_at", "-pk"))


def may_upload(user: Any, resident: Resident) -> bool:
    """Whether the upload form is offered on the resident's page."""
    return not resident.is_merged and can_at(user, CREATE, ResidentDocument, resident.station)


def may_delete(user: Any, document: ResidentDocument) -> bool:
    """The uploader (a worker of the station) or the station director."""
    if not can(user, DELETE_RESIDENT_DOCUMENT, document):
        return False
    return document.author_id == user.pk or can(user, DELETE_ANY_RESIDENT_DOCUMENT, document)


@transaction.atomic
def resident_document_upload(
    *, actor: User, resident: Resident, kind: str, file: UploadedFile, title: str = ""
) -> ResidentDocument:
    """File a checked document with the resident (the staff of their station)."""
    ensure_visible(actor, resident)
    require_at(actor, CREATE, ResidentDocument, resident.station, staff_only())
    if resident.is_merged:
        raise ValidationError(_("This record was merged; attach the document to the kept record."))
    document = ResidentDocument(
        resident=resident, author=actor, **checked_file(kind=kind, file=file, title=title)
    )
    document.full_clean(exclude=["file"])
    store(document, file, then=lambda: ensure_visible(actor, document))
    return document


def resident_document_open(*, user: User, document: ResidentDocument, ip: str | None = None):
    """The document's file, opened for reading (`document` was read through the
    scope); the read is written to the access log, whatever the resident's
    category, and to the audit log as a file taken out."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("No such record.")) from None
    station_id = document.resident.station_id
    log_sensitive_read(
        user=user,
        action=AccessLog.Action.DOWNLOAD_RESIDENT_DOCUMENT,
        station_id=station_id,
        obj=document,
        label=f"{document.resident.name} {document.original_name}",
        ip=ip,
    )
    audit.record(
        "export",
        obj=document,
        station_id=station_id,
        detail={"document": document.pk, "resident": document.resident_id, "kind": document.kind},
    )
    return handle


@transaction.atomic
def resident_document_delete(*, actor: User, document: ResidentDocument) -> None:
    """Delete a document: its uploader or the station director. The row's
    deletion is audited (core.audit); the stored file is removed once the
    deletion is committed."""
    ensure_visible(actor, document)
    require(actor, DELETE_RESIDENT_DOCUMENT, document)
    if not may_delete(actor, document):
        raise PermissionDenied(_("Only the uploader or the station director can delete it."))
    document.delete()
    delete_files_on_commit([document])
