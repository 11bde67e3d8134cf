"""The home page each role lands on: what needs doing at their station, district
or city. Project wiring, not core: it reads the organisation, the cases and the
evaluation apps, which stand on core."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shegong.cases import selectors as case_selectors
from shegong.core import roles
from shegong.evaluation import selectors as evaluation_selectors
from shegong.org import selectors
from shegong.org.models import Station


@login_required
def home(request):
    user = request.user
    sections = roles.sections_for(user)
    context = {
        "summary": selectors.org_summary(user),
        "stations_to_evaluate": roles.STATIONS_TO_EVALUATE in sections,
    }
    if roles.HOME_DISTRICTS in sections:
        context["districts"] = selectors.districts_with_counts(user)
    if roles.HOME_STATIONS in sections:
        context["stations"] = selectors.stations_visible_to(user).order_by("code")[:50]
    if roles.HOME_OWN_STATION in sections and user.station_id:
        station = Station.objects.visible_to(user).select_related("street__district", "agency")
        context["station"] = station.filter(pk=user.station_id).first()
        context["staff"] = selectors.station_staff(user, user.station)
        context["contracts"] = selectors.active_contracts(user).select_related("agency")
        context["alerts"] = case_selectors.open_alerts(user)[:10]
        context["needing_action"] = case_selectors.cases_needing_action(user)[:10]
        context["caseload_count"] = case_selectors.caseload(user).count()
    if roles.HOME_RECTIFICATIONS in sections:
        context["overdue"] = evaluation_selectors.overdue_rectifications(user)[:10]
    return render(request, "home.html", context)
