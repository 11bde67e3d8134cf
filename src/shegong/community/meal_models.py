"""The meal programme's money (长者饭堂补贴): each elder's subsidy class, each
canteen's prices, the funders' subsidy rules, the priced check-ins and the
monthly settlements per canteen and funder (docs/meals.md). Amounts are integer
fen (分), never floats."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import STATION_STAFF, STATION_STAFF_ONLY
from shegong.core.models import TimeStampedModel
from shegong.core.roles import Role
from shegong.core.scope import STAFF_WORK, Scope, ScopedQuerySet, station_scope

# The elders' classes and check-ins are personal data: the station's own staff.
_PERSONAL = Scope(
    station="station",
    change_roles=STATION_STAFF,
    create_roles=STATION_STAFF,
    hidden_from=STATION_STAFF_ONLY,
    superuser_acts=STAFF_WORK,
)


def yuan(fen: int | None) -> Decimal | None:
    """Fen as yuan for display and Excel (Decimal, two places)."""
    if fen is None:
        return None
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


class SubsidyClass(models.TextChoices):
    """The elder's class in the published subsidy table."""

    HARDSHIP = "hardship", _("Extreme hardship or minimum living allowance")
    AGE_80 = "age_80", _("Aged 80 and over")
    AGE_60 = "age_60", _("Aged 60 to 79")
    NONE = "none", _("No subsidy")


class MealTime(models.TextChoices):
    LUNCH = "lunch", _("Lunch")
    DINNER = "dinner", _("Dinner")


