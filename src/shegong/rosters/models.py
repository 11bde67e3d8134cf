"""The civil-affairs rosters 名单 of people in hardship and special groups
(困难群众和特殊群体): their categories and visit rules, the monthly imports, one
entry per person and category, and the coverage rollup 覆盖率.

A person's roster data is sensitive personal information (PIPL art. 28): the
entries are read by the station's own staff only; officials import the lists and
read the coverage counts.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import LawfulBasis
from shegong.core.models import TimeStampedModel
from shegong.core.roles import OFFICIAL_ROLES, STAFF_ROLES, Role
from shegong.core.scope import STAFF_WORK, Scope, ScopedQuerySet, station_scope

# Everyone but the station's own staff: officials read counts, not people.
NOT_STATION_STAFF = frozenset(
    {Role.AGENCY_MANAGER, Role.DISTRICT_OFFICER, Role.CITY_OFFICER, Role.EVALUATOR}
)
# A visit recorded from the outreach list: the station's own staff.
VISIT = "visit"
IMPORT = "import"


class VisitUnit(models.TextChoices):
    DAYS = "days", _("days")
    MONTHS = "months", _("months")


def add_interval(day: datetime.date, every: int, unit: str) -> datetime.date:
    """`day` plus the rule's interval (a month from 31 January is the end of February)."""
    if unit == VisitUnit.DAYS:
        return day + datetime.timedelta(days=every)
    month = day.month - 1 + every
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class RosterCategory(TimeStampedModel):
    """名单类别: one civil-affairs list (低保对象, 特困人员 …) and the city's visit
    rule for it. A table the city extends (in /admin/); a station may set its own
    rule (`VisitRule`)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)
    visit_every = models.PositiveSmallIntegerField(
        _("visit every"), help_text=_("How often a person on this list is visited at home.")
    )
    visit_unit = models.CharField(
        _("unit"), max_length=6, choices=VisitUnit.choices, default=VisitUnit.MONTHS
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()
    # Every account reads the categories; the city's administrators keep them.
    scope = Scope(public=Q(pk__isnull=False))

    class Meta:
        verbose_name = _("roster category")
        verbose_name_plural = _("roster categories")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visit_every__gte=1),
                name="roster_category_visit_every_positive",
                violation_error_message=_("The visit interval must be at least 1."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class VisitRule(TimeStampedModel):
    """A station's own visit rule for one category, in place of the city's."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.CASCADE, related_name="+", verbose_name=_("station")
    )
    category = models.ForeignKey(
        RosterCategory, on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    visit_every = models.PositiveSmallIntegerField(_("visit every"))
    visit_unit = models.CharField(_("unit"), max_length=6, choices=VisitUnit.choices)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        change_roles=frozenset({Role.STATION_DIRECTOR, *OFFICIAL_ROLES}),
        create_roles=frozenset({Role.STATION_DIRECTOR, *OFFICIAL_ROLES}),
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("station visit rule")
        verbose_name_plural = _("station visit rules")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "category"],
                name="visit_rule_one_per_station_category",
                violation_error_message=_("The station already has a rule for this category."),
            ),
            models.CheckConstraint(
                condition=Q(visit_every__gte=1),
                name="visit_rule_visit_every_positive",
                violation_error_message=_("The visit interval must be at least 1."),
            ),
        ]


