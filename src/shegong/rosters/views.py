"""Web pages of the rosters: the outreach list, a roster
person's page and the home visit recorded from it (the station's own staff), and
the coverage page with its Excel report (everyone, in their scope). The import's
pages are core.import_views (rosters.import_jobs)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shegong.core import export_jobs
from shegong.core.access import get_visible_or_404, require, require_at
from shegong.core.exports import tabular_response
from shegong.core.forms import DateInput, apply_service, bootstrap
from shegong.core.http import client_ip
from shegong.core.replicas import reads_from_replica
from shegong.core.scope import CREATE, VIEW, can_at, may
from shegong.plans.models import PlanProject
from shegong.rosters import coverage_export, importing, outreach, selectors, services
from shegong.rosters.models import (
    VISIT,
    RosterCategory,
    RosterEntry,
    RosterImport,
    VisitRule,
    VisitUnit,
)
from shegong.rosters.rules import rules_for

# --- Outreach -----------------------------------------------------------------------


def _station_staff(request):
    """The reader's station, for the pages of its own staff (403 for the rest)."""
    user = request.user
    if user.station_id is None or not may(user, VIEW, RosterEntry):
        raise PermissionDenied(_("The outreach list is for the station's own staff."))
    return user.station


@login_required
def outreach_list(request):
    station = _station_staff(request)
    people = outreach.outreach_list(selectors.entries_for(request.user), station.pk)
    status = request.GET.get("status", "")
    counts = {s: 0 for s in outreach.STATUS_ORDER}
    for person in people:
        counts[person.status] += 1
    if status in outreach.STATUS_LABELS:
        people = [p for p in people if p.status == status]
    return render(
        request,
        "rosters/outreach.html",
        {
            "station": station,
            "people": people,
            "status": status,
            "counts": [(s, outreach.STATUS_LABELS[s], counts[s]) for s in outreach.STATUS_ORDER],
        },
    )


@login_required
def entry_detail(request, pk: int):
    entry = get_visible_or_404(selectors.entries_for(request.user), request.user, pk=pk)
    services.roster_person_open(actor=request.user, entry=entry, ip=client_ip(request))
    history = selectors.entries_for(request.user).filter(
        id_number_hash=entry.id_number_hash, station_id=entry.station_id
    )
    people = outreach.outreach_list(
        selectors.entries_for(request.user).filter(resident_id=entry.resident_id),
        entry.station_id,
    )
    return render(
        request,
        "rosters/entry_detail.html",
        {
            "entry": entry,
            "history": history.order_by("-first_month", "category__order"),
            "person": people[0] if people else None,
        },
    )


