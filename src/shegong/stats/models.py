"""Summary tables (rollups) of service records, kept up to date in the same
transaction as every write that changes a count, so that dashboards never scan
raw records. `shegong rollups --check` recomputes them from the raw rows and
reports any drift; `--rebuild` replaces them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.core.models import Domain
from shegong.core.scope import Scope, ScopedQuerySet

# A rollup row is visible to whoever sees its station.
ROLLUP_SCOPE = Scope(follows="station")


class DomainMonth(models.Model):
    """Events and person-times of one station, one month, one statistical domain."""

    station = models.ForeignKey("org.Station", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    domain = models.CharField(max_length=10, choices=Domain.choices)
    events = models.IntegerField(default=0)
    person_times = models.IntegerField(default=0)
    volunteer_hours = models.DecimalField(max_digits=12, decimal_places=1, default=0)

    objects = ScopedQuerySet.as_manager()
    scope = ROLLUP_SCOPE

    class Meta:
        verbose_name = _("monthly figures by domain")
        verbose_name_plural = _("monthly figures by domain")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "year", "month", "domain"], name="domain_month_unique"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="domain_month_month_valid"
            ),
        ]
        # Covering: the dashboards' sums of a year read the index alone.
        indexes = [
            models.Index(
                fields=[
                    "year",
                    "month",
                    "domain",
                    "station",
                    "person_times",
                    "events",
                    "volunteer_hours",
                ],
                name="domain_month_cover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.year}-{self.month:02d} {self.domain}"


class DomainYear(models.Model):
    """Events and person-times of one station, one year, one domain: the cumulative
    figures ("累计服务 … 万人次") add ten of these per station instead of 120 months."""

    station = models.ForeignKey("org.Station", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    domain = models.CharField(max_length=10, choices=Domain.choices)
    events = models.IntegerField(default=0)
    person_times = models.IntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope = ROLLUP_SCOPE

    class Meta:
        verbose_name = _("yearly figures by domain")
        verbose_name_plural = _("yearly figures by domain")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "year", "domain"], name="domain_year_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["station", "year", "domain", "person_times"], name="domain_year_cover"
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.year} {self.domain}"


class ProjectMonth(models.Model):
    """Events and person-times of one 113X plan project in one month."""

    station = models.ForeignKey("org.Station", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("plans.PlanProject", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    events = models.IntegerField(default=0)
    person_times = models.IntegerField(default=0)
    group_sessions = models.IntegerField(default=0)
    activities = models.IntegerField(default=0)
    volunteer_hours = models.DecimalField(max_digits=12, decimal_places=1, default=0)

    objects = ScopedQuerySet.as_manager()
    scope = ROLLUP_SCOPE

    class Meta:
        verbose_name = _("monthly figures by project")
        verbose_name_plural = _("monthly figures by project")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"], name="project_month_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}-{self.month:02d}"


class ClientYear(models.Model):
    """The months of one year in which one resident was served at one station, as
    12-bit masks (bit 0 = January): overall, per statistical domain, and while the
    resident was a priority client. "Clients served from March to June" is then the
    number of rows whose mask meets that month range — distinct people, read from
    one small row per person instead of every attendance."""

    station = models.ForeignKey("org.Station", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    resident = models.ForeignKey("clients.Resident", on_delete=models.CASCADE, related_name="+")
    months = models.IntegerField(default=0)
    family_months = models.IntegerField(default=0)
    elderly_months = models.IntegerField(default=0)
    youth_months = models.IntegerField(default=0)
    featured_months = models.IntegerField(default=0)
    priority_months = models.IntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope = ROLLUP_SCOPE

    class Meta:
        verbose_name = _("clients served by year")
        verbose_name_plural = _("clients served by year")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "year", "resident"], name="client_year_unique"
            ),
        ]
        indexes = [models.Index(fields=["year", "station"])]

    def __str__(self) -> str:
        return f"{self.station_id} {self.year} {self.resident_id}"


class MealMonth(models.Model):
    """Meals served by one station's canteen in one month (长者饭堂)."""

    station = models.ForeignKey("org.Station", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    dine_in = models.IntegerField(default=0)
    delivery = models.IntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope = ROLLUP_SCOPE

    class Meta:
        verbose_name = _("monthly meals")
        verbose_name_plural = _("monthly meals")
        constraints = [
            models.UniqueConstraint(fields=["station", "year", "month"], name="meal_month_unique"),
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.station_id} {self.year}-{self.month:02d}"


class ClientRange(models.Model):
    """How many distinct residents one station served in the months `month_from`
    to `month_to` of a year — for each of the 78 month ranges of a year, and for
    all clients, each domain and priority clients. Kept from the `ClientYear`
    masks as they change, so a dashboard reads 78 × 6 small rows per station
    instead of counting every resident."""

    class Kind(models.TextChoices):
        ALL = "all", _("All clients")
        FAMILY = "family", _("Family")
        ELDERLY = "elderly", _("Elderly")
        YOUTH = "youth", _("Youth")
        FEATURED = "featured", _("Featured")
        PRIORITY = "priority", _("Priority clients")

    station = models.ForeignKey("org.Station", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    month_from = models.PositiveSmallIntegerField()
    month_to = models.PositiveSmallIntegerField()
    clients = models.IntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope = ROLLUP_SCOPE

    class Meta:
        verbose_name = _("clients served by month range")
        verbose_name_plural = _("clients served by month range")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "year", "kind", "month_from", "month_to"],
                name="client_range_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["year", "month_from", "month_to", "kind", "station", "clients"],
                name="client_range_cover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.year} {self.kind} {self.month_from}-{self.month_to}"


class PointMonth(models.Model):
    """Events and person-times given at one service point 社工点, one month, one
    statistical domain: `DomainMonth` one level down. Events without a point count
    in their station's `DomainMonth` only, so a station's points add up to at most
    its total (the rest is "not at a point")."""

    station = models.ForeignKey("org.Station", on_delete=models.CASCADE, related_name="+")
    point = models.ForeignKey("org.ServicePoint", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    domain = models.CharField(max_length=10, choices=Domain.choices)
    events = models.IntegerField(default=0)
    person_times = models.IntegerField(default=0)
    volunteer_hours = models.DecimalField(max_digits=12, decimal_places=1, default=0)

    objects = ScopedQuerySet.as_manager()
    scope = ROLLUP_SCOPE

    class Meta:
        verbose_name = _("monthly figures by service point")
        verbose_name_plural = _("monthly figures by service point")
        constraints = [
            models.UniqueConstraint(
                fields=["point", "year", "month", "domain"], name="point_month_unique"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="point_month_month_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["station", "year", "month", "point", "person_times"],
                name="point_month_station",
            )
        ]

    def __str__(self) -> str:
        return f"{self.point_id} {self.year}-{self.month:02d} {self.domain}"


class ProjectPointMonth(models.Model):
    """Events and person-times of one 113X plan project given at one service point
    社工点 in one month: `ProjectMonth` one level down, so that a project's progress
    can be read per point. Events without a point count in `ProjectMonth` only."""

    station = models.ForeignKey("org.Station", on_delete=models.CASCADE, related_name="+")
    point = models.ForeignKey("org.ServicePoint", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("plans.PlanProject", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    events = models.IntegerField(default=0)
    person_times = models.IntegerField(default=0)
    group_sessions = models.IntegerField(default=0)
    activities = models.IntegerField(default=0)
    volunteer_hours = models.DecimalField(max_digits=12, decimal_places=1, default=0)

    objects = ScopedQuerySet.as_manager()
    scope = ROLLUP_SCOPE

    class Meta:
        verbose_name = _("monthly figures by project and service point")
        verbose_name_plural = _("monthly figures by project and service point")
        constraints = [
            models.UniqueConstraint(
                fields=["point", "project", "year", "month"], name="project_point_month_unique"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="project_point_month_month_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}@{self.point_id} {self.year}-{self.month:02d}"


class MealPointMonth(models.Model):
    """Meals served by one station's canteen in one month to the elders of one
    service point 社工点 (the point on the meal record, set at the roll call):
    `MealMonth` one level down. Meals of elders at no point count in `MealMonth`
    only."""

    station = models.ForeignKey("org.Station", on_delete=models.CASCADE, related_name="+")
    point = models.ForeignKey("org.ServicePoint", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    dine_in = models.IntegerField(default=0)
    delivery = models.IntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope = ROLLUP_SCOPE

    class Meta:
        verbose_name = _("monthly meals by service point")
        verbose_name_plural = _("monthly meals by service point")
        constraints = [
            models.UniqueConstraint(
                fields=["point", "year", "month"], name="meal_point_month_unique"
            ),
        ]
        indexes = [models.Index(fields=["station", "year", "month"])]

    def __str__(self) -> str:
        return f"{self.point_id} {self.year}-{self.month:02d}"
