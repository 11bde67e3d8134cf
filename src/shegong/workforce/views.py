"""Web pages of the workforce: the staffing summary 人员配置 of the stations in
scope (with Excel/CSV export), a station's staff with their year's hours, and a
staff member's profile with training 培训 and supervision 督导 records."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import get_visible_or_404, require
from shegong.core.exports import FORMATS, tabular_response
from shegong.core.forms import apply_service, bootstrap
from shegong.core.replicas import reads_from_replica
from shegong.core.roles import scope_name
from shegong.core.scope import CHANGE, can, may
from shegong.org.models import Station
from shegong.workforce import forms, selectors, services
from shegong.workforce.models import HOLD, Post, Qualification, StaffProfile

FIRST_YEAR = 2000


def _year(request) -> int:
    """The year asked for (?year=), this year when absent or implausible."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except (TypeError, ValueError):
        return this_year
    return year if FIRST_YEAR <= year <= this_year + 1 else this_year


def _require_summary(user) -> None:
    if not selectors.may_read_summary(user):
        raise PermissionDenied(_("Staffing figures are for directors, agencies and officials."))


def _status(*forms_) -> int:
    return 400 if any(f.is_bound and f.errors for f in forms_) else 200


@login_required
def staffing(request):
    """人员配置: one line per station in scope, with the total. A social worker
    goes to their own profile."""
    user = request.user
    # A station's own staff hold profiles: a worker (who reads no figures) goes
    # to their own, the director to the station's page.
    holds_profile = may(user, HOLD, StaffProfile)
    if holds_profile and not selectors.may_read_summary(user):
        return redirect("workforce:my-profile")
    _require_summary(user)
    year = _year(request)
    rows = selectors.staffing_summary(user, year=year)
    if len(rows) == 1 and holds_profile:
        return redirect(f"{_station_url(rows[0].station_id)}?year={year}")
    context = {
        "rows": rows,
        "total": selectors.staffing_total(rows),
        "year": year,
        "years": _year_choices(),
        "posts": Post.choices,
        "qualifications": Qualification.choices,
        "formats": FORMATS,
    }
    return render(request, "workforce/staffing.html", context)


def _station_url(pk: int) -> str:
    return reverse("workforce:station", args=[pk])


def _year_choices() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - 5, -1))


def export_rows(rows: list[selectors.StaffingRow]):
    for row in rows:
        yield [
            row.station_code,
            row.station_name,
            row.district_name,
            row.agency_name,
            row.headcount,
            *[n for _value, _label, n in row.posts()],
            *[n for _value, _label, n in row.qualifications()],
            row.qualified,
            float(row.qualified_share),
            float(row.training_hours),
            float(row.training_per_staff),
            float(row.supervision_hours),
            float(row.supervision_per_staff),
        ]


def export_headers() -> list[str]:
    return [
        _("Station code"),
        _("Station"),
        _("District"),
        _("Agency"),
        _("Headcount"),
        *[str(label) for _value, label in Post.choices],
        *[str(label) for _value, label in Qualification.choices],
        _("Qualified social workers"),
        _("Qualified share (%)"),
        _("Training hours"),
        _("Training hours per staff member"),
        _("Supervision hours"),
        _("Supervision hours per staff member"),
    ]


@reads_from_replica
@login_required
def staffing_export(request, fmt: str):
    """The staffing summary of the stations in scope as Excel or CSV."""
    if fmt not in FORMATS:
        raise Http404(_("No such record."))
    user = request.user
    _require_summary(user)
    year = _year(request)
    rows = selectors.staffing_summary(user, year=year)
    return tabular_response(
        fmt,
        f"staffing-{year}",
        _("Staffing %(year)s") % {"year": year},
        export_headers(),
        export_rows(rows),
        scope=scope_name(user),
        period=str(year),
    )


@login_required
def my_profile(request):
    profile = StaffProfile.objects.filter(user=request.user).first()
    if profile is None:
        return render(request, "workforce/no_profile.html")
    return redirect("workforce:profile-detail", pk=profile.pk)


