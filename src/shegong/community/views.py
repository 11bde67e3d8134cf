"""Web pages of the programmes around the station: volunteers (义工) and their
teams, party organisations, community organisations (社区组织), governance
projects (社区专案) with their deliberation meetings (居民议事), and the elderly
meal programme (长者饭堂): enrolled elders, the day's roll call in one screen and
pre-meal activities. Every write goes through `community.services` (pre-meal
activities through `delivery.services`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max, OuterRef, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.clients.models import Resident, age_on
from shegong.community import filtersets, forms, selectors, services
from shegong.community.models import (
    CommunityOrganisation,
    GovernanceProject,
    MealEnrolment,
    MealKind,
    MealRecord,
    PartyOrganisation,
    Volunteer,
    VolunteerSignup,
    VolunteerTeam,
)
from shegong.core.access import get_visible_or_404, require_change, require_create
from shegong.core.forms import apply_service, bootstrap
from shegong.core.scope import CHANGE, can, may_create
from shegong.delivery import selectors as delivery_selectors
from shegong.delivery import services as delivery_services
from shegong.delivery.models import EventKind, ServiceEvent
from shegong.org.models import Station

PAGE_SIZE = 25
# The enrol page lists this many candidates; a search narrows them down.
ENROL_CANDIDATES = 30
ELDER_AGE = 60


def _station_create(request, model, form_class, create, *, success, title, next_url):
    """A simple "register a new …" page at the user's own station: the form, the
    service that creates the record, and where to go afterwards. The model's
    scope decides who may create (the station's own staff; officials read)."""
    user = request.user
    require_create(user, model)
    form = bootstrap(form_class(request.POST or None))
    if request.method == "POST" and form.is_valid():
        created = apply_service(
            form, lambda: create(actor=user, station=user.station, **form.cleaned_data)
        )
        if created is not None:
            messages.success(request, success)
            return redirect(next_url(created))
    context = {"form": form, "title": title}
    return render(request, "community/simple_form.html", context, status=_status(form))


def _filtered(filterset_class, request, queryset):
    """The queryset filtered by every valid filter of the request (an invalid
    filter shows on the form and filters nothing)."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    bootstrap(filterset.form)
    if filterset.is_bound and filterset.is_valid():
        return filterset, filterset.qs
    return filterset, queryset if not filterset.is_bound else queryset.none()


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


# --- Overview ----------------------------------------------------------------------


@login_required
def overview(request):
    """The programmes at a glance: for the station's staff, their station's figures."""
    user = request.user
    today = timezone.localdate()
    context = {
        "is_staff": selectors.is_station_staff(user),
        "volunteer_count": Volunteer.objects.visible_to(user).filter(is_active=True).count(),
        "team_count": VolunteerTeam.objects.visible_to(user).count(),
        "party_organisation_count": PartyOrganisation.objects.visible_to(user).count(),
        "organisation_count": CommunityOrganisation.objects.visible_to(user).count(),
        "project_count": GovernanceProject.objects.visible_to(user).count(),
        "year": today.year,
    }
    if context["is_staff"]:
        station = user.station
        context["totals"] = selectors.station_volunteer_totals(
            station, since=datetime.date(today.year, 1, 1), until=today
        )
        context["today"] = selectors.meal_day(user, station, today)
    return render(request, "community/overview.html", context)


# --- Volunteers --------------------------------------------------------------------


@login_required
def volunteer_list(request):
    """Volunteers with their party-member flag and total hours served."""
    user = request.user
    filterset, volunteers = _filtered(
        filtersets.VolunteerFilterSet, request, selectors.volunteers_visible_to(user)
    )
    page = Paginator(volunteers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter_fields": [filterset.form[n] for n in ("q", "is_party_member", "is_active")],
        "can_write": may_create(user, Volunteer),
        "many_stations": not selectors.is_station_staff(user),
    }
    if selectors.is_station_staff(user):
        today = timezone.localdate()
        context["year"] = today.year
        context["totals"] = selectors.station_volunteer_totals(
            user.station, since=datetime.date(today.year, 1, 1), until=today
        )
    return render(request, "community/volunteer_list.html", context)


@login_required
def volunteer_register(request):
    user = request.user
    require_create(user, Volunteer)
    form = bootstrap(forms.VolunteerRegisterForm(request.POST or None, station_id=user.station_id))
    if request.method == "POST" and form.is_valid():
        volunteer = apply_service(
            form,
            lambda: services.volunteer_register(
                actor=user, station=user.station, **form.cleaned_data
            ),
        )
        if volunteer is not None:
            messages.success(request, _("Volunteer %(name)s registered.") % {"name": volunteer})
            return redirect("community:volunteer-detail", pk=volunteer.pk)
    return render(
        request,
        "community/volunteer_form.html",
        {"form": form, "is_new": True},
        status=_status(form),
    )


@login_required
def volunteer_detail(request, pk: int):
    """A volunteer's record of service: the events they helped at and their hours."""
    user = request.user
    volunteer = get_visible_or_404(selectors.volunteers_visible_to(user), user, pk=pk)
    service = selectors.volunteer_service_record(user, volunteer)
    may_write = can(user, CHANGE, volunteer)
    page = Paginator(service, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "volunteer": volunteer,
        "page": page,
        "teams": volunteer.teams.visible_to(user).order_by("name"),
        "may_write": may_write,
        "shows_contact": may_write or user.is_superuser,
        "signups": volunteer.signups.visible_to(user).select_related("project", "event"),
        "signup_form": bootstrap(forms.SignupForm(prefix="signup", station=volunteer.station)),
    }
    return render(request, "community/volunteer_detail.html", context)


@login_required
@require_POST
def volunteer_signup(request, pk: int):
    """报名: sign the volunteer up for an upcoming activity."""
    user = request.user
    volunteer = get_visible_or_404(Volunteer, user, pk=pk)
    require_change(user, volunteer)
    form = forms.SignupForm(request.POST, prefix="signup", station=volunteer.station)
    if form.is_valid() and apply_service(
        form,
        lambda: services.volunteer_sign_up(actor=user, volunteer=volunteer, **form.cleaned_data),
    ):
        messages.success(request, _("Signed up."))
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors) or _("Please check the form."))
    return redirect("community:volunteer-detail", pk=volunteer.pk)


