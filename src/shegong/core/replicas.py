"""Read replicas: dashboard, report and export reads on a streaming replica.

Configured by `DATABASE_REPLICA_URL` (settings.py adds the `replica` alias and
`ReplicaRouter`); without it nothing here is active and every read stays on the
one database (SQLite too). docs/deployment.md says how to run one.

- Only views marked `@reads_from_replica` read from the replica, and only
  outside a write transaction: everything else (every write, the log-in, the
  session, the pages that show what one just did) reads the primary.
- Read-your-writes: after a request that may have written (POST, PUT, PATCH,
  DELETE), `ReplicaPinMiddleware` pins the browser to the primary for
  `SHEGONG_REPLICA_PIN_SECONDS` (a signed cookie), so that the writer's next
  dashboard shows what was just recorded even if the replica is behind.
- Fall-back: before routing, the replica is asked (at most every
  `SHEGONG_REPLICA_CHECK_SECONDS`) whether it is still a standby and how far its
  replay is behind (`pg_last_xact_replay_timestamp()`, compared only when the
  received WAL is ahead of the replayed WAL, so an idle primary is not "lag").
  Lagging beyond `SHEGONG_REPLICA_MAX_LAG_SECONDS`, promoted (no longer in
  recovery) or unreachable, the reads go to the primary, with one logged warning
  per change of state. A replica lost in the middle of a page: the page is
  answered again from the primary (the marked views are reads), never a 500.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import time
from dataclasses import dataclass

from django import db
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.signing import BadSignature
from django.db import connections
from django.http import FileResponse

logger = logging.getLogger("shegong.replicas")

REPLICA = "replica"
PIN_COOKIE = "shegong_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
DATABASE_ERRORS = (db.OperationalError, db.InterfaceError)

# Whether reads of the current request may go to the replica (set by the
# decorator for the marked views only).
_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "shegong_replica_reads", default=False
)

# One statement: still a standby? and the replay lag in seconds (0 when all
# received WAL is replayed; NULL when unknown).
LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN NOT pg_is_in_recovery() THEN NULL
            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
       END
"""


def configured() -> bool:
    return REPLICA in settings.DATABASES


@dataclass
class Health:
    usable: bool = True
    reason: str = ""
    checked_at: float = float("-inf")


_health = Health()


def _probe() -> tuple[bool, str]:
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    except DATABASE_ERRORS as error:
        _close(connection)
        return False, f"unreachable ({str(error).strip()})"
    if not in_recovery:
        return False, "is no longer a standby (promoted?)"
    if lag is None:
        return False, "lag unknown"
    if float(lag) > settings.REPLICA_MAX_LAG_SECONDS:
        return False, f"lags {float(lag):.1f} s behind the primary"
    return True, ""


def _close(connection) -> None:
    try:
        connection.close()
    except DATABASE_ERRORS:
        connection.connection = None


def _set_health(usable: bool, reason: str) -> None:
    if usable and not _health.usable:
        logger.warning("read replica usable again; dashboard reads go back to it")
    elif not usable and (_health.usable or reason != _health.reason):
        logger.warning("read replica %s; reading from the primary", reason)
    _health.usable, _health.reason, _health.checked_at = usable, reason, time.monotonic()


# After a quiet spell on the primary, the first write is received before it is
# replayed, and for those few milliseconds the lag reads as the whole spell: a
# lag is believed when a second look this much later still sees it.
SETTLE_SECONDS = 0.1


def replica_usable() -> bool:
    """Whether the replica may serve reads now (re-asked at most every
    REPLICA_CHECK_SECONDS)."""
    if time.monotonic() - _health.checked_at >= settings.REPLICA_CHECK_SECONDS:
        usable, reason = _probe()
        if not usable and reason.startswith("lags"):
            time.sleep(SETTLE_SECONDS)
            usable, reason = _probe()
        _set_health(usable, reason)
    return _health.usable


def replica_failed(error: BaseException) -> None:
    """A query on the replica failed: take it as down until the next check."""
    _close(connections[REPLICA])
    _set_health(False, f"unreachable ({str(error).strip()})")


def _pinned(request) -> bool:
    try:
        until = float(request.get_signed_cookie(PIN_COOKIE, default="0", salt=PIN_COOKIE))
    except (BadSignature, ValueError):
        return False
    return time.time() < until


def reads_from_replica(view):
    """Mark a read-only view (dashboard, report, export) whose reads may go to
    the replica. A no-op without a replica."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not configured() or request.method not in SAFE_METHODS:
            return view(request, *args, **kwargs)
        # The session and the user come from the primary: a log-in just made
        # may not have reached the replica yet.
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 (loads the lazy user)
        if _pinned(request) or not replica_usable():
            return view(request, *args, **kwargs)
        token = _replica_reads.set(True)
        try:
            response = view(request, *args, **kwargs)
        except DATABASE_ERRORS as error:
            replica_failed(error)
        else:
            if response.streaming and not isinstance(response, FileResponse):
                response.streaming_content = _on_replica(response.streaming_content)
            return response
        finally:
            _replica_reads.reset(token)
        # The replica went away during the page: the same page from the primary.
        return view(request, *args, **kwargs)

    wrapped.reads_from_replica = True
    return wrapped


def _on_replica(chunks):
    """A streamed export (CSV rows read while they are sent) keeps reading the
    replica. Its status is sent already: a replica lost in the middle ends the
    download early (logged; the next one reads the primary)."""
    iterator = iter(chunks)
    while True:
        token = _replica_reads.set(True)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        except DATABASE_ERRORS as error:
            replica_failed(error)
            raise
        finally:
            _replica_reads.reset(token)
        yield chunk


class ReplicaRouter:
    """Reads of marked views to the replica, everything else to the primary.
    Both aliases are one database, so relations between them are allowed; the
    replica is never migrated."""

    def db_for_read(self, model, **hints):
        if _replica_reads.get() and not connections["default"].in_atomic_block:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return {obj1._state.db, obj2._state.db} <= {"default", REPLICA, None}

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class ReplicaPinMiddleware:
    """After a request that may have written, the browser reads the primary
    for REPLICA_PIN_SECONDS (read-your-writes). Not used without a replica."""

    def __init__(self, get_response):
        if not configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and settings.REPLICA_PIN_SECONDS > 0:
            response.set_signed_cookie(
                PIN_COOKIE,
                str(time.time() + settings.REPLICA_PIN_SECONDS),
                salt=PIN_COOKIE,
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
