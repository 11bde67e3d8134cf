"""Web pages of the calendar 日程: a station's month, week and day (and a list,
which is also what a phone shows of the month and week), booking an appointment
(an overlap is warned and needs a confirmation), its page with the moves of its
status, the staff member's feed page and the feed itself (.ics, no log-in: the
secret token in its address is the key)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from shegong.agenda import ics, selectors, services
from shegong.agenda.forms import AppointmentForm, PlannedServiceForm
from shegong.agenda.models import Appointment, AppointmentStatus, CalendarFeed, PlannedService
from shegong.cases.models import OPEN_STATUSES, WORK, Case
from shegong.core.access import get_visible_or_404, require, require_at
from shegong.core.forms import add_errors, apply_service, bootstrap
from shegong.core.scope import CHANGE, CREATE, VIEW, actions_for, can_at
from shegong.org.models import Station

VIEWS = ("month", "week", "day", "list")
LIST_DAYS = 14


def _require_reader(user, station: Station) -> None:
    require_at(user, VIEW, Appointment, station, _("The calendar is for the station's own staff."))


def _day(request) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.localdate()


def _month_start(day: datetime.date, months: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _span(view: str, day: datetime.date):
    """(first shown, last shown, previous, next) of the view around `day`."""
    one = datetime.timedelta(days=1)
    if view == "month":
        first = _month_start(day)
        last = _month_start(day, 1) - one
        # Whole weeks, Monday first.
        return (
            first - datetime.timedelta(days=first.weekday()),
            last + datetime.timedelta(days=6 - last.weekday()),
            _month_start(day, -1),
            _month_start(day, 1),
        )
    if view == "week":
        monday = day - datetime.timedelta(days=day.weekday())
        week = datetime.timedelta(days=7)
        return monday, monday + 6 * one, monday - week, monday + week
    if view == "day":
        return day, day, day - one, day + one
    days = datetime.timedelta(days=LIST_DAYS)
    return day, day + days - one, day - days, day + days


@login_required
def calendar_home(request):
    """A station's own staff go to their station's calendar; a superuser picks
    a station; other roles read no calendar."""
    user = request.user
    if user.station_id:
        return redirect("agenda:station-calendar", pk=user.station_id)
    if not selectors.reads_calendar(user):
        raise PermissionDenied(_("The calendar is for the station's own staff."))
    stations = Station.objects.visible_to(user).order_by("code").only("pk", "code", "name")
    return render(request, "agenda/pick_station.html", {"stations": stations})


@login_required
def station_calendar(request, pk: int):
    user = request.user
    station = get_visible_or_404(Station, user, pk=pk)
    _require_reader(user, station)
    view = request.GET.get("view", "week")
    view = view if view in VIEWS else "week"
    day = _day(request)
    first, last, previous, following = _span(view, day)
    entries = selectors.calendar_entries(user, station, first, last)
    dates = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    today = timezone.localdate()
    names = _weekday_names()
    days = [
        {
            "date": d,
            "entries": entries.get(d, []),
            "today": d == today,
            "weekday": names[d.weekday()],
            "outside": view == "month" and d.month != day.month,
        }
        for d in dates
    ]
    context = {
        "station": station,
        "view": view,
        "views": _view_labels(),
        "day": day,
        "first": first,
        "last": last,
        "previous": previous,
        "following": following,
        "today": today,
        "days": days,
        "weeks": [days[i : i + 7] for i in range(0, len(days), 7)],
        "weekday_names": names,
        "may_book": can_at(user, CREATE, Appointment, station),
        "may_plan": can_at(user, CREATE, PlannedService, station),
    }
    return render(request, "agenda/calendar.html", context)


def _view_labels():
    return [
        ("month", _("By month")),
        ("week", _("By week")),
        ("day", _("By day")),
        ("list", _("List")),
    ]


def _weekday_names() -> list[str]:
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def _initial(request) -> dict:
    """A start given in the address (?start=2026-12-07T09:00, from a day of the
    calendar), the client (?client=) from a resident's page."""
    initial = {}
    start = request.GET.get("start")
    if start:
        try:
            starts_at = datetime.datetime.fromisoformat(start)
        except ValueError:
            starts_at = None
        if starts_at is not None:
            initial["starts_at"] = starts_at
            initial["ends_at"] = starts_at + datetime.timedelta(hours=1)
    if request.GET.get("client", "").isdigit():
        initial["client"] = int(request.GET["client"])
    return initial


@login_required
def appointment_book(request, pk: int):
    user = request.user
    station = get_visible_or_404(Station, user, pk=pk)
    require_at(
        user, CREATE, Appointment, station, _("Only the station's own staff book appointments.")
    )
    form = bootstrap(
        AppointmentForm(request.POST or None, user=user, station=station, initial=_initial(request))
    )
    overlap = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = services.appointment_book(
                actor=user,
                client=data["client"],
                worker=data["worker"],
                kind=data["kind"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                purpose=data["purpose"],
                confirm_overlap=data["confirm_overlap"],
            )
        except ValidationError as error:
            overlap = getattr(error, "code", None) == services.OVERLAP
            add_errors(form, error)
        else:
            messages.success(request, _("Appointment booked."))
            return redirect("agenda:appointment-detail", pk=appointment.pk)
    if not (overlap or form["confirm_overlap"].value()):
        # The confirmation is asked only once an overlap was found.
        form.fields["confirm_overlap"].widget = forms.HiddenInput()
    context = {"form": form, "station": station, "overlap": overlap}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "agenda/appointment_form.html", context, status=status)


