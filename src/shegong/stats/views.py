"""Dashboards of person-times for the city, a district or a station."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from shegong.core.access import get_visible_or_404
from shegong.org.models import District, Station
from shegong.stats.forms import PeriodForm
from shegong.stats.selectors import DOMAINS, person_time_summary


@login_required
def dashboard(request, district_pk: int | None = None, station_pk: int | None = None):
    """统计: totals with the four-domain breakdown, the months, and a ranking that
    drills down from city to district to station."""
    district = get_visible_or_404(District, request.user, pk=district_pk) if district_pk else None
    station = (
        get_visible_or_404(
            Station.objects.select_related("street__district"), request.user, pk=station_pk
        )
        if station_pk
        else None
    )
    form = PeriodForm(request.GET)
    if form.is_valid():
        period, status = form.cleaned_data, 200
    else:
        # Say what is wrong, and show this year meanwhile.
        period = {"year": timezone.localdate().year, "month_from": 1, "month_to": 12}
        status = 400
    summary = person_time_summary(request.user, district=district, station=station, **period)
    context = {
        "form": form,
        "summary": summary,
        "district": district or (station.street.district if station else None),
        "station": station,
        "domains": DOMAINS,
        "chart": {"months": summary.by_month, "domains": DOMAINS},
        "query": request.GET.urlencode(),
    }
    return render(request, "stats/dashboard.html", context, status=status)