class RosterImport(TimeStampedModel):
    """名单导入: one roster file loaded by a district or city officer for one month,
    with its lawful basis and source, and what it changed (new / still / left /
    not placed)."""

    city = models.ForeignKey(
        "org.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    # None: a city officer's file, whose rows may be of any district of the city.
    district = models.ForeignKey(
        "org.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the roster's month."))
    filename = models.CharField(_("file"), max_length=200)
    lawful_basis = models.CharField(
        _("lawful basis"),
        max_length=20,
        choices=LawfulBasis.choices,
        default=LawfulBasis.STATUTORY_DUTY,
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("Who supplied the lists, e.g. the district civil-affairs bureau."),
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    new = models.PositiveIntegerField(_("new"), default=0)
    still = models.PositiveIntegerField(_("still on the roster"), default=0)
    left = models.PositiveIntegerField(_("left"), default=0)
    not_placed = models.PositiveIntegerField(_("not placed"), default=0)
    residents_created = models.PositiveIntegerField(_("residents created"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("imported by"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city="city",
        district="district",
        create_roles=OFFICIAL_ROLES,
        hidden_from=frozenset({*STAFF_ROLES, Role.AGENCY_MANAGER, Role.EVALUATOR}),
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-month", "-pk"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.filename}"


class RosterList(models.Model):
    """One list (district × category) of one month, as loaded by an import: what
    makes a second import of the same month load nothing."""

    roster_import = models.ForeignKey(RosterImport, on_delete=models.CASCADE, related_name="lists")
    district = models.ForeignKey("org.District", on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(RosterCategory, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    rows = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(follows="roster_import")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "category", "month"],
                name="roster_list_once_a_month",
                violation_error_message=_("This list of this month is already imported."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.district_id}/{self.category_id}"


class RosterEntry(TimeStampedModel):
    """A person on one list: open from the month of the import that first listed
    them to the last month that listed them; closed (dated) by the first import
    that no longer does. A person on two lists has two entries."""

    category = models.ForeignKey(
        RosterCategory, on_delete=models.PROTECT, related_name="entries", verbose_name=_("category")
    )
    district = models.ForeignKey(
        "org.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    street = models.ForeignKey(
        "org.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("street or town"),
    )
    community = models.ForeignKey(
        "org.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    # None: not placed (the community named in the list is not on file).
    station = models.ForeignKey(
        "org.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("station"),
    )
    resident = models.ForeignKey(
        "clients.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roster_entries",
        verbose_name=_("resident"),
    )
    # The person as the list names them; the ID number only encrypted and hashed.
    name = models.CharField(_("name"), max_length=50)
    id_number_encrypted = models.TextField(editable=False)
    id_number_hash = models.CharField(max_length=64, db_index=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    community_name = models.CharField(_("community (as listed)"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source_department = models.CharField(_("source department"), max_length=100, blank=True)
    list_date = models.DateField(_("list date"))
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))
    closed_on = models.DateField(_("left the roster on"), null=True, blank=True)
    opened_by = models.ForeignKey(RosterImport, on_delete=models.PROTECT, related_name="+")
    closed_by = models.ForeignKey(
        RosterImport, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The import made the resident record (the person was not on file at the station).
    resident_created = models.BooleanField(_("new on file"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        station="station",
        change_roles=STAFF_ROLES,
        acts={VISIT: STAFF_ROLES},
        hidden_from=NOT_STATION_STAFF,
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["district", "category", "closed_on"]),
            models.Index(fields=["station", "closed_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "category", "id_number_hash"],
                condition=Q(closed_on__isnull=True),
                name="roster_entry_one_open_per_list",
                violation_error_message=_("This person is already on this list."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.category_id})"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class CoverageMonth(models.Model):
    """覆盖率 rollup: per station, community, category and month of the roster, the
    persons on the list, reached (any service that month), visited as the
    category's rule asks (a home visit within the rule's interval up to the end of
    the month) and never reached (no service at all up to the end of the month).
    Written in the writers' transactions (`rosters.coverage`), recounted by
    `shegong rollups --check`."""

    station = models.ForeignKey("org.Station", on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey("org.Community", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(RosterCategory, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    on_roster = models.PositiveIntegerField(default=0)
    reached = models.PositiveIntegerField(default=0)
    visited = models.PositiveIntegerField(default=0)
    never_reached = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(follows="station")

    class Meta:
        verbose_name = _("coverage")
        verbose_name_plural = _("coverage")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "community", "category", "year", "month"],
                name="coverage_month_unique",
            )
        ]
        indexes = [models.Index(fields=["year", "month", "category"])]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.station_id}/{self.category_id}"
