"""The organisation tree: city → district → street/town → station, with the
agencies that operate stations, their purchase-of-service contracts and the
city's special projects."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shegong.core.models import Domain, TimeStampedModel
from shegong.core.roles import Role
from shegong.core.scope import Scope, ScopedQuerySet

CITY_ROLES = frozenset({Role.CITY_OFFICER})
CITY_AND_DISTRICT = frozenset({Role.CITY_OFFICER, Role.DISTRICT_OFFICER})


class City(TimeStampedModel):
    """市"""

    name = models.CharField(_("name"), max_length=50, unique=True)
    code = models.CharField(_("administrative code"), max_length=12, unique=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city="self",
        district="districts",
        street="districts__streets",
        agency="districts__streets__stations__agency",
        station="districts__streets__stations",
        distinct=True,
    )

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class District(TimeStampedModel):
    """区"""

    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="districts", verbose_name=_("city")
    )
    name = models.CharField(_("name"), max_length=50)
    code = models.CharField(_("administrative code"), max_length=12, unique=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city="city",
        district="self",
        street="streets",
        agency="streets__stations__agency",
        station="streets__stations",
        distinct=True,
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "name"],
                name="district_unique_name_in_city",
                violation_error_message=_("This city already has a district of that name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Street(TimeStampedModel):
    """街道 / 镇"""

    class Kind(models.TextChoices):
        STREET = "street", _("Street")
        TOWN = "town", _("Town")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="streets", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STREET)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city="district__city",
        district="district",
        street="self",
        agency="stations__agency",
        station="stations",
        distinct=True,
    )

    class Meta:
        verbose_name = _("street or town")
        verbose_name_plural = _("streets and towns")
        ordering = ["district__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"],
                name="street_unique_name_in_district",
                violation_error_message=_("This district already has a street of that name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Community(TimeStampedModel):
    """社区: a residents' community inside a street (optional level)."""

    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        related_name="communities",
        verbose_name=_("street or town"),
    )
    name = models.CharField(_("name"), max_length=50)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city="street__district__city",
        district="street__district",
        street="street",
        agency="street__stations__agency",
        station="street__stations",
        distinct=True,
    )

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["street", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "name"],
                name="community_unique_name_in_street",
                violation_error_message=_("This street already has a community of that name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Agency(TimeStampedModel):
    """社工机构: a social work organisation that runs stations under contract,
    registered in one city's civil-affairs register."""

    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("city")
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, blank=True, null=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city="city",
        district="stations__street__district",
        street="stations__street",
        agency="self",
        station="stations",
        change_roles=CITY_ROLES,
        create_roles=CITY_ROLES,
        distinct=True,
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Reading a station's staffing figures (人员配置: counts and hours, no names): the
# station's director, its agency, district and city officers, and the evaluators of
# the station. A social worker reads only their own profile (workforce).
READ_STAFFING = "read_staffing"
STAFFING_READERS = frozenset(
    {
        Role.STATION_DIRECTOR,
        Role.AGENCY_MANAGER,
        Role.DISTRICT_OFFICER,
        Role.CITY_OFFICER,
        Role.EVALUATOR,
    }
)


class Station(TimeStampedModel):
    """社工站 / 家庭综合服务中心 (家综)"""

    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="stations", verbose_name=_("street or town")
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="stations",
        null=True,
        blank=True,
        verbose_name=_("operating agency"),
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=20, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city="street__district__city",
        district="street__district",
        street="street",
        agency="agency",
        station="self",
        change_roles=CITY_AND_DISTRICT,
        create_roles=CITY_AND_DISTRICT,
        acts={READ_STAFFING: STAFFING_READERS},
    )

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "name"],
                name="station_unique_name_in_street",
                violation_error_message=_("This street already has a station of that name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class SpecialProject(TimeStampedModel):
    """专项服务项目: a city-level specialised service project."""

    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="special_projects", verbose_name=_("city")
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="special_projects",
        verbose_name=_("operating agency"),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("code"), max_length=20, unique=True)
    domain = models.CharField(_("statistical domain"), max_length=10, choices=Domain.choices)
    description = models.TextField(_("description"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city="city",
        agency="agency",
        change_roles=CITY_ROLES,
        create_roles=CITY_ROLES,
    )

    class Meta:
        verbose_name = _("special project")
        verbose_name_plural = _("special projects")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Contract(TimeStampedModel):
    """政府购买服务合同: a government purchase-of-service contract for one station
    or one special project."""

    code = models.CharField(_("contract number"), max_length=40, unique=True)
    buyer = models.CharField(_("buyer"), max_length=100)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("agency")
    )
    station = models.ForeignKey(
        Station,
        on_delete=models.PROTECT,
        related_name="contracts",
        null=True,
        blank=True,
        verbose_name=_("station"),
    )
    special_project = models.ForeignKey(
        SpecialProject,
        on_delete=models.PROTECT,
        related_name="contracts",
        null=True,
        blank=True,
        verbose_name=_("special project"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city=("station__street__district__city", "special_project__city"),
        district="station__street__district",
        street="station__street",
        agency="agency",
        station="station",
        change_roles=CITY_AND_DISTRICT,
        create_roles=CITY_AND_DISTRICT,
        # Contract terms are for directors and above, not for front-line workers.
        hidden_from=frozenset({Role.SOCIAL_WORKER, Role.EVALUATOR}),
    )

    class Meta:
        verbose_name = _("purchase-of-service contract")
        verbose_name_plural = _("purchase-of-service contracts")
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="contract_ends_after_start",
                violation_error_message=_("A contract must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="contract_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(station__isnull=False, special_project__isnull=True)
                    | Q(station__isnull=True, special_project__isnull=False)
                ),
                name="contract_for_station_or_project",
                violation_error_message=_(
                    "A contract is for exactly one station or one special project."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.code


# Who runs a station's service points: its director, and the district and city
# officers above it (穗府办〔2023〕7号 extends each station down to its communities).
POINT_MANAGERS = frozenset({Role.STATION_DIRECTOR, Role.DISTRICT_OFFICER, Role.CITY_OFFICER})


class ServicePoint(TimeStampedModel):
    """社工点: a station's service point in one community or village. The station's
    workers keep working the whole station; a point is where a service is given and
    a resident is looked after, so that figures can be read per point."""

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="points", verbose_name=_("station")
    )
    # One point per community or village where it exists.
    community = models.OneToOneField(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="point",
        verbose_name=_("community"),
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=20, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="service_points", verbose_name=_("staff")
    )

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city="station__street__district__city",
        district="station__street__district",
        agency="station__agency",
        station="station",
        change_roles=POINT_MANAGERS,
        create_roles=POINT_MANAGERS,
    )

    class Meta:
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        ordering = ["station__code", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "name"],
                name="service_point_unique_name_in_station",
                violation_error_message=_("This station already has a service point of that name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.community_id is not None
            and self.station_id is not None
            and self.community.street_id != self.station.street_id
        ):
            raise ValidationError(
                {"community": _("The community is not in the station's street or town.")}
            )
