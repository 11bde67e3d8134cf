"""Reads of the rosters, always through the reader's scope: a station's entries
(its own staff), the imports (officials), and the coverage figures (counts, for
everyone who reads the station's statistics)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max, QuerySet, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shegong.accounts.models import User
from shegong.org.models import City, Community, District, ServicePoint, Station, Street
from shegong.rosters.models import CoverageMonth, RosterCategory, RosterEntry, RosterImport

# Level -> (the CoverageMonth lookup to the level's key, the model named by it).
# Coverage is kept per community; a service point 社工点 is one community
# (`ServicePoint.community`), so a point's figure is the sum of its community's
# rows. A community without a point counts at its station, as the station's
# unit "at the station (no service point)" (key 0), so a station's rows at the
# point level add up to its total.
LEVELS = {
    "city": ("station__street__district__city_id", City),
    "district": ("station__street__district_id", District),
    "street": ("station__street_id", Street),
    "station": ("station_id", Station),
    "point": ("community__point", ServicePoint),
    "community": ("community_id", Community),
}
LEVEL_LABELS = {
    "city": _("City"),
    "district": _("District"),
    "street": _("Street or town"),
    "station": _("Station"),
    "point": _("Service point"),
    "community": _("Community"),
}
# The `within` filters a query may narrow the coverage to (name -> lookup).
WITHIN = {
    "district": "station__street__district_id",
    "station": "station_id",
    "point": "community__point",
}
FIGURES = ("on_roster", "reached", "visited", "never_reached")


def entries_for(user: User) -> QuerySet[RosterEntry]:
    return RosterEntry.objects.visible_to(user).select_related("category", "community")


def imports_for(user: User) -> QuerySet[RosterImport]:
    return RosterImport.objects.visible_to(user).select_related("district", "imported_by")


@dataclass
class CoverageRow:
    key: int
    name: str
    category_id: int | None  # None: every category (a person on two lists counts twice)
    category: str
    on_roster: int
    reached: int
    visited: int
    never_reached: int

    @property
    def coverage(self) -> float | None:
        """覆盖率: the share of the persons on the roster reached at least once."""
        if not self.on_roster:
            return None
        return round(100 * (self.on_roster - self.never_reached) / self.on_roster, 1)

    @property
    def visit_rate(self) -> float | None:
        """The share visited as their list's rule asks."""
        if not self.on_roster:
            return None
        return round(100 * self.visited / self.on_roster, 1)


def latest_month(user: User) -> tuple[int, int] | None:
    found = (
        CoverageMonth.objects.visible_to(user)
        .values("year", "month")
        .order_by("-year", "-month")
        .first()
    )
    return (found["year"], found["month"]) if found else None


def coverage(
    user: User,
    *,
    year: int,
    month: int,
    level: str = "station",
    within: dict | None = None,
) -> list[CoverageRow]:
    """The coverage of the month per unit of `level` (and per category, with a
    row of all categories for each unit), within the reader's scope and the
    `within` filter (CoverageMonth lookups, e.g. {"station__street__district_id": 3})."""
    lookup, model = LEVELS[level]
    per_point = level == "point"
    rows = (
        CoverageMonth.objects.visible_to(user)
        .filter(year=year, month=month, **(within or {}))
        .values(lookup, "category_id", *(["station_id"] if per_point else []))
        .annotate(**{f: Sum(f) for f in FIGURES})
        .order_by()
    )
    names = dict(
        model.objects.filter(pk__in={r[lookup] for r in rows} - {None}).values_list("pk", "name")
    )
    if per_point:  # the stations of the communities without a point
        stations = dict(
            Station.objects.filter(
                pk__in={r["station_id"] for r in rows if r[lookup] is None}
            ).values_list("pk", "name")
        )
        rest = gettext("At the station (no service point)")
    categories = {c.pk: c for c in RosterCategory.objects.all()}
    cells: dict[tuple, CoverageRow] = {}
    for r in rows:
        key = r[lookup]
        group: tuple = (key,)
        if key is None:  # only at the point level: a community without a point
            key, group = 0, (0, r["station_id"])
            name = f"{stations.get(r['station_id'], '')} · {rest}"
        else:
            name = names.get(key, "")
        category = categories[r["category_id"]]
        for category_id, label in ((category.pk, category.name), (None, "")):
            cell = cells.setdefault(
                (group, category_id), CoverageRow(key, name, category_id, label, 0, 0, 0, 0)
            )
            for f in FIGURES:
                setattr(cell, f, getattr(cell, f) + r[f])
    found = list(cells.values())
    order = {c.pk: (c.order, c.code) for c in categories.values()}
    found.sort(
        key=lambda row: (
            row.name,
            row.key,
            row.category_id is not None,
            order.get(row.category_id, (0, "")),
        )
    )
    return found


def last_import_month(user: User):
    return imports_for(user).aggregate(last=Max("month"))["last"]