class FunderLevel(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    STREET = "street", _("Street or town")


class MealEligibility(TimeStampedModel):
    """An elder's subsidy class from a date, with the evidence seen (e.g. the
    低保证 number, the ID card's birth date). `home_street`: the street or town
    of the elder's household registration; empty means the canteen's own."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    resident = models.ForeignKey(
        "clients.Resident",
        on_delete=models.CASCADE,
        related_name="meal_eligibilities",
        verbose_name=_("elder"),
    )
    subsidy_class = models.CharField(
        _("subsidy class"), max_length=10, choices=SubsidyClass.choices
    )
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=200)
    home_street = models.ForeignKey(
        "org.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home street or town"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = _PERSONAL

    class Meta:
        verbose_name = _("meal subsidy class")
        verbose_name_plural = _("meal subsidy classes")
        ordering = ["resident__name", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="meal_eligibility_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.resident} {self.get_subsidy_class_display()}"


_CANTEEN_DATA = station_scope(
    street=True,
    change_roles=STATION_STAFF,
    create_roles=STATION_STAFF,
    superuser_acts=STAFF_WORK,
)


class CanteenPrice(TimeStampedModel):
    """The price of a meal at the station's canteen from a date."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("canteen")
    )
    meal = models.CharField(_("meal"), max_length=10, choices=MealTime.choices)
    kind = models.CharField(
        _("served"),
        max_length=10,
        choices=[
            ("dine_in", _("Dine-in")),
            ("delivery", _("Delivery")),
        ],
    )
    price_fen = models.PositiveIntegerField(_("price (fen)"))
    valid_from = models.DateField(_("from"))

    objects = ScopedQuerySet.as_manager()
    scope = _CANTEEN_DATA

    class Meta:
        verbose_name = _("canteen price")
        verbose_name_plural = _("canteen prices")
        ordering = ["station", "meal", "kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "meal", "kind", "valid_from"],
                name="canteen_price_once_a_day",
                violation_error_message=_("This canteen already has a price from that day."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.meal} {self.kind} {self.price_fen}"


class ShareKind(models.TextChoices):
    RATE = "rate", _("A share of the price, with a cap")
    FIXED = "fixed", _("A fixed amount")
    REST = "rest", _("The rest above the elder's payment")


class SubsidyRule(TimeStampedModel):
    """What one funder (a city, district or street) pays towards a meal of an
    elder of one class, from a date: a rate of the price with a cap, a fixed
    amount, or the rest of the price above what the elder pays (`elder_pays_fen`).
    Published tables, readable by every account; kept by the officials."""

    level = models.CharField(_("funder"), max_length=10, choices=FunderLevel.choices)
    city = models.ForeignKey(
        "org.City", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        "org.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    street = models.ForeignKey(
        "org.Street", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subsidy_class = models.CharField(
        _("subsidy class"), max_length=10, choices=SubsidyClass.choices
    )
    # Empty: lunch and dinner alike (each is subsidised separately).
    meal = models.CharField(_("meal"), max_length=10, choices=MealTime.choices, blank=True)
    share = models.CharField(_("share"), max_length=10, choices=ShareKind.choices)
    rate_percent = models.DecimalField(
        _("rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    cap_fen = models.PositiveIntegerField(_("cap (fen)"), null=True, blank=True)
    fixed_fen = models.PositiveIntegerField(_("amount (fen)"), null=True, blank=True)
    elder_pays_fen = models.PositiveIntegerField(_("the elder pays (fen)"), null=True, blank=True)
    valid_from = models.DateField(_("from"))

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        public=Q(pk__isnull=False),
        change_roles=frozenset({Role.CITY_OFFICER, Role.DISTRICT_OFFICER}),
        create_roles=frozenset({Role.CITY_OFFICER, Role.DISTRICT_OFFICER}),
    )

    class Meta:
        verbose_name = _("meal subsidy rule")
        verbose_name_plural = _("meal subsidy rules")
        ordering = ["level", "subsidy_class", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level="city", city__isnull=False, district__isnull=True, street__isnull=True)
                    | Q(
                        level="district",
                        district__isnull=False,
                        city__isnull=True,
                        street__isnull=True,
                    )
                    | Q(
                        level="street",
                        street__isnull=False,
                        city__isnull=True,
                        district__isnull=True,
                    )
                ),
                name="subsidy_rule_one_area_of_its_level",
                violation_error_message=_("A rule names exactly one area, of its level."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(share="rate", rate_percent__isnull=False)
                    | Q(share="fixed", fixed_fen__isnull=False)
                    | Q(share="rest", elder_pays_fen__isnull=False)
                ),
                name="subsidy_rule_share_complete",
                violation_error_message=_("The rule lacks the amount or rate of its share."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.subsidy_class} {self.share}"


class MealCard(TimeStampedModel):
    """The elder's meal card: the code on its QR code, typed when no camera reads
    it. Issuing again replaces the code (a lost card stops working)."""

    enrolment = models.OneToOneField(
        "community.MealEnrolment",
        on_delete=models.CASCADE,
        related_name="card",
        verbose_name=_("enrolment"),
    )
    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    code = models.CharField(_("card code"), max_length=12, unique=True)

    objects = ScopedQuerySet.as_manager()
    scope = _PERSONAL

    class Meta:
        verbose_name = _("meal card")
        verbose_name_plural = _("meal cards")

    def __str__(self) -> str:
        return self.code


class MealCheckIn(TimeStampedModel):
    """A priced meal: one elder's lunch or dinner at a canteen, with its price,
    the elder's share and each funder's share as the rules gave them on the day
    (`community.subsidies.meal_shares`). `lost_levels`: the funders whose
    subsidy the elder lost by eating outside their area (comma-separated)."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("canteen")
    )
    resident = models.ForeignKey(
        "clients.Resident",
        on_delete=models.CASCADE,
        related_name="meal_check_ins",
        verbose_name=_("elder"),
    )
    served_on = models.DateField(_("date"))
    meal = models.CharField(_("meal"), max_length=10, choices=MealTime.choices)
    kind = models.CharField(_("served"), max_length=10)
    subsidy_class = models.CharField(
        _("subsidy class"), max_length=10, choices=SubsidyClass.choices
    )
    price_fen = models.PositiveIntegerField(_("price (fen)"))
    elder_fen = models.PositiveIntegerField(_("elder pays (fen)"))
    city_fen = models.PositiveIntegerField(_("city pays (fen)"))
    district_fen = models.PositiveIntegerField(_("district pays (fen)"))
    street_fen = models.PositiveIntegerField(_("street pays (fen)"))
    lost_levels = models.CharField(_("subsidies lost"), max_length=30, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = _PERSONAL

    class Meta:
        verbose_name = _("meal check-in")
        verbose_name_plural = _("meal check-ins")
        ordering = ["-served_on", "meal", "resident__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "served_on", "meal"],
                name="meal_check_in_once_a_meal",
                violation_error_message=_("This elder has already checked in for this meal."),
            ),
            models.CheckConstraint(
                condition=Q(
                    price_fen=F("elder_fen") + F("city_fen") + F("district_fen") + F("street_fen")
                ),
                name="meal_check_in_shares_add_up",
                violation_error_message=_("The shares do not add up to the price."),
            ),
        ]
        indexes = [models.Index(fields=["station", "served_on"])]

    def __str__(self) -> str:
        return f"{self.resident} {self.served_on} {self.meal}"

    @property
    def elder_yuan(self) -> Decimal | None:
        return yuan(self.elder_fen)

    @property
    def price_yuan(self) -> Decimal | None:
        return yuan(self.price_fen)


class SettlementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    STATION_APPROVED = "station", _("Approved by the station")
    STREET_APPROVED = "street", _("Approved by the street office")
    DISTRICT_APPROVED = "district", _("Approved by the district")


APPROVE_STATION = "approve_station"
APPROVE_STREET = "approve_street"
APPROVE_DISTRICT = "approve_district"


class MealSettlement(TimeStampedModel):
    """结算: a canteen's month for one funder: meals, amounts and exceptions,
    approved by the station, then the street office, then the district. Its
    figures are frozen at the station's approval; corrections afterwards are
    dated adjustments."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("canteen")
    )
    month = models.DateField(_("month"))
    funder = models.CharField(_("funder"), max_length=10, choices=FunderLevel.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SettlementStatus.choices,
        default=SettlementStatus.DRAFT,
    )
    meals = models.PositiveIntegerField(_("meals"), default=0)
    price_fen = models.PositiveIntegerField(_("meal value (fen)"), default=0)
    funder_fen = models.PositiveIntegerField(_("funder pays (fen)"), default=0)
    elder_fen = models.PositiveIntegerField(_("elders pay (fen)"), default=0)
    exceptions = models.PositiveIntegerField(_("exceptions"), default=0)
    station_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    station_approved_at = models.DateTimeField(null=True, blank=True)
    street_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    street_approved_at = models.DateTimeField(null=True, blank=True)
    district_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district_approved_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        street=True,
        change_roles=STATION_STAFF,
        create_roles=STATION_STAFF,
        hidden_from=frozenset({Role.EVALUATOR}),
        acts={
            APPROVE_STATION: frozenset({Role.STATION_DIRECTOR}),
            APPROVE_STREET: frozenset({Role.STREET_OFFICE}),
            APPROVE_DISTRICT: frozenset({Role.DISTRICT_OFFICER}),
        },
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("meal settlement")
        verbose_name_plural = _("meal settlements")
        ordering = ["-month", "station", "funder"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "month", "funder"],
                name="meal_settlement_once_a_month",
                violation_error_message=_("This month is already being settled."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.month:%Y-%m} {self.funder}"

    @property
    def is_locked(self) -> bool:
        return self.status != SettlementStatus.DRAFT


class SettlementAdjustment(TimeStampedModel):
    """A dated correction to an approved settlement (its figures never change):
    a signed amount in fen, with the reason."""

    settlement = models.ForeignKey(
        MealSettlement,
        on_delete=models.PROTECT,
        related_name="adjustments",
        verbose_name=_("settlement"),
    )
    made_on = models.DateField(_("date"))
    amount_fen = models.IntegerField(_("amount (fen)"))
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        "settlement",
        street=True,
        change_roles=STATION_STAFF,
        create_roles=STATION_STAFF,
        hidden_from=frozenset({Role.EVALUATOR}),
        superuser_acts=STAFF_WORK,
    )

    class Meta:
        verbose_name = _("settlement adjustment")
        verbose_name_plural = _("settlement adjustments")
        ordering = ["made_on", "pk"]

    def __str__(self) -> str:
        return f"{self.settlement} {self.made_on} {self.amount_fen}"

    @property
    def amount_yuan(self) -> Decimal | None:
        return yuan(self.amount_fen)
