"""Web pages for service records (服务记录): the station's service events with
their person-times, recording a service, correcting attendance, and groups
(小组) with their sessions. Every write goes through `delivery.services`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.clients.models import Resident
from shegong.core.access import get_visible_or_404, require
from shegong.core.forms import apply_service, bootstrap
from shegong.core.lists import Paginator
from shegong.core.models import Domain
from shegong.core.scope import CHANGE, can
from shegong.delivery import forms, selectors, services
from shegong.delivery.filtersets import ServiceEventFilterSet
from shegong.delivery.models import EventKind, Group, ServiceEvent
from shegong.plans.models import PlanProject

PAGE_SIZE = 25


@dataclass
class Checklist:
    """Residents to tick, with whether each is ticked (see _checklist.html)."""

    rows: list[tuple[Resident, bool]]

    @property
    def ticked_count(self) -> int:
        return sum(checked for _resident, checked in self.rows)


def _checklist(residents: Iterable[Resident], ticked: set[int]) -> Checklist:
    return Checklist([(r, r.pk in ticked) for r in residents])


def _people(queryset):
    return queryset.only("pk", "name", "birth_date")


def _require_recorder(user) -> None:
    """Only a station's own staff record its services; officials read them."""
    if not selectors.records_services(user):
        raise PermissionDenied(_("Only the station's own staff record its services."))


def _may_change(user, event: ServiceEvent) -> bool:
    # Casework contacts change through their case; the rest by the scope's change right.
    return event.kind != EventKind.CASEWORK and can(user, CHANGE, event)


# --- Service events ---------------------------------------------------------------


@login_required
def event_list(request):
    """The service events in the user's scope, filtered by date range, project and
    kind, with each event's person-times and the total of the filter."""
    user = request.user
    filterset = ServiceEventFilterSet(
        request.GET or None, queryset=selectors.events_visible_to(user), request=request
    )
    form = filterset.form
    # The page's project menu: the station's projects for its own staff, this
    # year's projects (named with their station) for those who see many stations.
    projects = PlanProject.objects.visible_to(user).select_related("plan__station")
    project_field = form.fields["project"]
    if selectors.records_services(user):
        projects = projects.filter(plan__station_id=user.station_id)
        project_field.label_from_instance = lambda p: f"{p.name} ({p.plan.year})"
    else:
        projects = projects.filter(plan__year=timezone.localdate().year)
        project_field.label_from_instance = lambda p: f"{p.plan.station.name} · {p.name}"
    project_field.queryset = projects.order_by("-plan__year", "plan__station__code", "kind")
    for name in ("held_after", "held_before"):
        form.fields[name].widget.input_type = "date"
    bootstrap(form)
    if not filterset.is_bound:
        events = filterset.queryset
    elif filterset.is_valid():
        events = filterset.qs
    else:
        events = filterset.queryset.none()  # the form shows what is wrong
    by_domain = selectors.person_times_by_domain(events)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter_fields": [
            form[name] for name in ("held_after", "held_before", "project", "kind", "point")
        ],
        "total": sum(by_domain.values()),
        "by_domain": [(Domain(d).label, n) for d, n in by_domain.items()],
        "can_record": selectors.records_services(user),
        "many_stations": not selectors.records_services(user),
    }
    return render(request, "delivery/event_list.html", context)


@login_required
def event_record(request):
    """Record a service (not casework: those come from case notes; not a group
    session: those are recorded from their group)."""
    user = request.user
    _require_recorder(user)
    form = bootstrap(forms.EventForm(request.POST or None, user=user))
    if request.method == "POST" and form.is_valid():
        event = apply_service(form, lambda: form.record(user))
        if event is not None:
            messages.success(
                request,
                _("Service recorded: %(n)s person-times.") % {"n": event.person_times},
            )
            return redirect("delivery:event-detail", pk=event.pk)
    # No list of the station's residents: attendees are looked up by name; those
    # ticked in a form shown again stay listed.
    others, lookup = _others_and_lookup(
        request, form, _people(form.fields["attendees"].queryset), listed=set()
    )
    if lookup["found"] is not None and request.htmx:
        return render(request, "delivery/_lookup_results.html", lookup)
    context = {
        "form": form,
        "others": others,
        **lookup,
        "no_projects": not form.fields["project"].queryset.exists(),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "delivery/event_record.html", context, status=status)


