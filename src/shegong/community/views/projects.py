"""Governance projects (社区专案) with their stages and deliberation meetings (居民议事)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.community import filtersets, forms, selectors, services
from shegong.community.models import GovernanceProject
from shegong.community.views._common import (
    PAGE_SIZE,
    filtered,
    keeps_station_records,
    station_create_page,
)
from shegong.core.access import get_visible_or_404, require
from shegong.core.forms import apply_service, bootstrap
from shegong.core.lists import Paginator
from shegong.core.scope import CHANGE, can, may_create


@login_required
def project_list(request):
    user = request.user
    filterset, projects = filtered(
        filtersets.GovernanceProjectFilterSet,
        request,
        selectors.governance_projects_visible_to(user),
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter_fields": [filterset.form[n] for n in ("q", "stage")],
        "can_write": may_create(user, GovernanceProject),
        "many_stations": not keeps_station_records(user),
    }
    return render(request, "community/project_list.html", context)


@login_required
def project_create(request):
    return station_create_page(
        request,
        GovernanceProject,
        forms.GovernanceProjectForm,
        services.governance_project_create,
        success=_("Governance project created."),
        title=_("New governance project"),
        next_url=lambda project: reverse("community:project-detail", args=[project.pk]),
    )


def _stage_form(project: GovernanceProject, data=None):
    stages = services.allowed_next_stages(project.stage)
    if not stages:
        return None
    return bootstrap(forms.StageForm(data, stages=stages, prefix="stage"))


def _render_project(request, project, stage_form=None, meeting_form=None, status=200):
    user = request.user
    may_write = can(user, CHANGE, project)
    if may_write:
        stage_form = stage_form or _stage_form(project)
        meeting_form = meeting_form or bootstrap(forms.MeetingForm(prefix="meeting"))
    order = services.STAGE_ORDER
    reached = order.index(project.stage) if project.stage in order else -1
    context = {
        "project": project,
        "meetings": selectors.meetings_of(user, project),
        "stages": [(GovernanceProject.Stage(s).label, i <= reached) for i, s in enumerate(order)],
        "may_write": may_write,
        "stage_form": stage_form if may_write else None,
        "meeting_form": meeting_form if may_write else None,
    }
    return render(request, "community/project_detail.html", context, status=status)


@login_required
def project_detail(request, pk: int):
    project = get_visible_or_404(
        selectors.governance_projects_visible_to(request.user), request.user, pk=pk
    )
    return _render_project(request, project)


@login_required
@require_POST
def project_stage(request, pk: int):
    user = request.user
    project = get_visible_or_404(selectors.governance_projects_visible_to(user), user, pk=pk)
    require(user, CHANGE, project)
    form = _stage_form(project, request.POST)
    if form is None:
        messages.error(request, _("A completed project stays completed."))
        return redirect("community:project-detail", pk=project.pk)
    if form.is_valid() and apply_service(
        form,
        lambda: services.governance_stage_set(actor=user, project=project, **form.cleaned_data),
    ):
        messages.success(request, _("Stage saved."))
        return redirect("community:project-detail", pk=project.pk)
    return _render_project(request, project, stage_form=form, status=400)


@login_required
@require_POST
def project_meeting(request, pk: int):
    user = request.user
    project = get_visible_or_404(selectors.governance_projects_visible_to(user), user, pk=pk)
    require(user, CHANGE, project)
    form = bootstrap(forms.MeetingForm(request.POST, prefix="meeting"))
    if form.is_valid() and apply_service(
        form,
        lambda: services.deliberation_meeting_record(
            actor=user, project=project, **form.cleaned_data
        ),
    ):
        messages.success(request, _("Meeting recorded."))
        return redirect("community:project-detail", pk=project.pk)
    return _render_project(request, project, meeting_form=form, status=400)
