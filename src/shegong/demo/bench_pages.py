"""`shegong bench --only pages`: the CPU of each page of a social worker's day,
in-process, against `/healthz` in the same run, and where each page's time goes.

On the configured database's demo city (`make run` or `make load` generates one),
logged in as a demo social worker, each page of `make load`'s mix is asked
`runs` times through Django's test client with the production middleware (the
process's settings; run with DEBUG=0). It prints, per page: the CPU milliseconds
per request (time.process_time), the ratio to `/healthz`'s, the queries, and from
one profiled pass (cProfile) the shares of the profiled time spent rendering
templates (the page's and its forms'), compiling and running SQL (the ORM's
`execute_sql`, SQL included: the database is in-process on SQLite), and outside
the view (the middleware: session, user, CSRF, audit context, the test client).
Templates and SQL overlap where a template evaluates a query. No wall-clock time
is asserted anywhere: docs/performance.md records
the figures.
"""

from __future__ import annotations

import cProfile
import pstats
import re
import time
from collections.abc import Callable

from django.db import connections
from django.db.models.sql.compiler import SQLCompiler
from django.template.base import Template
from django.test import Client
from django.urls import resolve

from shegong.accounts.models import User
from shegong.cases.models import Case, CaseStatus
from shegong.core.roles import Role
from shegong.delivery.models import Group

# (the function, what its share is called)
PARTS = (
    (Template.render, "templates"),
    (SQLCompiler.execute_sql, "SQL (ORM + database)"),
)
OUTSIDE = "outside the view (middleware, session, user)"


def _worker() -> User:
    """A demo social worker with open cases and a group with sessions to record."""
    open_cases = Case.objects.filter(
        status__in=[CaseStatus.PLANNED, CaseStatus.IN_SERVICE], workers__role=Role.SOCIAL_WORKER
    )
    case = open_cases.order_by("pk").first()
    if case is None:
        raise SystemExit("No demo city here: run `make run` (or `make demo`) first.")
    return case.workers.filter(role=Role.SOCIAL_WORKER).first()


def pages_of(worker: User) -> list[tuple[str, str]]:
    case = Case.objects.filter(workers=worker, status=CaseStatus.IN_SERVICE).first()
    group = Group.objects.filter(station_id=worker.station_id).order_by("pk").first()
    pages = [
        ("/healthz (no log-in)", "/healthz"),
        ("registration form", "/residents/new/"),
        ("home (work queues)", "/"),
        ("caseload", "/cases/"),
        ("dashboard", "/stats/"),
        ("calendar", f"/agenda/stations/{worker.station_id}/"),
        ("outreach list", "/rosters/outreach/"),
    ]
    if case is not None:
        pages.append(("case page", f"/cases/{case.pk}/"))
    if group is not None:
        pages.append(("group session form", f"/services/groups/{group.pk}/sessions/new/"))
    return pages


def _cumulative(stats: pstats.Stats, function) -> float:
    code = function.__code__
    key = (code.co_filename, code.co_firstlineno, code.co_name)
    # Cumulative time: cProfile counts a recursive call (a template included by a
    # template) once, in its outermost call.
    return stats.stats.get(key, (0, 0, 0, 0, {}))[3]


def _shares(profile: cProfile.Profile, view) -> dict[str, float]:
    stats = pstats.Stats(profile)
    total = stats.total_tt or 1
    shares = {label: _cumulative(stats, function) / total for function, label in PARTS}
    shares[OUTSIDE] = 1 - _cumulative(stats, view) / total
    return shares


def _queries(asker: Client, url: str) -> int:
    count = [0]

    def counted(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connections["default"].execute_wrapper(counted):
        asker.get(url)
    return count[0]


def measure(write: Callable[[str], None], runs: int = 200) -> list[dict]:
    worker = _worker()
    client, anonymous = Client(), Client()
    client.force_login(worker)
    write(f"Pages of {worker.username} ({runs} requests each, in-process, CPU time):")
    rows = []
    for label, url in pages_of(worker):
        asker = anonymous if url == "/healthz" else client
        response = asker.get(url)
        if response.status_code != 200:
            write(f"  {label}: {url} answered {response.status_code}; skipped")
            continue
        queries = _queries(asker, url)
        started = time.process_time()
        for _n in range(runs):
            asker.get(url)
        cpu_ms = (time.process_time() - started) / runs * 1000
        profile = cProfile.Profile()
        profile.enable()
        for _n in range(max(runs // 4, 10)):
            asker.get(url)
        profile.disable()
        rows.append(
            {
                "page": label,
                "url": re.sub(r"/\d+/", "/<id>/", url),
                "cpu_ms": cpu_ms,
                "queries": queries,
                "shares": _shares(profile, resolve(url.split("?")[0]).func),
            }
        )
    base = rows[0]["cpu_ms"] if rows else 1.0
    parts = [label for _function, label in PARTS] + [OUTSIDE]
    write("| page | CPU ms/request | × /healthz | queries | " + " | ".join(parts) + " |")
    write("|---|---|---|---|" + "---|" * len(PARTS))
    for row in rows:
        shares = " | ".join(f"{row['shares'][label]:.0%}" for label in parts)
        write(
            f"| {row['page']} (`{row['url']}`) | {row['cpu_ms']:.2f} | "
            f"{row['cpu_ms'] / base:.1f}× | {row['queries']} | {shares} |"
        )
    return rows