class VisitForm(forms.Form):
    project = forms.ModelChoiceField(
        label=gettext_lazy("Project"), queryset=PlanProject.objects.none()
    )
    held_on = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    title = forms.CharField(label=gettext_lazy("Title"), max_length=150, required=False)

    def __init__(self, *args, station_id: int, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = PlanProject.objects.visible_to(user).filter(
            plan__station_id=station_id, plan__year=timezone.localdate().year
        )


@login_required
def visit_record(request, pk: int):
    entry = get_visible_or_404(selectors.entries_for(request.user), request.user, pk=pk)
    require(request.user, VISIT, entry)
    form = bootstrap(
        VisitForm(request.POST or None, station_id=entry.station_id, user=request.user)
    )
    if not form.is_bound:
        form.initial.update({"held_on": timezone.localdate(), "title": _("Roster home visit")})
    if request.method == "POST" and form.is_valid():
        event = apply_service(
            form,
            lambda: services.roster_visit_record(
                actor=request.user,
                entry=entry,
                project=form.cleaned_data["project"],
                held_on=form.cleaned_data["held_on"],
                title=form.cleaned_data["title"],
            ),
        )
        if event is not None:
            return redirect("rosters:outreach")
    return render(
        request,
        "rosters/visit.html",
        {"entry": entry, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- Coverage -----------------------------------------------------------------------


def coverage_params(params, user) -> dict:
    """year, month, level and the `within` filters (district, station, service
    point) from a query, defaulting to the latest month on file; ValidationError
    for a bad value."""
    level = params.get("level") or "station"
    if level not in selectors.LEVELS:
        raise ValidationError(
            {"level": _("Choose city, district, street, station, service point or community.")}
        )
    text = params.get("month") or ""
    if text:
        month = importing.month_of(text)
        year, number = month.year, month.month
    else:
        latest = selectors.latest_month(user)
        today = timezone.localdate()
        year, number = latest or (today.year, today.month)
    within = {}
    for name, lookup in selectors.WITHIN.items():
        value = params.get(name)
        if value:
            if not (value.isascii() and value.isdigit()) or len(value) > 18:
                raise ValidationError({name: _("A whole number is required.")})
            within[lookup] = int(value)
    return {"year": year, "month": number, "level": level, "within": within}


@reads_from_replica
@login_required
def coverage(request):
    try:
        params = coverage_params(request.GET, request.user)
    except ValidationError as error:
        return render(
            request,
            "rosters/coverage.html",
            {"errors": error.messages, "levels": selectors.LEVEL_LABELS.items()},
            status=400,
        )
    rows = selectors.coverage(request.user, **params)
    if request.GET.get("format") == "xlsx":
        table = coverage_export.coverage_table(request.user, params, rows)
        return tabular_response(
            "xlsx",
            table.basename,
            table.title,
            table.headers,
            table.rows,
            scope=table.scope,
            period=table.period,
        )
    totals = [r for r in rows if r.category_id is None]
    return render(
        request,
        "rosters/coverage.html",
        {
            "rows": rows,
            "totals": totals,
            "month": datetime.date(params["year"], params["month"], 1),
            "level": params["level"],
            "levels": selectors.LEVEL_LABELS.items(),
            "query": request.GET.urlencode(),
            "may_import": may(request.user, CREATE, RosterImport),
        },
    )


@login_required
@require_POST
def coverage_job(request):
    """The coverage report in Excel, built in the background (a city's every
    community takes a while): the job's page shows its progress, then the file."""
    try:
        params = coverage_params(request.GET, request.user)
    except ValidationError as error:
        return render(
            request,
            "rosters/coverage.html",
            {"errors": error.messages, "levels": selectors.LEVEL_LABELS.items()},
            status=400,
        )
    job = export_jobs.export_start(actor=request.user, name=coverage_export.EXPORT, params=params)
    return redirect("core:job-detail", pk=job.pk)


# --- Visit rules --------------------------------------------------------------------


class VisitRuleForm(forms.Form):
    category = forms.ModelChoiceField(
        label=gettext_lazy("List"), queryset=RosterCategory.objects.filter(is_active=True)
    )
    visit_every = forms.IntegerField(label=gettext_lazy("Visit every"), min_value=1, max_value=366)
    visit_unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=VisitUnit.choices)


@login_required
def visit_rules(request):
    """The station's visit rules: the city's for each list, or the station's own."""
    station = _station_staff(request)
    rules = rules_for([station.pk])
    own = {
        r.category_id for r in VisitRule.objects.visible_to(request.user).filter(station=station)
    }
    may_set = can_at(request.user, CREATE, VisitRule, station)
    form = bootstrap(VisitRuleForm(request.POST or None))
    if request.method == "POST":
        require_at(request.user, CREATE, VisitRule, station)
        if form.is_valid():
            saved = apply_service(
                form,
                lambda: services.visit_rule_set(
                    actor=request.user,
                    station=station,
                    category=form.cleaned_data["category"],
                    every=form.cleaned_data["visit_every"],
                    unit=form.cleaned_data["visit_unit"],
                ),
            )
            if saved is not None:
                return redirect("rosters:rules")
    categories = [
        (c, rules[(station.pk, c.pk)], c.pk in own)
        for c in RosterCategory.objects.filter(is_active=True)
    ]
    return render(
        request,
        "rosters/rules.html",
        {"station": station, "categories": categories, "form": form, "may_set": may_set},
        status=400 if request.method == "POST" else 200,
    )
