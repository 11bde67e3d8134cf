"""Supervisor sign-off 督导审批: the station's setting of the steps its director
signs off, and the director's decisions: approve, or return with a comment.
When a step waits is `cases.signoff_rules`; the steps are `cases.services`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.models import User
from shegong.cases import services
from shegong.cases.models import (
    SIGN_OFF,
    Case,
    CaseEvent,
    Signoff,
    SignoffSetting,
    SignoffStatus,
    SignoffStep,
)
from shegong.core.access import ensure_visible, require, require_at
from shegong.core.errors import EditConflict
from shegong.core.scope import CHANGE
from shegong.org.models import Station

DECIDE_REFUSED = gettext_lazy("Only the station director signs off case steps.")


def signoffs_visible_to(user: Any) -> QuerySet[Signoff]:
    return Signoff.objects.visible_to(user).select_related("case", "author", "decided_by")


def signoffs_to_decide(user: Any) -> QuerySet[Signoff]:
    """The steps waiting for `user`'s sign-off (the director's queue), oldest first."""
    return (
        Signoff.objects.visible_to(user, SIGN_OFF)
        .filter(status=SignoffStatus.PENDING)
        .select_related("case", "author")
        .order_by("created_at", "pk")
    )


def signoffs_of(user: Any, case: Case) -> list[Signoff]:
    """The case's sign-offs, for whoever reads its content (none for anyone else)."""
    rows = Signoff.objects.visible_under(user, "case", case).select_related("author", "decided_by")
    return list(rows.order_by("-created_at", "-pk"))


def _lock(actor: User, signoff: Signoff, version: int | None) -> Signoff:
    ensure_visible(actor, signoff)
    require(actor, SIGN_OFF, signoff, message=str(DECIDE_REFUSED))
    locked = Signoff.objects.select_for_update().select_related("case").get(pk=signoff.pk)
    if version is not None and locked.version != version:
        raise EditConflict()
    if locked.status != SignoffStatus.PENDING:
        raise ValidationError(_("This step was decided already."), code="invalid_transition")
    return locked


def _decide(actor: User, signoff: Signoff, status: str, comment: str) -> Signoff:
    signoff.status = status
    signoff.decided_by = actor
    signoff.decided_at = timezone.now()
    signoff.comment = comment
    signoff.version += 1
    signoff.full_clean()
    signoff.save()
    detail = {"step": signoff.step, "signoff": signoff.pk}
    if comment:
        detail["comment"] = comment
    CaseEvent.objects.create(
        case=signoff.case,
        actor=actor,
        action="signoff_approved" if status == SignoffStatus.APPROVED else "signoff_returned",
        detail=detail,
    )
    return signoff


@transaction.atomic
def signoff_approve(
    *, actor: User, signoff: Signoff, comment: str = "", version: int | None = None
) -> Signoff:
    """Sign the step off. An approved closure closes the case, with the date,
    outcome and summary the worker gave (refused, and nothing saved, if the case
    cannot close so any more: return it instead)."""
    signoff = _lock(actor, signoff, version)
    signoff = _decide(actor, signoff, SignoffStatus.APPROVED, comment.strip())
    if signoff.step == SignoffStep.CLOSURE:
        services.case_close(
            actor=actor,
            case=signoff.case,
            closed_on=signoff.closed_on,
            outcome=signoff.outcome,
            summary=signoff.summary,
            signed_off=signoff.pk,
        )
    return signoff


@transaction.atomic
def signoff_return(
    *, actor: User, signoff: Signoff, comment: str, version: int | None = None
) -> Signoff:
    """Return the step to the worker with a comment (required): an assessment
    is redone before a plan, a plan is made again, a closure stays open."""
    signoff = _lock(actor, signoff, version)
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the step is returned.")})
    return _decide(actor, signoff, SignoffStatus.RETURNED, comment.strip())


def setting_of(station_id: int) -> SignoffSetting:
    """The station's sign-off setting; an unsaved one (nothing signed off) if none."""
    found = SignoffSetting.objects.filter(station_id=station_id).first()
    return found or SignoffSetting(station_id=station_id)


@transaction.atomic
def signoff_setting_set(
    *,
    actor: User,
    station: Station,
    high_risk_assessment: bool,
    service_plan: bool,
    closure: bool,
) -> SignoffSetting:
    """The director chooses which steps of the station's cases they sign off.
    Steps already waiting keep waiting until decided."""
    ensure_visible(actor, station)
    require_at(
        actor,
        CHANGE,
        SignoffSetting,
        station,
        message=_("Only the station director sets which steps are signed off."),
    )
    setting, _created = SignoffSetting.objects.select_for_update().get_or_create(station=station)
    setting.high_risk_assessment = high_risk_assessment
    setting.service_plan = service_plan
    setting.closure = closure
    setting.full_clean()
    setting.save()
    ensure_visible(actor, setting)
    return setting
