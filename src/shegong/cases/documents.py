"""Documents 文件附件 attached to a case: consent forms, certificates, photos of a
home visit. Checked by content (core.uploads: the first bytes must fit the
extension) and size (SHEGONG_DOCUMENT_MAX_BYTES) before anything is stored;
stored under SHEGONG_DOCUMENT_ROOT, apart from MEDIA_ROOT, which no URL serves,
under a name of ours (core.documents, shared with a resident's own documents); read and
downloaded only by those who read the case's content (404 for anyone else),
each download written to the access log and the audit log; deleted by the uploader or the
station director, the deletion audited (core.audit) and in the case history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
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
)
from shegong.cases.services import WORK_REFUSED
from shegong.clients.services import log_sensitive_read
from shegong.core import audit
from shegong.core.access import ensure_visible, require
from shegong.core.documents import checked_file, delete_files_on_commit, store
from shegong.core.models import AccessLog
from shegong.core.scope import can, restrict


def documents_of(user: Any, case: Case) -> list[CaseDocument]:
    """The case's documents, for whoever reads its content (none for anyone else)."""
    rows = CaseDocument.objects.visible_under(user, "case", case).select_related("author")
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


@transaction.atomic
def document_add(
    *, actor: User, case: Case, kind: str, file: UploadedFile, title: str = ""
) -> CaseDocument:
    """Attach a checked file to the case (its workers and the director)."""
    ensure_visible(actor, case)
    require(actor, WORK, case, message=str(WORK_REFUSED))
    document = CaseDocument(
        case=case, author=actor, **checked_file(kind=kind, file=file, title=title)
    )
    document.full_clean(exclude=["file"])

    def history() -> None:
        CaseEvent.objects.create(
            case=case,
            actor=actor,
            action="document_added",
            detail={"document": document.pk, "kind": kind},
        )
        ensure_visible(actor, document)

    store(document, file, then=history)
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
    CaseEvent.objects.create(
        case=document.case,
        actor=actor,
        action="document_deleted",
        detail={"document": document.pk, "kind": document.kind},
    )
    document.delete()
    delete_files_on_commit([document])
