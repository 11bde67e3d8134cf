"""The standard reports' tables, from a query: the direct download
(`views.report`) and the background export (`core.export_jobs`, registered as
"stats_report") build the same `Table` from the same checked parameters."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _lazy

from shegong.core.access import get_visible_or_404
from shegong.core.export_jobs import Table
from shegong.core.models import Domain
from shegong.core.roles import scope_name
from shegong.org.models import District, ServicePoint, Station, Street
from shegong.stats import reports
from shegong.stats.forms import PeriodForm

EXPORT = "stats_report"
REPORT_TITLES = {
    "monthly": "person-times-monthly",
    "districts": "person-times-by-district",
    "targets": "113x-target-completion",
}
# The workbook's title and sheet name.
REPORT_NAMES = {
    "monthly": _lazy("Monthly person-times report"),
    "districts": _lazy("Annual person-times by district"),
    "targets": _lazy("113X target completion"),
}
# Narrowest last: the title block names the narrowest unit asked for.
UNITS = (("district", District), ("street", Street), ("station", Station), ("point", ServicePoint))


class BadQuery(Exception):
    """A query the report cannot be built from (400, with its message)."""


def report_params(user: Any, name: str, query: Any) -> dict:
    """The report's checked parameters (JSON, for a job): Http404 for a unit out
    of `user`'s scope, BadQuery for a bad period."""
    form = PeriodForm(query)
    if not form.is_valid():
        raise BadQuery(" ".join(m for ms in form.errors.values() for m in ms))
    params: dict[str, Any] = {
        "report": name,
        "year": form.cleaned_data["year"],
        "domain": form.cleaned_data["domain"],
    }
    for key, model in UNITS:
        value = query.get(key, "")
        if value.isascii() and value.isdigit():
            params[key] = get_visible_or_404(model, user, pk=int(value)).pk
    return params


def report_table(user: Any, params: dict) -> Table:
    """The report of `params` as `user` reads it."""
    name, year, domain = params["report"], params["year"], params["domain"]
    found = {
        key: get_visible_or_404(model, user, pk=params[key])
        for key, model in UNITS
        if params.get(key)
    }
    headers, rows = getattr(reports, name)(user, year=year, domain=domain, **found)
    return Table(
        basename=f"{REPORT_TITLES[name]}-{year}",
        title=str(REPORT_NAMES[name]),
        headers=headers,
        rows=rows,
        scope=str(list(found.values())[-1]) if found else scope_name(user),
        period=str(year) + (f" · {Domain(domain).label}" if domain else ""),
    )