@login_required
def event_detail(request, pk: int):
    user = request.user
    event = get_visible_or_404(selectors.event_detail_queryset(user), user, pk=pk)
    attendees = selectors.attendees_of(user, event)
    context = {
        "event": event,
        "named": len(event.attendances.all()),
        "attendees": attendees,
        "shows_people": selectors.records_services(user) or user.is_superuser,
        "may_change": _may_change(user, event),
    }
    return render(request, "delivery/event_detail.html", context)


@login_required
def event_attendance(request, pk: int):
    """Correct who attended; person-times follow."""
    user = request.user
    event = get_visible_or_404(selectors.events_visible_to(user), user, pk=pk)
    require(user, CHANGE, event)
    _require_recorder(user)
    if event.kind == EventKind.CASEWORK:
        messages.error(request, _("Casework contacts are changed through their case."))
        return redirect("delivery:event-detail", pk=event.pk)
    current = list(_people(selectors.attendees_of(user, event)))
    form = bootstrap(
        forms.AttendanceForm(
            request.POST or None,
            user=user,
            event=event,
            initial={"attendees": current, "headcount": event.headcount},
        )
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        updated = apply_service(
            form,
            lambda: services.service_event_update_attendance(
                actor=user,
                event=event,
                attendees=list(data["attendees"]),
                headcount=data.get("headcount", 0),
            ),
        )
        if updated is not None:
            messages.success(
                request,
                _("Attendance corrected: %(n)s person-times.") % {"n": updated.person_times},
            )
            return redirect("delivery:event-detail", pk=event.pk)
    residents = _people(form.fields["attendees"].queryset)
    members = Checklist([])
    if event.group_id:
        members = _checklist(residents.filter(groups=event.group_id), form.ticked())
    # The event's attendees and the group's members are listed; anybody else of
    # the station is looked up by name (a station has thousands of residents).
    others, lookup = _others_and_lookup(
        request,
        form,
        residents,
        listed={r.pk for r, _ticked in members.rows},
        extra={r.pk for r in current},
        exclude=event.group.members.all() if event.group_id else None,
    )
    if lookup["found"] is not None and request.htmx:
        return render(request, "delivery/_lookup_results.html", lookup)
    context = {"event": event, "form": form, "members": members, "others": others, **lookup}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "delivery/event_attendance.html", context, status=status)


@login_required
def event_delete(request, pk: int):
    user = request.user
    event = get_visible_or_404(selectors.events_visible_to(user), user, pk=pk)
    require(user, CHANGE, event)
    _require_recorder(user)
    form = forms.ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        group_id = event.group_id

        def delete() -> bool:
            services.service_event_delete(actor=user, event=event)
            return True

        if apply_service(form, delete):
            messages.success(request, _("Service record deleted."))
            if group_id:
                return redirect("delivery:group-detail", pk=group_id)
            return redirect("delivery:event-list")
    status = 400 if form.errors else 200
    return render(
        request, "delivery/event_delete.html", {"event": event, "form": form}, status=status
    )


# --- Groups -----------------------------------------------------------------------


@login_required
def group_list(request):
    user = request.user
    groups = selectors.groups_visible_to(user)
    query = request.GET.get("q", "").strip()[:50]
    if query:
        groups = groups.filter(name__icontains=query)
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "can_record": selectors.records_services(user),
        "many_stations": not selectors.records_services(user),
    }
    return render(request, "delivery/group_list.html", context)


