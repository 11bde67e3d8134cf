"""Session lifetime: an idle timeout and an absolute lifetime, both in settings
(SHEGONG_SESSION_IDLE_MINUTES, SHEGONG_SESSION_MAX_HOURS), and ending every
session of an account that is disabled."""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "_shegong_last_seen"
STARTED_KEY = "_shegong_started"
# The last-activity time is written at most this often, so that reading pages
# does not write the session on every request.
RESOLUTION_SECONDS = 60


def mark_session_start(sender, request, user, **kwargs) -> None:
    """On log-in (user_logged_in): the session's clock starts now."""
    if hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED_KEY] = now
        request.session[LAST_SEEN_KEY] = now


class SessionTimeoutMiddleware:
    """Logs the user out after SESSION_IDLE_SECONDS without a request, or
    SESSION_MAX_SECONDS after log-in, whichever comes first. The request then
    goes on as anonymous: pages redirect to log-in, the API answers 401."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            started = session.get(STARTED_KEY)
            last_seen = session.get(LAST_SEEN_KEY)
            if started is None or last_seen is None:
                session[STARTED_KEY] = session[LAST_SEEN_KEY] = now
            elif now - last_seen > settings.SESSION_IDLE_SECONDS:
                self._end(request, "idle")
            elif now - started > settings.SESSION_MAX_SECONDS:
                self._end(request, "expired")
            elif now - last_seen >= RESOLUTION_SECONDS:
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)

    def _end(self, request, reason: str) -> None:
        request.audit_logout_reason = {"reason": reason}
        logout(request)
        if hasattr(request, "_messages"):
            messages.info(request, _("You were logged out. Please log in again."))


def end_sessions_of(user) -> int:
    """Delete every session of `user` (e.g. when the account is disabled), from the
    database and, through the session store, from the sessions' cache. Sessions
    are signed blobs, so each live one is decoded; a city has a few thousand at
    most."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    key = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == key:
            store(session_key=session.session_key).delete()
            ended += 1
    return ended
