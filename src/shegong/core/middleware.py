"""Request middleware of the platform."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
