"""Dashboards of person-times for the city, a district or a station."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core import export_jobs
from shegong.core.access import get_visible_or_404
from shegong.core.exports import FORMATS, tabular_response
from shegong.core.replicas import reads_from_replica
from shegong.org.models import District, ServicePoint, Station, Street
from shegong.plans.models import Metric
from shegong.stats.forms import DashboardForm
from shegong.stats.report_tables import (
    EXPORT,
    REPORT_TITLES,
    BadQuery,
    report_params,
    report_table,
)
from shegong.stats.selectors import DOMAINS, person_time_summary, view_scope


def _report_query(year: int, district, station, domain=None, street=None, point=None) -> str:
    params = {"year": year}
    if domain:
        params["domain"] = domain
    if point is not None:
        params["point"] = point.pk
    elif station is not None:
        params["station"] = station.pk
    elif street is not None:
        params["street"] = street.pk
    elif district is not None:
        params["district"] = district.pk
    return urlencode(params)


@reads_from_replica
@login_required
def dashboard(
    request,
    district_pk: int | None = None,
    street_pk: int | None = None,
    station_pk: int | None = None,
    point_pk: int | None = None,
):
    """统计: totals with the four-domain breakdown, the months, and a ranking that
    drills down from city to district to street to station to service point."""
    user = request.user
    district = get_visible_or_404(District, user, pk=district_pk) if district_pk else None
    street = (
        get_visible_or_404(Street.objects.select_related("district"), user, pk=street_pk)
        if street_pk
        else None
    )
    point = (
        get_visible_or_404(
            ServicePoint.objects.select_related("station__street__district"), user, pk=point_pk
        )
        if point_pk
        else None
    )
    station = (
        get_visible_or_404(Station.objects.select_related("street__district"), user, pk=station_pk)
        if station_pk
        else None
    )
    if point is not None:
        station = point.station
    if station is not None:
        street = station.street
    if street is not None:
        district = street.district
    form = DashboardForm(request.GET, user=request.user)
    if form.is_valid():
        period, status = dict(form.cleaned_data), 200
        chosen = period.pop("district")
        if district is None and chosen is not None:
            district = chosen
    else:
        # Say what is wrong, and show this year meanwhile.
        period = {"year": timezone.localdate().year, "month_from": 1, "month_to": 12}
        status = 400
    scope = view_scope(request.user)
    if district is None and station is None:
        # A scope of one station (or one district) is that station's page, titled
        # with it: its figures are never shown as the district's or the city's.
        district, station = (None, scope.station) if scope.station else (scope.district, None)
        if station is not None:
            street = station.street
    summary = person_time_summary(
        user,
        district=None if street or station else district,
        street=None if station else street,
        station=None if point else station,
        point=point,
        **period,
    )
    context = {
        "scope": scope,
        "form": form,
        "summary": summary,
        "district": district,
        "street": street,
        "station": station,
        "point": point,
        "domains": DOMAINS,
        "chart": {"months": summary.by_month, "domains": DOMAINS},
        "query": _drill_query(request.GET),
        "report_query": _report_query(
            summary.year, district, station, summary.domain, street=street, point=point
        ),
        "cases": summary.cases,
        "metric_labels": Metric.choices,
    }
    return render(request, "stats/dashboard.html", context, status=status)


def _drill_query(params) -> str:
    """The filters carried down a drill-down link (the district is in the path)."""
    return urlencode({k: v for k, v in params.items() if k != "district" and v})


@reads_from_replica
@login_required
def report(request, name: str, fmt: str):
    """标准报表 as .xlsx or .csv: the monthly report, the annual report by district
    and domain, the 113X target completion table."""
    if name not in REPORT_TITLES or fmt not in FORMATS:
        raise Http404(_("No such report."))
    try:
        params = report_params(request.user, name, request.GET)
    except BadQuery as error:
        return HttpResponseBadRequest(str(error))
    table = report_table(request.user, params)
    return tabular_response(
        fmt,
        table.basename,
        table.title,
        table.headers,
        table.rows,
        scope=table.scope,
        period=table.period,
    )


@login_required
@require_POST
def report_job(request, name: str):
    """The same Excel report built in the background (a city's takes a while): the
    job's page shows its progress, then the file to download."""
    if name not in REPORT_TITLES:
        raise Http404(_("No such report."))
    try:
        params = report_params(request.user, name, request.GET)
    except BadQuery as error:
        return HttpResponseBadRequest(str(error))
    job = export_jobs.export_start(actor=request.user, name=EXPORT, params=params)
    return redirect("core:job-detail", pk=job.pk)
