"""Reads of the rosters, always through the reader's scope: a station's entries
(its own staff), the imports (officials), and the coverage figures (counts, for
everyone who reads the station's statistics)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from shegong.accounts.models import User
from shegong.org.models import City, Community, District, Station, Street
from shegong.rosters.models import CoverageMonth, RosterCategory, RosterEntry, RosterImport

# Level -> (the CoverageMonth lookup to the level's key, the model named by it).
LEVELS = {
    "city": ("station__street__district__city_id", City),
    "district": ("station__street__district_id", District),
    "street": ("station__street_id", Street),
    "station": ("station_id", Station),
    "community": ("community_id", Community),
}
LEVEL_LABELS = {
    "city": _("City"),
    "district": _("District"),
    "street": _("Street or town"),
    "station": _("Station"),
    "community": _("Community"),
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
    rows = (
        CoverageMonth.objects.visible_to(user)
        .filter(year=year, month=month, **(within or {}))
        .values(lookup, "category_id")
        .annotate(**{f: Sum(f) for f in FIGURES})
        .order_by()
    )
    names = dict(model.objects.filter(pk__in={r[lookup] for r in rows}).values_list("pk", "name"))
    categories = {c.pk: c for c in RosterCategory.objects.all()}
    found: list[CoverageRow] = []
    totals: dict[int, CoverageRow] = {}
    for r in rows:
        key = r[lookup]
        category = categories[r["category_id"]]
        found.append(
            CoverageRow(
                key, names.get(key, ""), category.pk, category.name, *(r[f] for f in FIGURES)
            )
        )
        total = totals.setdefault(key, CoverageRow(key, names.get(key, ""), None, "", 0, 0, 0, 0))
        for f in FIGURES:
            setattr(total, f, getattr(total, f) + r[f])
    found.extend(totals.values())
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
