"""Writes of the 113X annual plan: drafting, the 1+1+3 rule, submission and the
official's decision. One service per transition of the plan's state machine:

    draft ─submit→ submitted ─approve→ approved
      ↑                 └──return──→ returned ─submit→ submitted
      └──── edits allowed in draft and returned ────┘
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.access import ensure_visible, require, require_at
from shegong.core.errors import EditConflict
from shegong.core.models import Domain
from shegong.core.scope import CHANGE, CREATE
from shegong.org.models import Station
from shegong.plans.models import (
    DECIDE,
    AnnualPlan,
    PlanProject,
    PlanStatus,
    ProjectKind,
    ProjectTarget,
)

EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)
BASIC_DOMAINS = {Domain.FAMILY, Domain.ELDERLY, Domain.YOUTH}


def drafting_refused() -> str:
    return _("Only the station director drafts the station's plan.")


def _editable(actor: User, plan: AnnualPlan) -> AnnualPlan:
    ensure_visible(actor, plan)
    require(actor, CHANGE, plan, message=drafting_refused())
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in EDITABLE:
        raise ValidationError(_("A submitted or approved plan cannot be changed."))
    return plan


@transaction.atomic
def plan_create(
    *, actor: User, station: Station, year: int, key_need_reason: str = ""
) -> AnnualPlan:
    ensure_visible(actor, station)
    require_at(actor, CREATE, AnnualPlan, station, message=drafting_refused())
    plan = AnnualPlan(station=station, year=year, key_need_reason=key_need_reason)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_update(
    *, actor: User, plan: AnnualPlan, key_need_reason: str, version: int | None = None
) -> AnnualPlan:
    """Change the plan's own text while it is editable (the key need's reason is
    required for submission, so a plan created without it must be able to get it)."""
    plan = _editable(actor, plan)
    if version is not None and plan.version != version:
        raise EditConflict()
    plan.key_need_reason = key_need_reason.strip()
    plan.full_clean()
    plan.version += 1
    plan.save()
    return plan


@transaction.atomic
def plan_copy(*, actor: User, source: AnnualPlan, year: int) -> AnnualPlan:
    """Start next year's plan from an earlier one: its projects and targets."""
    ensure_visible(actor, source)
    plan = plan_create(
        actor=actor, station=source.station, year=year, key_need_reason=source.key_need_reason
    )
    for project in source.projects.prefetch_related("targets"):
        copy = PlanProject.objects.create(
            plan=plan,
            kind=project.kind,
            domain=project.domain,
            name=project.name,
            description=project.description,
        )
        ProjectTarget.objects.bulk_create(
            ProjectTarget(project=copy, metric=t.metric, value=t.value)
            for t in project.targets.all()
        )
    return plan


@transaction.atomic
def project_add(
    *,
    actor: User,
    plan: AnnualPlan,
    kind: str,
    domain: str,
    name: str,
    description: str = "",
    targets: dict[str, int] | None = None,
) -> PlanProject:
    plan = _editable(actor, plan)
    if kind in (ProjectKind.CORE, ProjectKind.KEY) and plan.projects.filter(kind=kind).exists():
        raise ValidationError(
            {"kind": _("The plan already has its %(kind)s.") % {"kind": ProjectKind(kind).label}}
        )
    if kind == ProjectKind.BASIC and plan.projects.filter(kind=kind, domain=domain).exists():
        raise ValidationError(
            {"domain": _("The plan already has the basic project of that domain.")}
        )
    project = PlanProject(
        plan=plan, kind=kind, domain=domain, name=name.strip(), description=description
    )
    project.full_clean()
    project.save()
    target_set(actor=actor, project=project, targets=targets or {})
    return project


@transaction.atomic
def target_set(*, actor: User, project: PlanProject, targets: dict[str, int]) -> None:
    """Set the project's annual targets (metric → value); 0 removes a target."""
    _editable(actor, project.plan)
    for metric, value in targets.items():
        if value is None or value == 0:
            ProjectTarget.objects.filter(project=project, metric=metric).delete()
            continue
        # Validated before the first write: get_or_create would insert a negative
        # value and hit the database's check (a 500) before full_clean ran.
        target = ProjectTarget.objects.filter(project=project, metric=metric).first()
        if target is None:
            target = ProjectTarget(project=project, metric=metric)
        target.value = value
        target.full_clean()
        target.save()


@transaction.atomic
def project_remove(*, actor: User, project: PlanProject) -> None:
    _editable(actor, project.plan)
    if project.events.exists() or project.groups.exists():
        raise ValidationError(_("Services are already recorded under this project."))
    project.delete()


def structure_errors(plan: AnnualPlan) -> list[str]:
    """What keeps the plan from the 113X shape: exactly 1 core, 1 key, and 3 basic
    projects (family, elderly, youth); featured projects are free."""
    projects = list(plan.projects.all())
    kinds = Counter(p.kind for p in projects)
    errors = []
    if kinds[ProjectKind.CORE] != 1:
        errors.append(_("The plan needs exactly one core project (party-building leadership)."))
    if kinds[ProjectKind.KEY] != 1:
        errors.append(_("The plan needs exactly one key project (the most urgent need)."))
    basic = Counter(p.domain for p in projects if p.kind == ProjectKind.BASIC)
    if set(basic) != BASIC_DOMAINS or any(n != 1 for n in basic.values()):
        errors.append(
            _("The plan needs three basic projects: one each for family, elderly and youth.")
        )
    return errors


@transaction.atomic
def plan_submit(*, actor: User, plan: AnnualPlan, version: int | None = None) -> AnnualPlan:
    plan = _editable(actor, plan)
    if version is not None and plan.version != version:
        raise EditConflict()
    errors = structure_errors(plan)
    if errors:
        raise ValidationError(errors)
    if not plan.key_need_reason.strip():
        raise ValidationError(
            {
                "key_need_reason": _(
                    "Say which need the key project answers (from the needs survey)."
                )
            }
        )
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_by = actor
    plan.submitted_at = timezone.now()
    plan.version += 1
    plan.save()
    return plan


def _decide(actor: User, plan: AnnualPlan, status: str, comment: str) -> AnnualPlan:
    ensure_visible(actor, plan)
    require(actor, DECIDE, plan, message=_("Only district or city officers approve plans."))
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be approved or returned."))
    plan.status = status
    plan.decided_by = actor
    plan.decided_at = timezone.now()
    plan.decision_comment = comment.strip()
    plan.version += 1
    plan.save()
    return plan


@transaction.atomic
def plan_approve(*, actor: User, plan: AnnualPlan, comment: str = "") -> AnnualPlan:
    return _decide(actor, plan, PlanStatus.APPROVED, comment)


@transaction.atomic
def plan_return(*, actor: User, plan: AnnualPlan, comment: str) -> AnnualPlan:
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs changing.")})
    return _decide(actor, plan, PlanStatus.RETURNED, comment)
