"""Volunteers (义工), their sign-ups and their teams."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.community import filtersets, forms, selectors, services
from shegong.community.models import Volunteer, VolunteerSignup, VolunteerTeam
from shegong.community.views._common import PAGE_SIZE, filtered, form_status, keeps_station_records
from shegong.core.access import get_visible_or_404, require, require_at
from shegong.core.forms import apply_service, bootstrap
from shegong.core.lists import Paginator
from shegong.core.scope import CHANGE, CREATE, can, may_create


@login_required
def volunteer_list(request):
    """Volunteers with their party-member flag and total hours served."""
    user = request.user
    filterset, volunteers = filtered(
        filtersets.VolunteerFilterSet, request, selectors.volunteers_visible_to(user)
    )
    page = Paginator(volunteers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter_fields": [filterset.form[n] for n in ("q", "is_party_member", "is_active")],
        "can_write": may_create(user, Volunteer),
        "many_stations": not keeps_station_records(user),
    }
    if keeps_station_records(user):
        today = timezone.localdate()
        context["year"] = today.year
        context["totals"] = selectors.station_volunteer_totals(
            user.station, since=datetime.date(today.year, 1, 1), until=today
        )
    return render(request, "community/volunteer_list.html", context)


@login_required
def volunteer_register(request):
    user = request.user
    require_at(user, CREATE, Volunteer, None)
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
        status=form_status(form),
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
    require(user, CHANGE, volunteer)
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
    require(user, CHANGE, volunteer)
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
            form, lambda: services.volunteer_update(actor=user, volunteer=volunteer, **changes)
        )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("community:volunteer-detail", pk=volunteer.pk)
    context = {"form": form, "volunteer": volunteer, "is_new": False}
    return render(request, "community/volunteer_form.html", context, status=form_status(form))


@login_required
def team_list(request):
    user = request.user
    teams = selectors.teams_visible_to(user)
    page = Paginator(teams, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "can_write": may_create(user, VolunteerTeam),
        "many_stations": not keeps_station_records(user),
    }
    return render(request, "community/team_list.html", context)


@login_required
def team_create(request):
    user = request.user
    require_at(user, CREATE, VolunteerTeam, None)
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
    return render(request, "community/team_form.html", {"form": form}, status=form_status(form))


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
        require(user, CHANGE, team)
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
        request, "community/team_detail.html", context, status=form_status(form) if form else 200
    )
