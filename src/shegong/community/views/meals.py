"""The elderly meal programme (长者饭堂): enrolled elders, the day's roll call in
one screen and pre-meal activities (through `delivery.services`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, OuterRef, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from shegong.clients import pinyin
from shegong.clients.models import Resident, age_on
from shegong.community import forms, selectors, services
from shegong.community.models import MealEnrolment, MealKind, MealRecord
from shegong.community.views._common import form_status
from shegong.core.access import get_visible_or_404, require_at
from shegong.core.forms import apply_service, bootstrap
from shegong.core.lists import Paginator
from shegong.core.scope import CREATE
from shegong.delivery import selectors as delivery_selectors
from shegong.delivery.models import ServiceEvent
from shegong.org.models import Station

# --- Meal programme ----------------------------------------------------------------

# The enrol page lists this many candidates; a search narrows them down.
ENROL_CANDIDATES = 30
ELDER_AGE = 60


@login_required
def meal_home(request):
    """The station's enrolled elders with the day each last ate at the canteen,
    and its pre-meal activities. For the staff who keep the canteen's records (the
    meal scope's create right): the elders' names stay with the station."""
    user = request.user
    require_at(user, CREATE, MealRecord, None)
    today = timezone.localdate()
    last_meal = (
        MealRecord.objects.filter(station_id=user.station_id, resident=OuterRef("resident"))
        .order_by()
        .values("resident")
        .annotate(last=Max("served_on"))
        .values("last")
    )
    enrolments = (
        selectors.enrolments_visible_to(user)
        .filter(selectors.enrolled_on(user.station_id, today))
        .annotate(last_meal=Subquery(last_meal))
        .order_by("resident__name", "resident__pk")
    )
    query = request.GET.get("q", "").strip()[:50]
    if query:
        enrolments = enrolments.filter(pinyin.name_search(query, "resident"))
    page = Paginator(enrolments, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "today": selectors.meal_day(user, user.station, today),
        "activities": selectors.meal_activities(user, user.station)[:10],
    }
    return render(request, "community/meal_home.html", context)


@login_required
def meal_enrol(request):
    """Enrol an elder of the station: search by name, then enrol from the list."""
    user = request.user
    require_at(user, CREATE, MealEnrolment, None)
    form = bootstrap(forms.EnrolForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        resident = get_visible_or_404(
            delivery_selectors.station_residents(user), user, pk=form.cleaned_data["resident"]
        )
        enrolment = apply_service(
            form,
            lambda: services.meal_enrol(
                actor=user, resident=resident, started_on=form.cleaned_data["started_on"]
            ),
        )
        if enrolment is not None:
            messages.success(request, _("%(name)s enrolled.") % {"name": resident.name})
            return redirect("community:meal-home")
    today = timezone.localdate()
    candidates = delivery_selectors.station_residents(user).exclude(
        meal_enrolments__in=selectors.enrolments_visible_to(user).filter(
            selectors.enrolled_on(user.station_id, today)
        )
    )
    query = request.GET.get("q", "").strip()[:50]
    if query:
        candidates = candidates.filter(pinyin.name_search(query))
    else:
        born_by = datetime.date(today.year - ELDER_AGE, today.month, min(today.day, 28))
        candidates = candidates.filter(birth_date__lte=born_by)
    candidates = candidates.only("pk", "name", "birth_date")[:ENROL_CANDIDATES]
    context = {
        "form": form,
        "query": query,
        "candidates": [(r, age_on(r.birth_date, today)) for r in candidates],
    }
    return render(request, "community/meal_enrol.html", context, status=form_status(form))


def _day_from(value: str | None) -> datetime.date:
    try:
        return parse_date(value or "") or timezone.localdate()
    except ValueError:
        return timezone.localdate()


@login_required
def meal_roll_call(request):
    """The canteen's roll call for a day, in one screen: every enrolled elder with
    dine-in / delivery / absent, prefilled from the day's records, saved at once."""
    user = request.user
    # The roll call writes the day's meal records of the user's own station: the
    # meal scope's right to create them (the station's own staff), and the
    # station read through the scope.
    require_at(user, CREATE, MealRecord, None)
    station = get_visible_or_404(Station, user, pk=user.station_id)
    form = forms.RollCallForm(request.POST or None)
    marks: dict[int, str] = {}
    if request.method == "POST":
        day = _day_from(request.POST.get("served_on"))
        if form.is_valid():
            day = form.cleaned_data["served_on"]
            marks = form.marks()
        if form.is_valid():  # marks() may have added an error
            # An elder the form did not carry keeps the day's entry (the service's rule).
            present = {rid: kind for rid, kind in marks.items() if kind != selectors.ABSENT}
            absent = [rid for rid, kind in marks.items() if kind == selectors.ABSENT]
            result = apply_service(
                form,
                lambda: services.meal_roll_call(
                    actor=user, station=station, served_on=day, present=present, absent=absent
                ),
            )
            if result is not None:
                messages.success(
                    request,
                    _("Roll call of %(day)s saved: %(n)s elders ate.")
                    % {"day": day.isoformat(), "n": result["present"]},
                )
                return redirect(f"{reverse('community:meal-roll-call')}?date={day.isoformat()}")
    else:
        day = _day_from(request.GET.get("date"))
    roll_call = selectors.meal_day(user, station, day)
    fill = request.GET.get("fill")
    rows = []
    for enrolment, kind in roll_call.rows:
        if fill in MealKind.values:
            kind = fill
        rows.append((enrolment.resident, marks.get(enrolment.resident_id, kind)))
    context = {
        "form": form,
        "day": day,
        "roll_call": roll_call,
        "rows": rows,
        "choices": forms.ROLL_CALL_CHOICES,
        "is_future": day > timezone.localdate(),
        "previous_day": day - datetime.timedelta(days=1),
        "next_day": day + datetime.timedelta(days=1),
        "today": timezone.localdate(),
    }
    return render(request, "community/meal_roll_call.html", context, status=form_status(form))


@dataclass
class Checklist:
    """Residents to tick, with whether each is ticked (delivery/_checklist.html)."""

    rows: list[tuple[Resident, bool]]

    @property
    def ticked_count(self) -> int:
        return sum(checked for _resident, checked in self.rows)


def _elders_checklist(user, ticked: set[int]) -> Checklist:
    today = timezone.localdate()
    elders: Iterable[Resident] = (
        delivery_selectors.station_residents(user)
        .filter(
            meal_enrolments__in=selectors.enrolments_visible_to(user).filter(
                selectors.enrolled_on(user.station_id, today)
            )
        )
        .only("pk", "name", "birth_date")
    )
    return Checklist([(r, r.pk in ticked) for r in elders])


@login_required
def meal_activity_record(request):
    """A pre-meal activity (餐前活动) led by volunteers, recorded as a service event
    of kind "meal_activity" through delivery's service: it counts person-times
    like any other service, and the volunteers' hours count to their record."""
    user = request.user
    require_at(user, CREATE, ServiceEvent, None)
    form = bootstrap(forms.MealActivityForm(request.POST or None, user=user))
    if request.method == "POST" and form.is_valid():
        event = apply_service(form, lambda: form.record(user))
        if event is not None:
            messages.success(
                request,
                _("Pre-meal activity recorded: %(n)s person-times.") % {"n": event.person_times},
            )
            return redirect("delivery:event-detail", pk=event.pk)
    context = {
        "form": form,
        "elders": _elders_checklist(user, form.ticked()),
        "no_projects": not form.fields["project"].queryset.exists(),
    }
    return render(request, "community/meal_activity.html", context, status=form_status(form))