@login_required
def group_create(request):
    user = request.user
    _require_recorder(user)
    form = bootstrap(forms.GroupForm(request.POST or None, user=user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = apply_service(
            form,
            lambda: services.group_create(
                actor=user,
                project=data["project"],
                name=data["name"],
                planned_sessions=data["planned_sessions"],
                members=list(data["members"]),
                leaders=list(data["leaders"]),
                point=data["point"],
                uses_stages=data["uses_stages"],
            ),
        )
        if group is not None:
            messages.success(request, _("Group created."))
            return redirect("delivery:group-detail", pk=group.pk)
    # No list of the station's residents: members are looked up by name; those
    # ticked in a form shown again stay listed.
    others, lookup = _others_and_lookup(
        request, form, _people(form.fields["members"].queryset), listed=set()
    )
    if lookup["found"] is not None and request.htmx:
        return render(request, "delivery/_lookup_results.html", lookup)
    context = {
        "form": form,
        "others": others,
        **lookup,
        "no_projects": not form.fields["project"].queryset.exists(),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "delivery/group_create.html", context, status=status)


@login_required
def group_session_record(request, pk: int):
    """Record a session of the group: the members as a checklist, plus anyone who
    came without being a member."""
    user = request.user
    group = get_visible_or_404(Group, user, pk=pk)
    require(user, CHANGE, group)
    _require_recorder(user)
    # On a POST the service numbers the session under the group's lock.
    next_number = _next_session_number(group) if request.method == "GET" else None
    if next_number and next_number > group.planned_sessions:
        # No form that cannot be sent: the service refuses a session past the plan.
        messages.info(
            request,
            _("All %(n)s planned sessions of this group are recorded.")
            % {"n": group.planned_sessions},
        )
        return redirect("delivery:group-detail", pk=group.pk)
    form = bootstrap(forms.SessionForm(request.POST or None, user=user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        event = apply_service(
            form,
            lambda: services.group_session_record(
                actor=user,
                group=group,
                held_on=data["held_on"],
                title=data["title"],
                attendees=list(data["attendees"]),
                volunteers=form.volunteer_hours(),
                party_members=list(data["party_members"]),
                **form.times(),
            ),
        )
        if event is not None:
            messages.success(
                request,
                _("Session %(n)s recorded: %(times)s person-times.")
                % {"n": event.session_number, "times": event.person_times},
            )
            return redirect("delivery:event-detail", pk=event.pk)
    residents = _people(form.fields["attendees"].queryset)
    members = _checklist(residents.filter(groups=group), form.ticked())
    # Non-members are not listed (a station has thousands of residents): they are
    # looked up by name; those ticked in a form shown again stay listed.
    others, lookup = _others_and_lookup(
        request,
        form,
        residents,
        listed={r.pk for r, _ticked in members.rows},
        exclude=group.members.all(),
    )
    if lookup["found"] is not None and request.htmx:
        return render(request, "delivery/_lookup_results.html", lookup)
    context = {
        "group": group,
        "form": form,
        "members": members,
        "others": others,
        **lookup,
        "next_number": next_number or _next_session_number(group),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "delivery/group_session.html", context, status=status)


def _next_session_number(group: Group) -> int:
    return (group.sessions.aggregate(last=Max("session_number"))["last"] or 0) + 1


def _others_and_lookup(
    request, form, residents, *, listed: set[int], extra: Iterable[int] = (), exclude=None
) -> tuple[Checklist, dict]:
    """A form's residents beyond those the page lists itself (`listed`, e.g. a
    group's members), and the name look-up (?q=) of anybody else of the user's
    station (selectors.station_residents_matching, through the scope).

    `others`: the residents of `extra` (e.g. an event's attendees) and those
    ticked in a form shown again, ticked as in the form. The look-up leaves out
    `exclude` (a queryset), everyone listed, and the ids the page sends as the
    form's field (those ticked since). The whole station stays the form field's
    queryset: only the rendering is narrowed, a POST is validated as before."""
    ticked = form.ticked()
    other_ids = (ticked | set(extra)) - listed
    others = _checklist(residents.filter(pk__in=other_ids), ticked) if other_ids else Checklist([])
    field = form.ticked_field
    query = request.GET.get("q", "").strip()[:50]
    found = None
    if query:
        sent = {int(v) for v in request.GET.getlist(field) if v.isdigit()}
        matching = selectors.station_residents_matching(
            request.user, query, exclude=exclude, leave_out=listed | other_ids | sent
        )
        found = _checklist(_people(matching)[: selectors.LOOKUP_LIMIT + 1], ticked)
    return others, {"field_name": field, **_lookup_context(found, query)}


def _lookup_context(found: Checklist | None, query: str) -> dict:
    """The residents found by a name look-up (at most LOOKUP_LIMIT; `more` if the
    name matched more of them)."""
    more = found is not None and len(found.rows) > selectors.LOOKUP_LIMIT
    if more:
        found = Checklist(found.rows[: selectors.LOOKUP_LIMIT])
    return {"found": found, "query": query, "more": more, "limit": selectors.LOOKUP_LIMIT}