@login_required
@require_POST
def signup_cancel(request, pk: int):
    user = request.user
    signup = get_visible_or_404(VolunteerSignup, user, pk=pk)
    form = forms.SignupForm(station=signup.station)
    if apply_service(form, lambda: services.volunteer_signup_cancel(actor=user, signup=signup)):
        messages.success(request, _("Sign-up cancelled."))
    else:
        messages.error(request, " ".join(form.non_field_errors()))
    return redirect("community:volunteer-detail", pk=signup.volunteer_id)


@login_required
def volunteer_edit(request, pk: int):
    user = request.user
    volunteer = get_visible_or_404(Volunteer, user, pk=pk)
    require_change(user, volunteer)
    current = {
        "name": volunteer.name,
        "phone": volunteer.phone,
        "skills": volunteer.skills,
        "consent_on": volunteer.consent_on,
        "is_party_member": volunteer.is_party_member,
        "party_member": volunteer.party_member,
        "is_active": volunteer.is_active,
    }
    form = bootstrap(
        forms.VolunteerEditForm(
            request.POST or None,
            station_id=volunteer.station_id,
            initial={**current, "party_member": volunteer.party_member_id},
        )
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != current[k]}
        done = apply_service(
            form,
            lambda: services.volunteer_update(actor=user, volunteer=volunteer, **changes),
        )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("community:volunteer-detail", pk=volunteer.pk)
    context = {"form": form, "volunteer": volunteer, "is_new": False}
    return render(request, "community/volunteer_form.html", context, status=_status(form))


# --- Teams -------------------------------------------------------------------------


@login_required
def team_list(request):
    user = request.user
    teams = selectors.teams_visible_to(user)
    page = Paginator(teams, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "can_write": may_create(user, VolunteerTeam),
        "many_stations": not selectors.is_station_staff(user),
    }
    return render(request, "community/team_list.html", context)


@login_required
def team_create(request):
    user = request.user
    require_create(user, VolunteerTeam)
    form = bootstrap(forms.TeamForm(request.POST or None, station_id=user.station_id))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        team = apply_service(
            form,
            lambda: services.team_create(
                actor=user, station=user.station, name=data["name"], members=list(data["members"])
            ),
        )
        if team is not None:
            messages.success(request, _("Team created."))
            return redirect("community:team-detail", pk=team.pk)
    return render(request, "community/team_form.html", {"form": form}, status=_status(form))


@login_required
def team_detail(request, pk: int):
    """The team's members with their hours; the station's staff set the members."""
    user = request.user
    team = get_visible_or_404(selectors.teams_visible_to(user), user, pk=pk)
    may_write = can(user, CHANGE, team)
    form = None
    if may_write:
        form = bootstrap(
            forms.TeamMembersForm(
                request.POST or None,
                station_id=team.station_id,
                initial={"members": list(team.members.values_list("pk", flat=True))},
            )
        )
    if request.method == "POST":
        require_change(user, team)
        if form.is_valid() and apply_service(
            form,
            lambda: services.team_set_members(
                actor=user, team=team, members=list(form.cleaned_data["members"])
            ),
        ):
            messages.success(request, _("Members saved."))
            return redirect("community:team-detail", pk=team.pk)
    members = selectors.volunteers_visible_to(user).filter(teams=team)
    context = {"team": team, "members": members, "form": form, "may_write": may_write}
    return render(
        request, "community/team_detail.html", context, status=_status(form) if form else 200
    )


# --- Party organisations -----------------------------------------------------------


@login_required
def party_list(request):
    user = request.user
    organisations = selectors.party_organisations_visible_to(user)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "can_write": may_create(user, PartyOrganisation),
        "many_stations": not selectors.is_station_staff(user),
    }
    return render(request, "community/party_list.html", context)


