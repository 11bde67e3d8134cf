"""Group work stages per MZ/T 095-2017 (筹备 → 形成 → 转折 → 成熟 → 结束): moving a
group through them, its session plans per stage, its evaluation at the end, and
closing it. Every write needs the group's CHANGE (its station's staff)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.access import ensure_visible, require
from shegong.core.scope import CHANGE
from shegong.delivery.models import (
    STAGE_ORDER,
    Group,
    GroupEvaluation,
    GroupSessionPlan,
    GroupStage,
    GroupStageChange,
    ServiceEvent,
)


def _lock(actor: User, group: Group) -> Group:
    ensure_visible(actor, group)
    require(actor, CHANGE, group)
    locked = Group.objects.select_for_update().get(pk=group.pk)
    if locked.closed_on is not None:
        raise ValidationError(_("This group is closed."))
    return locked


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


@transaction.atomic
def group_stage_move(*, actor: User, group: Group, stage: str, reason: str = "") -> Group:
    """Move the group to the next stage, or back to an earlier one with a
    reason; never forward past the next one. The group then follows the stages."""
    group = _lock(actor, group)
    if stage not in STAGE_ORDER:
        raise ValidationError({"stage": _("Unknown stage.")})
    here, there = STAGE_ORDER.index(group.stage), STAGE_ORDER.index(stage)
    reason = reason.strip()
    if there == here and group.uses_stages:
        raise ValidationError({"stage": _("The group is already in this stage.")})
    if there > here + 1:
        raise ValidationError(
            {
                "stage": _("Stages are not skipped: the next stage is %(next)s.")
                % {"next": GroupStage(STAGE_ORDER[here + 1]).label}
            }
        )
    if there < here and not reason:
        raise ValidationError({"reason": _("Give the reason for going back to an earlier stage.")})
    GroupStageChange.objects.create(
        group=group, from_stage=group.stage, to_stage=stage, reason=reason, changed_by=actor
    )
    group.stage = stage
    group.uses_stages = True
    group.full_clean()
    group.save(update_fields=["stage", "uses_stages", "updated_at"])
    return group


@transaction.atomic
def group_session_plan_add(
    *,
    actor: User,
    group: Group,
    stage: str,
    planned_on: datetime.date,
    goals: str,
    activities: str,
) -> GroupSessionPlan:
    group = _lock(actor, group)
    plan = GroupSessionPlan(
        group=group,
        stage=stage,
        planned_on=planned_on,
        goals=goals.strip(),
        activities=activities.strip(),
        author=actor,
    )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def group_session_plan_link(
    *, actor: User, plan: GroupSessionPlan, event: ServiceEvent
) -> GroupSessionPlan:
    """Link the plan to the session of its group that carried it out."""
    _lock(actor, plan.group)
    plan = GroupSessionPlan.objects.select_for_update().get(pk=plan.pk)
    if event.group_id != plan.group_id:
        raise ValidationError({"event": _("This session is not one of this group's.")})
    if GroupSessionPlan.objects.filter(event=event).exclude(pk=plan.pk).exists():
        raise ValidationError({"event": _("This session is already linked to a plan.")})
    plan.event = event
    plan.full_clean()
    plan.save(update_fields=["event", "updated_at"])
    return plan


@transaction.atomic
def group_evaluate(
    *,
    actor: User,
    group: Group,
    evaluated_on: datetime.date,
    goals_attained: str,
    member_feedback: str,
    score: int,
) -> GroupEvaluation:
    """小组评估, once, at the group's end (its ending stage when it follows the stages)."""
    group = _lock(actor, group)
    if group.uses_stages and group.stage != GroupStage.ENDING:
        raise ValidationError(_("A group is evaluated in its ending stage."))
    if GroupEvaluation.objects.filter(group=group).exists():
        raise ValidationError(_("This group is already evaluated."))
    _not_future(evaluated_on, "evaluated_on")
    evaluation = GroupEvaluation(
        group=group,
        evaluated_on=evaluated_on,
        goals_attained=goals_attained,
        member_feedback=member_feedback.strip(),
        score=score,
        author=actor,
    )
    evaluation.full_clean()
    evaluation.save()
    return evaluation


@transaction.atomic
def group_close(*, actor: User, group: Group, closed_on: datetime.date) -> Group:
    """Close the group; one that follows the stages only once it is evaluated."""
    group = _lock(actor, group)
    if group.uses_stages and not GroupEvaluation.objects.filter(group=group).exists():
        raise ValidationError(_("Evaluate the group before closing it."))
    _not_future(closed_on, "closed_on")
    group.closed_on = closed_on
    group.full_clean()
    group.save(update_fields=["closed_on", "updated_at"])
    return group