def _case_to_note(user, appointment: Appointment) -> Case | None:
    """The client's open case the user works on, where the contact is recorded."""
    cases = Case.objects.visible_to(user, WORK).filter(client_id=appointment.client_id)
    return cases.filter(status__in=OPEN_STATUSES).order_by("-opened_on").first()


@login_required
def appointment_detail(request, pk: int):
    user = request.user
    appointment = get_visible_or_404(
        Appointment.objects.select_related("client", "worker", "station"), user, pk=pk
    )
    acts = actions_for(user, appointment)
    booked = appointment.status == AppointmentStatus.BOOKED
    started = appointment.starts_at <= timezone.now()
    context = {
        "appointment": appointment,
        "may_change": CHANGE in acts and booked,
        "may_close": CHANGE in acts and booked and started,
        "case": _case_to_note(user, appointment)
        if appointment.status == AppointmentStatus.ATTENDED
        else None,
    }
    return render(request, "agenda/appointment_detail.html", context)


@login_required
@require_POST
def appointment_transition(request, pk: int, transition: str):
    user = request.user
    appointment = get_visible_or_404(Appointment, user, pk=pk)
    move = services.TRANSITIONS.get(transition)
    if move is None:
        raise Http404(_("No such record."))
    require(user, CHANGE, appointment)
    try:
        result = move(actor=user, appointment=appointment)
    except ValidationError as error:
        back = reverse("agenda:appointment-detail", args=[appointment.pk])
        context = {"errors": error.messages, "back": back}
        return render(request, "agenda/refused.html", context, status=400)
    if transition == "no-show":
        messages.warning(request, _("Marked as a no-show: no contact is counted."))
        if result:
            messages.warning(request, _("The client's no-contact alert was raised."))
    elif transition == "attend":
        messages.success(
            request, _("Marked as attended. Record the service given to count the contact.")
        )
    else:
        messages.success(request, _("Appointment cancelled."))
    return redirect("agenda:appointment-detail", pk=appointment.pk)


# --- Planned group sessions and activities -----------------------------------------


@login_required
def planned_add(request, pk: int):
    user = request.user
    station = get_visible_or_404(Station, user, pk=pk)
    require_at(
        user, CREATE, PlannedService, station, _("Only the station's own staff plan its services.")
    )
    form = bootstrap(
        PlannedServiceForm(
            request.POST or None, user=user, station=station, initial=_initial(request)
        )
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        planned = apply_service(
            form,
            lambda: services.planned_service_add(
                actor=user,
                station=station,
                kind=data["kind"],
                group=data["group"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                workers=list(data["workers"]) or None,
            ),
        )
        if planned is not None:
            messages.success(request, _("Planned: %(title)s.") % {"title": planned.title})
            return redirect("agenda:planned-detail", pk=planned.pk)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "station": station}
    return render(request, "agenda/planned_form.html", context, status=status)


@login_required
def planned_detail(request, pk: int):
    user = request.user
    planned = get_visible_or_404(
        PlannedService.objects.select_related("station", "group").prefetch_related("workers"),
        user,
        pk=pk,
    )
    held = selectors.held_sessions([planned])
    status, label = selectors.planned_status(planned, held)
    context = {
        "planned": planned,
        "status": status,
        "status_label": label,
        "may_cancel": status == "planned" and CHANGE in actions_for(user, planned),
        "reads_calendar": selectors.reads_calendar(user),
    }
    return render(request, "agenda/planned_detail.html", context)


@login_required
@require_POST
def planned_cancel(request, pk: int):
    user = request.user
    planned = get_visible_or_404(PlannedService, user, pk=pk)
    require(user, CHANGE, planned)
    try:
        services.planned_service_cancel(actor=user, planned=planned)
    except ValidationError as error:
        context = {"errors": error.messages, "back": reverse("agenda:planned-detail", args=[pk])}
        return render(request, "agenda/refused.html", context, status=400)
    messages.success(request, _("The plan was cancelled."))
    return redirect("agenda:planned-detail", pk=pk)


# --- The feed ----------------------------------------------------------------------


@login_required
def feed_page(request):
    """The staff member's own feed: its address to copy into the phone's
    calendar, and the buttons to issue a new one or revoke it."""
    user = request.user
    require_at(
        user, CREATE, CalendarFeed, user.station, _("Feeds are for the station's own staff.")
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            services.calendar_feed_revoke(actor=user)
            messages.success(request, _("The feed was revoked; its address no longer works."))
        elif action == "regenerate":
            services.calendar_feed_issue(actor=user)
            messages.success(
                request, _("A new feed address was made; the old one no longer works.")
            )
        else:
            return HttpResponseBadRequest(_("Choose to make a new address or to revoke it."))
        return redirect("agenda:feed")
    feed = CalendarFeed.objects.visible_to(user).filter(user=user).first()
    url = (
        request.build_absolute_uri(reverse("agenda:feed-ics", args=[feed.token])) if feed else None
    )
    return render(request, "agenda/feed.html", {"feed": feed, "url": url})


@require_safe
def feed_ics(request, token: str):
    """The feed, read-only and without log-in. A token never issued, replaced or
    revoked is 404, as is one whose holder is no longer active."""
    feed = (
        CalendarFeed.objects.select_related("user").filter(token=token).first()
        if len(token) <= 64
        else None
    )
    if feed is None or not feed.user.is_active or feed.user.station_id != feed.station_id:
        raise Http404(_("No such record."))
    holder = feed.user
    body = ics.feed_calendar(
        selectors.feed_appointments(holder).select_related("client"),
        selectors.feed_events(holder),
        selectors.feed_planned(holder),
        request.build_absolute_uri,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="shegong.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
