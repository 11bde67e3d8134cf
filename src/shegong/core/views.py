"""The home page each role lands on, and the error pages."""

import sys

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from shegong.accounts.roles import Role
from shegong.cases import selectors as case_selectors
from shegong.core.middleware import DATABASE_ERRORS, database_unavailable
from shegong.evaluation import selectors as evaluation_selectors
from shegong.org import selectors
from shegong.org.models import Station


@login_required
def home(request):
    user = request.user
    context = {
        "summary": selectors.org_summary(user),
        "role": user.role,
        "Role": Role,
    }
    if user.is_superuser or user.role in (Role.CITY_OFFICER, Role.DISTRICT_OFFICER):
        context["districts"] = selectors.districts_with_counts(user)
    if user.role in (Role.AGENCY_MANAGER, Role.EVALUATOR, Role.DISTRICT_OFFICER):
        context["stations"] = selectors.stations_visible_to(user).order_by("code")[:50]
    if user.role in (Role.SOCIAL_WORKER, Role.STATION_DIRECTOR) and user.station_id:
        station = Station.objects.visible_to(user).select_related("street__district", "agency")
        context["station"] = station.filter(pk=user.station_id).first()
        context["staff"] = selectors.station_staff(user, user.station)
        context["contracts"] = selectors.active_contracts(user).select_related("agency")
        context["alerts"] = case_selectors.open_alerts(user)[:10]
        context["needing_action"] = case_selectors.cases_needing_action(user)[:10]
        context["caseload_count"] = case_selectors.caseload(user).count()
    if user.role in (Role.STATION_DIRECTOR, Role.SOCIAL_WORKER, Role.DISTRICT_OFFICER):
        context["overdue"] = evaluation_selectors.overdue_rectifications(user)[:10]
    return render(request, "core/home.html", context)


@require_GET
@never_cache
def health(request):
    """For the load balancer and the operator's monitoring (/healthz): the app
    answers and reaches its database. No log-in, no session, no data. While the
    database is unreachable the request ends in DatabaseUnavailableMiddleware:
    503 with Retry-After."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_500(request):
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable(request, error)
    return render(request, "500.html", status=500)
