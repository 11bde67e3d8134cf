"""Web pages of the organisation directory."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shegong.core.access import get_visible_or_404, require, require_at
from shegong.core.exports import tabular_response
from shegong.core.forms import apply_service, bootstrap
from shegong.core.lists import Paginator
from shegong.core.replicas import reads_from_replica
from shegong.core.roles import scope_name
from shegong.core.scope import CHANGE, CREATE
from shegong.org import selectors, services
from shegong.org.filtersets import StationFilterSet
from shegong.org.forms import ServicePointForm
from shegong.org.models import ServicePoint, Station

PAGE_SIZE = 25


def _filtered_stations(request):
    """The stations in scope, filtered by every valid filter of the request.

    Returns the filterset (whose errors name the invalid filters, which the page
    reports) and the stations; invalid filters are ignored, not fatal."""
    base = selectors.stations_visible_to(request.user).order_by("code")
    filterset = StationFilterSet(request.GET, queryset=base, request=request)
    if filterset.is_valid():
        return filterset, filterset.qs
    valid = request.GET.copy()
    for field in filterset.errors:
        valid.pop(field, None)
    retry = StationFilterSet(valid, queryset=base, request=request)
    return filterset, retry.qs if retry.is_valid() else base


@login_required
def directory(request):
    """组织目录: districts in scope with station counts, and a searchable station list."""
    filterset, stations = _filtered_stations(request)
    page = Paginator(stations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "page": page,
        "districts": selectors.districts_with_counts(request.user),
        "summary": selectors.org_summary(request.user),
        "query": request.GET.copy(),
    }
    template = "org/_station_table.html" if request.htmx else "org/directory.html"
    return render(request, template, context)


@reads_from_replica
@login_required
def directory_export(request, fmt: str):
    """The station list as the user filtered it, in Excel or CSV."""
    _filterset, stations = _filtered_stations(request)
    headers = [
        _("Code"),
        _("Station"),
        _("District"),
        _("Street or town"),
        _("Agency"),
        _("Address"),
        _("Phone"),
    ]
    rows = (
        [
            s.code,
            s.name,
            s.street.district.name,
            s.street.name,
            s.agency.name if s.agency else "",
            s.address,
            s.phone,
        ]
        for s in stations.iterator(chunk_size=500)
    )
    return tabular_response(
        fmt, "stations", _("Stations"), headers, rows, scope=scope_name(request.user)
    )


@login_required
def station_detail(request, pk: int):
    station = get_visible_or_404(selectors.stations_visible_to(request.user), request.user, pk=pk)
    staff = list(selectors.station_staff(request.user, station))
    # A point's staff are named to those who may read the station's staff list.
    readable = {member.pk for member in staff}
    points = [
        (point, [m.full_name or m.username for m in point.staff.all() if m.pk in readable])
        for point in selectors.station_points(request.user, station)
    ]
    context = {
        "station": station,
        "staff": staff,
        "points": points,
        "contracts": station.contracts.visible_to(request.user).select_related("agency"),
    }
    return render(request, "org/station_detail.html", context)


@login_required
def point_create(request, pk: int):
    """开设社工点: the station director or a district or city officer opens a point."""
    station = get_visible_or_404(Station.objects.select_related("street"), request.user, pk=pk)
    require_at(request.user, CREATE, ServicePoint, station, services.refuse_message())
    form = bootstrap(ServicePointForm(request.POST or None, station=station))
    if request.method == "POST" and form.is_valid():
        point = apply_service(
            form,
            lambda: services.service_point_create(
                actor=request.user, station=station, **form.cleaned_data
            ),
        )
        if point is not None:
            messages.success(request, _("Service point saved."))
            return redirect("org:station-detail", pk=station.pk)
    return render(request, "org/point_form.html", {"form": form, "station": station, "point": None})


@login_required
def point_edit(request, pk: int):
    point = get_visible_or_404(
        ServicePoint.objects.select_related("station__street"), request.user, pk=pk
    )
    require(request.user, CHANGE, point, services.refuse_message())
    initial = {
        "code": point.code,
        "name": point.name,
        "community": point.community_id,
        "opened_on": point.opened_on,
        "is_active": point.is_active,
        "staff": list(point.staff.values_list("pk", flat=True)),
    }
    form = bootstrap(ServicePointForm(request.POST or None, initial=initial, station=point.station))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        staff = data.pop("staff")
        saved = apply_service(
            form,
            lambda: services.service_point_update(
                actor=request.user, point=point, staff=staff, **data
            ),
        )
        if saved is not None:
            messages.success(request, _("Service point saved."))
            return redirect("org:station-detail", pk=point.station_id)
    context = {"form": form, "station": point.station, "point": point}
    return render(request, "org/point_form.html", context)
