"""Web pages of the organisation directory."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from shegong.core.access import get_visible_or_404
from shegong.core.exports import tabular_response
from shegong.org import selectors
from shegong.org.filtersets import StationFilterSet

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
    return tabular_response(fmt, "stations", _("Stations"), headers, rows)


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
