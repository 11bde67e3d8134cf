"""The group page (小组) and its group work stages per MZ/T 095-2017: the stage,
the session plans per stage, the evaluation at the end and closing the group.
Each write is a POST that goes back to the group page, or shows it again with
the refused form (400)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import get_visible_or_404, require
from shegong.core.forms import apply_service, bootstrap
from shegong.core.scope import CHANGE, can
from shegong.delivery import forms, group_stages, selectors
from shegong.delivery.models import (
    STAGE_ORDER,
    Group,
    GroupEvaluation,
    GroupSessionPlan,
    GroupStage,
    GroupStageChange,
)


def _stages(group: Group) -> list[dict]:
    here = STAGE_ORDER.index(group.stage)
    return [
        {"value": value, "label": GroupStage(value).label, "done": i < here, "current": i == here}
        for i, value in enumerate(STAGE_ORDER)
    ]


def render_group(request, group: Group, status: int = 200, **bound):
    """The group page; `bound` holds a refused form to show again by its name."""
    user = request.user
    may_change = can(user, CHANGE, group)
    open_ = group.closed_on is None
    evaluation = GroupEvaluation.objects.visible_to(user).filter(group=group).first()
    next_stage = STAGE_ORDER[min(STAGE_ORDER.index(group.stage) + 1, len(STAGE_ORDER) - 1)]
    writable = may_change and open_
    context = {
        "group": group,
        "sessions": selectors.group_sessions(user, group),
        "member_count": group.members.count(),
        "members": selectors.people_visible_to(user, group.members.all()),
        "leaders": group.leaders.all(),
        "shows_people": selectors.records_services(user) or user.is_superuser,
        "may_record": selectors.records_services(user)
        and user.station_id == group.station_id
        and open_
        and group.sessions_recorded < group.planned_sessions,
        "stages": _stages(group),
        "plans": list(
            GroupSessionPlan.objects.visible_to(user).filter(group=group).select_related("event")
        ),
        "stage_changes": GroupStageChange.objects.visible_to(user)
        .filter(group=group)
        .select_related("changed_by")[:10],
        "evaluation": evaluation,
        "may_change": writable,
    }
    if writable:
        context.update(
            stage_form=bound.get("stage")
            or bootstrap(forms.StageForm(initial={"stage": next_stage}, prefix="stage")),
            plan_form=bound.get("plan")
            or bootstrap(forms.SessionPlanForm(initial={"stage": group.stage}, prefix="plan")),
            link_form=bound.get("link")
            or bootstrap(forms.PlanLinkForm(group=group, user=user, prefix="link")),
            link_plan=bound.get("link_plan"),
            close_form=bound.get("close") or bootstrap(forms.GroupCloseForm(prefix="close")),
        )
        if evaluation is None and (not group.uses_stages or group.stage == GroupStage.ENDING):
            context["evaluation_form"] = bound.get("evaluation") or bootstrap(
                forms.GroupEvaluationForm(prefix="evaluation")
            )
    return render(request, "delivery/group_detail.html", context, status=status)


def _group(request, pk: int) -> Group:
    return get_visible_or_404(selectors.groups_visible_to(request.user), request.user, pk=pk)


@login_required
def group_detail(request, pk: int):
    return render_group(request, _group(request, pk))


def _write(request, group: Group, name: str, form, call, done: str, **extra):
    """Run the write of `form` (bound to the POST); back to the group page, or
    the page again with the refused form."""
    if form.is_valid() and apply_service(form, lambda: call(form.cleaned_data)) is not None:
        messages.success(request, done)
        return redirect("delivery:group-detail", pk=group.pk)
    return render_group(request, group, status=400, **{name: form}, **extra)


@login_required
@require_POST
def group_stage(request, pk: int):
    group = _group(request, pk)
    require(request.user, CHANGE, group)
    form = bootstrap(forms.StageForm(request.POST, prefix="stage"))
    return _write(
        request,
        group,
        "stage",
        form,
        lambda data: group_stages.group_stage_move(
            actor=request.user, group=group, stage=data["stage"], reason=data["reason"]
        ),
        _("Stage saved."),
    )


@login_required
@require_POST
def group_plan_add(request, pk: int):
    group = _group(request, pk)
    require(request.user, CHANGE, group)
    form = bootstrap(forms.SessionPlanForm(request.POST, prefix="plan"))
    return _write(
        request,
        group,
        "plan",
        form,
        lambda data: group_stages.group_session_plan_add(actor=request.user, group=group, **data),
        _("Session plan saved."),
    )


@login_required
@require_POST
def group_plan_link(request, pk: int):
    plan = get_visible_or_404(GroupSessionPlan, request.user, pk=pk)
    group = _group(request, plan.group_id)
    require(request.user, CHANGE, group)
    form = bootstrap(
        forms.PlanLinkForm(request.POST, group=group, user=request.user, prefix="link")
    )
    return _write(
        request,
        group,
        "link",
        form,
        lambda data: group_stages.group_session_plan_link(
            actor=request.user, plan=plan, event=data["event"]
        ),
        _("Session plan linked to the session held."),
        link_plan=plan.pk,
    )


@login_required
@require_POST
def group_evaluate(request, pk: int):
    group = _group(request, pk)
    require(request.user, CHANGE, group)
    form = bootstrap(forms.GroupEvaluationForm(request.POST, prefix="evaluation"))
    return _write(
        request,
        group,
        "evaluation",
        form,
        lambda data: group_stages.group_evaluate(actor=request.user, group=group, **data),
        _("Group evaluation saved."),
    )


@login_required
@require_POST
def group_close(request, pk: int):
    group = _group(request, pk)
    require(request.user, CHANGE, group)
    form = bootstrap(forms.GroupCloseForm(request.POST, prefix="close"))
    return _write(
        request,
        group,
        "close",
        form,
        lambda data: group_stages.group_close(
            actor=request.user, group=group, closed_on=data["closed_on"]
        ),
        _("Group closed."),
    )