@login_required
def station_staffing(request, pk: int):
    """A station's staffing figures and its staff with their hours in the year."""
    user = request.user
    # The station first: an outsider's station is missing (404), whatever the role.
    get_visible_or_404(Station, user, pk=pk)
    _require_summary(user)
    station = get_visible_or_404(selectors.summary_stations(user), user, pk=pk)
    year = _year(request)
    (row,) = selectors.staffing_summary(user, year=year, stations=Station.objects.filter(pk=pk))
    staff = selectors.staff_with_hours(user, year=year, station=station).order_by(
        "post", "user__username"
    )
    context = {
        "station": station,
        "row": row,
        "staff": staff,
        "year": year,
        "years": _year_choices(),
        "can_edit": selectors.may_edit_station(user, station),
        "missing": selectors.staff_without_profile(station)
        if selectors.may_edit_station(user, station)
        else [],
    }
    return render(request, "workforce/station.html", context)


@login_required
def profile_create(request, pk: int):
    user = request.user
    station = get_visible_or_404(Station, user, pk=pk)
    if not selectors.may_edit_station(user, station):
        raise PermissionDenied(
            _("Only the station director or the agency manager can change staff records.")
        )
    candidates = selectors.staff_without_profile(station)
    form = bootstrap(forms.NewProfileForm(request.POST or None, candidates=candidates))
    if request.method == "POST" and form.is_valid():
        profile = apply_service(
            form, lambda: services.staff_profile_create(actor=user, **form.cleaned_data)
        )
        if profile is not None:
            messages.success(request, _("Profile saved."))
            return redirect("workforce:profile-detail", pk=profile.pk)
    context = {"form": form, "station": station, "title": _("New staff profile")}
    return render(request, "workforce/profile_form.html", context, status=_status(form))


def _profile_page(request, profile, training_form=None, supervision_form=None):
    user = request.user
    year = _year(request)
    may_change = can(user, CHANGE, profile)
    hours = (
        selectors.staff_with_hours(user, year=year, station=profile.station)
        .filter(pk=profile.pk)
        .values("training_hours", "supervision_hours")
        .first()
    )
    context = {
        "profile": profile,
        "year": year,
        "years": _year_choices(),
        "hours": hours,
        "trainings": profile.trainings.visible_to(user),
        "supervisions": profile.supervisions.visible_to(user),
        "may_change": may_change,
        "may_read_station": selectors.may_read_summary(user),
        "training_form": training_form
        or (bootstrap(forms.TrainingForm(prefix="training")) if may_change else None),
        "supervision_form": supervision_form
        or (bootstrap(forms.SupervisionForm(prefix="supervision")) if may_change else None),
    }
    status = _status(*(f for f in (training_form, supervision_form) if f is not None))
    return render(request, "workforce/profile_detail.html", context, status=status)


@login_required
def profile_detail(request, pk: int):
    user = request.user
    profile = get_visible_or_404(selectors.profiles_visible_to(user), user, pk=pk)
    return _profile_page(request, profile)


@login_required
def profile_edit(request, pk: int):
    user = request.user
    profile = get_visible_or_404(selectors.profiles_visible_to(user), user, pk=pk)
    require(user, CHANGE, profile)
    initial = {f: getattr(profile, f) for f in services.PROFILE_FIELDS}
    form = bootstrap(
        forms.ProfileForm(request.POST or None, initial={**initial, "version": profile.version})
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        done = apply_service(
            form,
            lambda: services.staff_profile_update(
                actor=user, profile=profile, version=version, **data
            ),
        )
        if done is not None:
            messages.success(request, _("Profile saved."))
            return redirect("workforce:profile-detail", pk=profile.pk)
    context = {"form": form, "station": profile.station, "profile": profile, "title": profile}
    return render(request, "workforce/profile_form.html", context, status=_status(form))


def _record_add(request, pk: int, form_class, prefix: str, service, success: str):
    user = request.user
    profile = get_visible_or_404(selectors.profiles_visible_to(user), user, pk=pk)
    require(user, CHANGE, profile)
    form = bootstrap(form_class(request.POST, prefix=prefix))
    if form.is_valid() and apply_service(
        form, lambda: service(actor=user, profile=profile, **form.cleaned_data)
    ):
        messages.success(request, success)
        return redirect("workforce:profile-detail", pk=profile.pk)
    return _profile_page(request, profile, **{f"{prefix}_form": form})


@login_required
@require_POST
def training_add(request, pk: int):
    return _record_add(
        request,
        pk,
        forms.TrainingForm,
        "training",
        services.training_record_add,
        _("Training recorded."),
    )


@login_required
@require_POST
def supervision_add(request, pk: int):
    return _record_add(
        request,
        pk,
        forms.SupervisionForm,
        "supervision",
        services.supervision_record_add,
        _("Supervision recorded."),
    )
