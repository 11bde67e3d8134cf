"""When a case step waits for the director's sign-off (督导审批), read by the step
services of `cases.services` inside their transaction. The decisions (approve,
return) are `cases.signoffs`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.cases.models import (
    HIGH_RISK_LEVELS,
    SIGN_OFF,
    Assessment,
    Case,
    CaseEvent,
    Signoff,
    SignoffSetting,
    SignoffStatus,
    SignoffStep,
)
from shegong.core.scope import may


def needs_signoff(actor: User, case: Case, step: str, risk_level: str = "") -> bool:
    """Whether `actor`'s step on `case` waits for sign-off: the station asks for
    it, the step is of that kind (an assessment: of a high or crisis risk), and
    the actor is not one who signs off (the director's own steps are in effect)."""
    if may(actor, SIGN_OFF, Signoff):
        return False
    if step == SignoffStep.ASSESSMENT and risk_level not in HIGH_RISK_LEVELS:
        return False
    setting = SignoffSetting.objects.filter(station_id=case.station_id).first()
    return setting is not None and setting.asks_for(step)


def refuse_second(case: Case, step: str) -> None:
    """A step of a kind that already waits for sign-off is refused: the
    director decides the first one before another is asked for."""
    if Signoff.objects.filter(case=case, step=step, status=SignoffStatus.PENDING).exists():
        raise ValidationError(
            {
                SignoffStep.ASSESSMENT: _(
                    "The last assessment waits for the director's sign-off; "
                    "it is decided before another one is recorded."
                ),
                SignoffStep.PLAN: _(
                    "The last service plan waits for the director's sign-off; "
                    "it is decided before another one is made."
                ),
                SignoffStep.CLOSURE: _("The closure of this case already waits for sign-off."),
            }[step],
            code="signoff_pending",
        )


def check_assessment_signed(case: Case) -> None:
    """A plan follows an assessment in effect: not one waiting for sign-off,
    nor one the director returned (the worker assesses again)."""
    latest = Assessment.objects.filter(case=case).order_by("-pk").first()
    if latest is None:
        return
    waiting = (
        Signoff.objects.filter(assessment=latest)
        .exclude(status=SignoffStatus.APPROVED)
        .values_list("status", flat=True)
        .first()
    )
    if waiting == SignoffStatus.PENDING:
        raise ValidationError(
            _("The assessment waits for the director's sign-off before a plan is made."),
            code="signoff_pending",
        )
    if waiting == SignoffStatus.RETURNED:
        raise ValidationError(
            _("The director returned the assessment: assess the case again before a plan."),
            code="signoff_returned",
        )


def signoff_request(actor: User, case: Case, step: str, **fields) -> Signoff:
    """Record the step as waiting for sign-off, with a line in the case history."""
    signoff = Signoff(case=case, step=step, author=actor, **fields)
    signoff.full_clean()
    signoff.save()
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        action="signoff_requested",
        detail={"step": step, "signoff": signoff.pk},
    )
    return signoff
