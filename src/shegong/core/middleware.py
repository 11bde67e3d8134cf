"""Request middleware of the platform."""

import logging

from django import db
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose another language.

    Django's LocaleMiddleware follows the browser's Accept-Language; shared
    station PCs often carry an English system locale, so only an explicit choice
    (the language cookie set by the switcher) changes the language.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class AuditContextMiddleware:
    """Makes the request (user, IP) known to the audit log while it is handled,
    and records every refusal (403, 404) of a logged-in user: the scope decides
    refusals in many places (querysets, `core.access`, DRF), and this is the one
    place that sees all of their outcomes."""

    REFUSALS = frozenset({403, 404})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from shegong.core import audit

        with audit.request_context(request):
            response = self.get_response(request)
            if response.status_code in self.REFUSALS:
                user = getattr(request, "user", None)
                if user is not None and user.is_authenticated:
                    audit.record(
                        "access_denied",
                        station_id=getattr(user, "station_id", None),
                        object_repr=request.path[:200],
                        detail={
                            "method": request.method,
                            "path": request.path[:500],
                            "status": response.status_code,
                        },
                    )
        return response


# --- Database outages ---------------------------------------------------------------
# A lost or refused database connection (server restarting, max_connections reached,
# SQLite busy or out of disk) is temporary: the caller gets 503 + Retry-After with a
# translated message, not a 500 and a stack trace. Nothing was half-saved: every write
# runs in a transaction that the error rolled back. With CONN_HEALTH_CHECKS Django
# drops the broken connection and the next request reconnects by itself.
DATABASE_ERRORS = (db.OperationalError, db.InterfaceError)
RETRY_AFTER_SECONDS = 5
logger = logging.getLogger("shegong.database")


def database_unavailable(request, error: BaseException):
    logger.error("database unavailable: %s %s: %s", request.method, request.path, error)
    message = _("The database is briefly unavailable. Please try again in a few seconds.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": str(message)}, status=503)
    else:
        response = HttpResponse(
            render_to_string("core/unavailable.html", {"message": message}),
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Turn a view's OperationalError/InterfaceError into 503 (core.views.error_500
    does the same for errors raised outside a view, e.g. while saving the session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(request, exception)
        return None


class ErrorPagesInDebugMiddleware:
    """The platform's own error pages (in the user's language) also while DEBUG is
    on. With DEBUG, Django answers a 404, a suspicious request (400) and an error
    (500) with its technical pages, in English; a trainer or a new user running
    the platform with `make run` should meet the pages the stations will see. The
    500's traceback still goes to the log (the `django.request` logger), as
    Django logs it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # An address no URL pattern matches: Django's technical 404 page.
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            from shegong.core.views import error_404

            return error_404(request)
        return response

    def process_exception(self, request, exception):
        if not settings.DEBUG:
            return None
        from django.core.exceptions import PermissionDenied, SuspiciousOperation
        from django.http import Http404

        from shegong.core.views import error_400, error_404, error_500

        if isinstance(exception, Http404):
            return error_404(request, exception)
        if isinstance(exception, PermissionDenied):
            return None  # handler403 answers with or without DEBUG
        if isinstance(exception, SuspiciousOperation):
            return error_400(request, exception)
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", request.path, exc_info=exception
        )
        return error_500(request)
