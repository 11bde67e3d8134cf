"""Taking personal data out of the system 个人信息导出 (privacy.models.PersonalExport).

A resident list, a roster extract or a survey's contacts leave only as an export
asked for with a reason. The records are fixed when it is asked; up to
`settings.PERSONAL_EXPORT_APPROVAL_ROWS` of them it may be downloaded at once,
above that only after the station's director or the district's officer approved
it (never the requester themselves). An approved export can be downloaded for
`settings.PERSONAL_EXPORT_VALID_DAYS` days; each download is written to the access
log and the audit log, and the file carries its number, the user, the time and
the reason (`watermark`). A case file (PDF) is taken from the case page with a
reason, as a one-record export of its own."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.clients.services import log_sensitive_read
from shegong.core import audit
from shegong.core.access import require, require_at
from shegong.core.models import AccessLog
from shegong.core.scope import CREATE
from shegong.privacy.export_kinds import KINDS
from shegong.privacy.models import APPROVE, ExportKind, ExportStatus, PersonalExport

# One file holds at most this many records (narrow the filters for more).
MAX_ROWS = 20_000
MIN_REASON = 4


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError(
            {
                "reason": _("Say what the file is for (at least %(n)s characters).")
                % {"n": MIN_REASON}
            }
        )
    return reason


def needs_approval(rows: int) -> bool:
    return rows > settings.PERSONAL_EXPORT_APPROVAL_ROWS


@transaction.atomic
def personal_export_request(
    *, actor: User, kind: str, filters: dict, reason: str
) -> PersonalExport:
    """Ask for a file of `kind` with `filters` (raw form values). Approved at once
    when it is small, waiting for approval otherwise."""
    station = actor.station
    require_at(actor, CREATE, PersonalExport, station)
    if kind not in KINDS:
        raise ValidationError({"kind": _("Choose what to export from the list.")})
    reason = _clean_reason(reason)
    spec = KINDS[kind]
    params = spec.clean(actor, filters)
    ids = list(spec.records(actor, params).values_list("pk", flat=True)[: MAX_ROWS + 1])
    if not ids:
        raise ValidationError(_("No records match these filters: there is nothing to export."))
    if len(ids) > MAX_ROWS:
        raise ValidationError(
            _("More than %(max)s records: narrow the filters.") % {"max": f"{MAX_ROWS:,}"}
        )
    export = PersonalExport(
        station=station,
        kind=kind,
        params=params,
        record_ids=ids,
        rows=len(ids),
        reason=reason,
        requested_by=actor,
        status=ExportStatus.PENDING if needs_approval(len(ids)) else ExportStatus.APPROVED,
    )
    export.full_clean()
    export.save()
    audit.record(
        "create",
        obj=export,
        station_id=station.pk,
        detail={"kind": kind, "rows": export.rows, "status": export.status},
    )
    return export


@transaction.atomic
def personal_export_decide(
    *, actor: User, export: PersonalExport, approve: bool, comment: str = ""
) -> PersonalExport:
    """Approve or refuse a waiting export (a refusal says why)."""
    export = PersonalExport.objects.select_for_update().get(pk=export.pk)
    require(actor, APPROVE, export)
    if export.requested_by_id == actor.pk:
        raise PermissionDenied(_("An export is approved by someone other than who asked for it."))
    if export.status != ExportStatus.PENDING:
        raise ValidationError(_("This export has already been decided."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Say why the export is refused.")})
    export.status = ExportStatus.APPROVED if approve else ExportStatus.REFUSED
    export.decided_by = actor
    export.decided_at = timezone.now()
    export.decision_comment = comment
    export.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    audit.record(
        "update", obj=export, station_id=export.station_id, detail={"status": export.status}
    )
    return export


def expires_at(export: PersonalExport) -> datetime.datetime | None:
    if export.status != ExportStatus.APPROVED:
        return None
    start = export.decided_at or export.created_at
    return start + datetime.timedelta(days=settings.PERSONAL_EXPORT_VALID_DAYS)


def watermark(export: PersonalExport, user: User, at: datetime.datetime) -> str:
    who = f"{user.full_name} {user.username}" if user.full_name else user.username
    return _("%(number)s · exported by %(who)s · %(at)s · reason: %(reason)s") % {
        "number": export.number,
        "who": who,
        "at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
        "reason": export.reason,
    }


@transaction.atomic
def personal_export_download(*, actor: User, export: PersonalExport, ip: str | None = None) -> str:
    """Check that `actor` may take the file now, log it, and return its watermark."""
    if export.requested_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who asked for an export downloads it."))
    if export.status == ExportStatus.PENDING:
        raise ValidationError(_("This export is waiting for approval."))
    if export.status == ExportStatus.REFUSED:
        raise ValidationError(_("This export was refused."))
    now = timezone.now()
    if now > expires_at(export):
        raise ValidationError(_("This export has expired: ask for a new one."))
    PersonalExport.objects.filter(pk=export.pk).update(
        downloads=F("downloads") + 1, last_downloaded_at=now
    )
    _log(actor, export, ip)
    return watermark(export, actor, now)


def _log(actor: User, export: PersonalExport, ip: str | None) -> None:
    log_sensitive_read(
        user=actor,
        action=AccessLog.Action.EXPORT_PERSONAL,
        station_id=export.station_id,
        obj=export,
        label=f"{export.number} {export.get_kind_display()} ×{export.rows}",
        ip=ip,
    )
    audit.record(
        "export",
        obj=export,
        station_id=export.station_id,
        object_repr=f"{export.number} {export.get_kind_display()}",
        detail={"kind": export.kind, "rows": export.rows, "reason": export.reason},
    )


@transaction.atomic
def case_file_export(*, actor: User, case, reason: str, ip: str | None = None) -> str:
    """A case file taken out as a PDF: recorded as a one-record export (no approval:
    it is one person's file, read by those who may read it), logged, and its
    watermark returned for the document."""
    reason = _clean_reason(reason)
    export = PersonalExport(
        station_id=case.station_id,
        kind=ExportKind.CASE_FILE,
        params={"case": case.pk},
        record_ids=[case.pk],
        rows=1,
        reason=reason,
        requested_by=actor,
        status=ExportStatus.APPROVED,
        downloads=1,
        last_downloaded_at=timezone.now(),
    )
    export.full_clean()
    export.save()
    _log(actor, export, ip)
    return watermark(export, actor, export.last_downloaded_at)
