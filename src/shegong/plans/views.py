"""Web pages of the 113X annual plan (年度服务计划): the list, drafting by the
station director, and approval or return by the district or city officer.

Every write calls a service of `plans.services`; the pages only decide which
forms to offer (`selectors.can_draft` / `can_decide`)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import get_visible_or_404, require, require_at
from shegong.core.forms import apply_service, bootstrap
from shegong.core.lists import Paginator
from shegong.core.scope import CHANGE, CREATE, can_at, may
from shegong.plans import forms, selectors, services
from shegong.plans.filtersets import AnnualPlanFilterSet
from shegong.plans.models import DECIDE, AnnualPlan, PlanProject, PlanStatus

PAGE_SIZE = 25


def _require_drafting_at(user, station) -> None:
    """403 for anyone who may not draft a plan of `station` (the plan's create:
    its director alone); a page of one's own station needs a station."""
    if station is None:
        raise PermissionDenied(services.drafting_refused())
    require_at(user, CREATE, AnnualPlan, station, message=services.drafting_refused())


def _filtered_plans(request):
    """The plans in scope, filtered by every valid filter of the request; invalid
    filters are reported and ignored (as on the directory page)."""
    base = selectors.plan_list(request.user)
    filterset = AnnualPlanFilterSet(request.GET, queryset=base, request=request)
    if filterset.is_valid():
        return filterset, filterset.qs
    valid = request.GET.copy()
    for name in filterset.errors:
        valid.pop(name, None)
    retry = AnnualPlanFilterSet(valid, queryset=base, request=request)
    return filterset, retry.qs if retry.is_valid() else base


@login_required
def plan_list(request):
    """The director's plans by year; for officers, the plans in scope with the
    ones waiting for approval first."""
    user = request.user
    filterset, plans = _filtered_plans(request)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filterset": filterset,
        "statuses": PlanStatus.choices,
        "status": request.GET.get("status", ""),
        # Those who draft their own station's plans (the plan's create).
        "is_director": user.station_id is not None and may(user, CREATE, AnnualPlan),
    }
    if context["is_director"]:
        year = selectors.next_plan_year(user.station_id, timezone.localdate().year)
        context["new_year"] = year
        context["copy_source"] = selectors.latest_plan_before(user, user.station_id, year)
    return render(request, "plans/plan_list.html", context)


@login_required
def plan_create(request):
    """A new, empty plan of the director's station for a year."""
    user = request.user
    _require_drafting_at(user, user.station)
    year = request.GET.get("year") or selectors.next_plan_year(
        user.station_id, timezone.localdate().year
    )
    form = bootstrap(forms.PlanCreateForm(request.POST or None, initial={"year": year}))
    if request.method == "POST" and form.is_valid():
        plan = apply_service(
            form,
            lambda: services.plan_create(actor=user, station=user.station, **form.cleaned_data),
        )
        if plan is not None:
            messages.success(request, _("Plan for %(year)s created.") % {"year": plan.year})
            return redirect("plans:plan-detail", pk=plan.pk)
    return render(request, "plans/plan_create.html", {"form": form})


@login_required
def plan_copy(request, pk: int):
    """Start a new year's plan from this one: its projects and targets."""
    source = get_visible_or_404(selectors.plans_visible_to(request.user), request.user, pk=pk)
    _require_drafting_at(request.user, source.station)
    year = selectors.next_plan_year(source.station_id, timezone.localdate().year)
    form = bootstrap(forms.PlanCopyForm(request.POST or None, initial={"year": year}))
    if request.method == "POST" and form.is_valid():
        plan = apply_service(
            form,
            lambda: services.plan_copy(
                actor=request.user, source=source, year=form.cleaned_data["year"]
            ),
        )
        if plan is not None:
            messages.success(
                request,
                _("The %(source)s plan was copied into %(year)s.")
                % {"source": source.year, "year": plan.year},
            )
            return redirect("plans:plan-detail", pk=plan.pk)
    return render(request, "plans/plan_copy.html", {"form": form, "source": source})


def _get_plan(request, pk: int) -> AnnualPlan:
    user = request.user
    plans = selectors.plan_with_projects(user, selectors.plans_visible_to(user))
    return get_visible_or_404(plans, user, pk=pk)


@login_required
def plan_detail(request, pk: int):
    return _render_plan(request, _get_plan(request, pk))


