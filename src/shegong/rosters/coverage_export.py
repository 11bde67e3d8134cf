"""The coverage report 覆盖率 in Excel: the page's direct download and the
background export (`core.export_jobs`, registered as "roster_coverage") build the
same `Table` from the same checked parameters (`views.coverage_params`)."""

from __future__ import annotations

from typing import Any

from shegong.core.export_jobs import Table
from shegong.core.roles import scope_name
from shegong.rosters import selectors

EXPORT = "roster_coverage"
COVERAGE_HEADERS = [
    "单位",
    "类别",
    "名单人数",
    "本月已服务",
    "按规定探访",
    "从未服务",
    "覆盖率%",
    "探访率%",
]


def report_rows(rows):
    for r in rows:
        yield [
            r.name,
            r.category or "合计",
            r.on_roster,
            r.reached,
            r.visited,
            r.never_reached,
            r.coverage,
            r.visit_rate,
        ]


def coverage_table(user: Any, params: dict, rows: list | None = None) -> Table:
    """The coverage of `params` (year, month, level, within) as `user` reads it;
    `rows` when the page has already read them."""
    if rows is None:
        rows = selectors.coverage(user, **params)
    month = f"{params['year']}-{params['month']:02d}"
    return Table(
        basename=f"roster-coverage-{month}",
        title="覆盖率",
        headers=COVERAGE_HEADERS,
        rows=report_rows(rows),
        scope=scope_name(user),
        period=month,
    )
