"""The health check and the error pages (the home page is project wiring:
shegong.home)."""

import sys

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from shegong.core.middleware import DATABASE_ERRORS, database_unavailable


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