@login_required
def party_organisation_create(request):
    return _station_create(
        request,
        PartyOrganisation,
        forms.PartyOrganisationForm,
        services.party_organisation_create,
        success=_("Party organisation registered."),
        title=_("Register a party organisation"),
        next_url=lambda organisation: reverse("community:party-detail", args=[organisation.pk]),
    )


@login_required
def party_detail(request, pk: int):
    """A party organisation with its members; the station's staff add members."""
    user = request.user
    organisation = get_visible_or_404(selectors.party_organisations_visible_to(user), user, pk=pk)
    may_write = can(user, CHANGE, organisation)
    form = bootstrap(forms.PartyMemberForm(request.POST or None)) if may_write else None
    if request.method == "POST":
        require_change(user, organisation)
        if form.is_valid():
            member = apply_service(
                form,
                lambda: services.party_member_add(
                    actor=user, organisation=organisation, **form.cleaned_data
                ),
            )
            if member is not None:
                messages.success(request, _("Party member %(name)s added.") % {"name": member})
                return redirect("community:party-detail", pk=organisation.pk)
    context = {
        "organisation": organisation,
        "members": selectors.party_members_of(user, organisation),
        "form": form,
        "may_write": may_write,
    }
    return render(
        request, "community/party_detail.html", context, status=_status(form) if form else 200
    )


# --- Community organisations -------------------------------------------------------


@login_required
def organisation_list(request):
    user = request.user
    filterset, organisations = _filtered(
        filtersets.CommunityOrganisationFilterSet,
        request,
        selectors.community_organisations_visible_to(user),
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter_fields": [filterset.form[n] for n in ("q", "status")],
        "can_write": may_create(user, CommunityOrganisation),
        "many_stations": not selectors.is_station_staff(user),
        "user_station_id": user.station_id,
    }
    return render(request, "community/organisation_list.html", context)


@login_required
def organisation_create(request):
    return _station_create(
        request,
        CommunityOrganisation,
        forms.CommunityOrganisationForm,
        services.community_organisation_create,
        success=_("Community organisation registered."),
        title=_("Register a community organisation"),
        next_url=lambda _organisation: reverse("community:organisation-list"),
    )


@login_required
def organisation_edit(request, pk: int):
    user = request.user
    organisation = get_visible_or_404(CommunityOrganisation, user, pk=pk)
    require_change(user, organisation)
    initial = {
        name: getattr(organisation, name) for name in forms.CommunityOrganisationForm.base_fields
    }
    form = bootstrap(forms.CommunityOrganisationForm(request.POST or None, initial=initial))
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial[k]}
        if apply_service(
            form,
            lambda: services.community_organisation_update(
                actor=user, organisation=organisation, **changes
            ),
        ):
            messages.success(request, _("Saved."))
            return redirect("community:organisation-list")
    context = {"form": form, "title": organisation.name}
    return render(request, "community/simple_form.html", context, status=_status(form))


# --- Governance projects -----------------------------------------------------------


@login_required
def project_list(request):
    user = request.user
    filterset, projects = _filtered(
        filtersets.GovernanceProjectFilterSet,
        request,
        selectors.governance_projects_visible_to(user),
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter_fields": [filterset.form[n] for n in ("q", "stage")],
        "can_write": may_create(user, GovernanceProject),
        "many_stations": not selectors.is_station_staff(user),
    }
    return render(request, "community/project_list.html", context)


@login_required
def project_create(request):
    return _station_create(
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
    require_change(user, project)
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
    require_change(user, project)
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


# --- Meal programme ----------------------------------------------------------------


@login_required
def meal_home(request):
    """The station's enrolled elders with the day each last ate at the canteen,
    and its pre-meal activities. For the staff who keep the canteen's records (the
    meal scope's create right): the elders' names stay with the station."""
    user = request.user
    require_create(user, MealRecord)
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
        enrolments = enrolments.filter(resident__name__icontains=query)
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
    require_create(user, MealEnrolment)
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
        candidates = candidates.filter(name__icontains=query)
    else:
        born_by = datetime.date(today.year - ELDER_AGE, today.month, min(today.day, 28))
        candidates = candidates.filter(birth_date__lte=born_by)
    candidates = candidates.only("pk", "name", "birth_date")[:ENROL_CANDIDATES]
    context = {
        "form": form,
        "query": query,
        "candidates": [(r, age_on(r.birth_date, today)) for r in candidates],
    }
    return render(request, "community/meal_enrol.html", context, status=_status(form))


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
    require_create(user, MealRecord)
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
    return render(request, "community/meal_roll_call.html", context, status=_status(form))


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
    require_create(user, ServiceEvent)
    form = bootstrap(forms.MealActivityForm(request.POST or None, user=user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        event = apply_service(
            form,
            lambda: delivery_services.service_event_record(
                actor=user,
                project=data["project"],
                kind=EventKind.MEAL_ACTIVITY,
                held_on=data["held_on"],
                title=data["title"],
                attendees=list(data["attendees"]),
                headcount=data["headcount"],
                workers=list(data["workers"]),
                volunteers=form.volunteer_hours(),
                party_members=list(data["party_members"]),
            ),
        )
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
    return render(request, "community/meal_activity.html", context, status=_status(form))