def _render_plan(request, plan: AnnualPlan, bound: dict | None = None, status: int = 200):
    """The plan page. `bound` holds a submitted form (by prefix) to show with its errors."""
    user = request.user
    bound = bound or {}
    drafting = selectors.can_draft(user, plan)
    deciding = selectors.can_decide(user, plan)
    shown = set()

    def form(prefix, form_class, **kwargs):
        shown.add(prefix)
        return bound.get(prefix) or bootstrap(form_class(prefix=prefix, **kwargs))

    sections = selectors.plan_sections(plan)
    if drafting:
        for section in sections:
            for project in section.projects:
                initial = {t.metric: t.value for t in project.targets.all()}
                project.targets_form = form(
                    f"targets-{project.pk}", forms.TargetsForm, initial=initial
                )
                project.remove_form = form(f"remove-{project.pk}", django_forms.Form)
    context = {
        "plan": plan,
        "sections": sections,
        "checklist": services.structure_errors(plan),
        "drafting": drafting,
        "deciding": deciding,
        "can_copy": can_at(user, CREATE, AnnualPlan, plan.station),
    }
    if drafting:
        context["reason_form"] = form(
            "reason",
            forms.PlanReasonForm,
            initial={"version": plan.version, "key_need_reason": plan.key_need_reason},
        )
        context["project_form"] = form("project", forms.ProjectForm)
        context["submit_form"] = form("submit", forms.SubmitForm, initial={"version": plan.version})
    if deciding:
        context["approve_form"] = form("approve", forms.ApproveForm)
        context["return_form"] = form("return", forms.ReturnForm)
    # A refused form the page no longer offers (the plan moved on meanwhile)
    # still tells why, above everything else.
    context["errors"] = [
        str(error)
        for prefix, bound_form in bound.items()
        if prefix not in shown
        for errors in bound_form.errors.values()
        for error in errors
    ]
    return render(request, "plans/plan_detail.html", context, status=status)


def _post(
    request,
    plan_pk: int,
    obj,
    prefix: str,
    form_class: type[django_forms.Form],
    call: Callable[[django_forms.Form], object],
    success: str,
    action: str = CHANGE,
):
    """Handle one of the forms of the plan page: 403 for an insider who may only
    read `obj` (may not perform the scope `action` on it), before the form is
    read; the service's refusal re-renders the page with the form's errors."""
    require(request.user, action, obj)
    form = bootstrap(form_class(request.POST, prefix=prefix))

    def run() -> bool:
        call(form)
        return True

    if form.is_valid() and apply_service(form, run):
        messages.success(request, success)
        return redirect("plans:plan-detail", pk=plan_pk)
    return _render_plan(request, _get_plan(request, plan_pk), bound={prefix: form}, status=400)


@login_required
@require_POST
def plan_edit(request, pk: int):
    plan = _get_plan(request, pk)
    return _post(
        request,
        plan.pk,
        plan,
        "reason",
        forms.PlanReasonForm,
        lambda f: services.plan_update(actor=request.user, plan=plan, **f.cleaned_data),
        _("Saved."),
    )


@login_required
@require_POST
def project_add(request, pk: int):
    plan = _get_plan(request, pk)
    return _post(
        request,
        plan.pk,
        plan,
        "project",
        forms.ProjectForm,
        lambda f: services.project_add(actor=request.user, plan=plan, **f.project()),
        _("Project added."),
    )


def _get_project(request, pk: int) -> PlanProject:
    projects = PlanProject.objects.visible_to(request.user).select_related("plan")
    return get_visible_or_404(projects, request.user, pk=pk)


@login_required
@require_POST
def project_targets(request, pk: int):
    project = _get_project(request, pk)
    return _post(
        request,
        project.plan_id,
        project,
        f"targets-{project.pk}",
        forms.TargetsForm,
        lambda f: services.target_set(actor=request.user, project=project, targets=f.targets()),
        _("Targets saved."),
    )


@login_required
@require_POST
def project_remove(request, pk: int):
    project = _get_project(request, pk)
    return _post(
        request,
        project.plan_id,
        project,
        f"remove-{project.pk}",
        django_forms.Form,
        lambda f: services.project_remove(actor=request.user, project=project),
        _("Project removed."),
    )


@login_required
@require_POST
def plan_submit(request, pk: int):
    plan = _get_plan(request, pk)
    return _post(
        request,
        plan.pk,
        plan,
        "submit",
        forms.SubmitForm,
        lambda f: services.plan_submit(actor=request.user, plan=plan, **f.cleaned_data),
        _("Plan submitted for approval."),
    )


@login_required
@require_POST
def plan_approve(request, pk: int):
    plan = _get_plan(request, pk)
    return _post(
        request,
        plan.pk,
        plan,
        "approve",
        forms.ApproveForm,
        lambda f: services.plan_approve(actor=request.user, plan=plan, **f.cleaned_data),
        _("Plan approved."),
        action=DECIDE,
    )


@login_required
@require_POST
def plan_return(request, pk: int):
    plan = _get_plan(request, pk)
    return _post(
        request,
        plan.pk,
        plan,
        "return",
        forms.ReturnForm,
        lambda f: services.plan_return(actor=request.user, plan=plan, **f.cleaned_data),
        _("Plan returned to the station."),
        action=DECIDE,
    )
