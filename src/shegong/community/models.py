"""Programmes around the station. For now the elderly meal programme
(长者饭堂 / 大配餐): who is enrolled and who ate on which day. Absences feed the
early-warning rule in `cases.alerts`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import STATION_STAFF, STATION_STAFF_ONLY
from shegong.core.models import TimeStampedModel
from shegong.core.scope import Scope, ScopedQuerySet

MEAL_SCOPE = Scope(
    station="station",
    change_roles=STATION_STAFF,
    create_roles=STATION_STAFF,
    hidden_from=STATION_STAFF_ONLY,
)


class MealEnrolment(TimeStampedModel):
    """An elder enrolled in the station's meal programme."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    resident = models.ForeignKey(
        "clients.Resident",
        on_delete=models.CASCADE,
        related_name="meal_enrolments",
        verbose_name=_("elder"),
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = MEAL_SCOPE

    class Meta:
        verbose_name = _("meal programme enrolment")
        verbose_name_plural = _("meal programme enrolments")
        ordering = ["resident__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "resident"],
                condition=Q(ended_on__isnull=True),
                name="meal_enrolment_one_open",
                violation_error_message=_("The elder is already enrolled."),
            )
        ]

    def __str__(self) -> str:
        return str(self.resident)


class MealKind(models.TextChoices):
    DINE_IN = "dine_in", _("Dine-in")
    DELIVERY = "delivery", _("Delivery")


class MealRecord(TimeStampedModel):
    """One elder's meal on one day (堂食 or 送餐)."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    resident = models.ForeignKey(
        "clients.Resident",
        on_delete=models.CASCADE,
        related_name="meal_records",
        verbose_name=_("elder"),
    )
    served_on = models.DateField(_("date"))
    kind = models.CharField(
        _("meal"), max_length=10, choices=MealKind.choices, default=MealKind.DINE_IN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = MEAL_SCOPE

    class Meta:
        verbose_name = _("meal record")
        verbose_name_plural = _("meal records")
        ordering = ["-served_on", "resident__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "served_on"],
                name="meal_record_once_a_day",
                violation_error_message=_("This elder's meal is already recorded for that day."),
            )
        ]
        indexes = [models.Index(fields=["station", "served_on"])]

    def __str__(self) -> str:
        return f"{self.resident} {self.served_on}"
