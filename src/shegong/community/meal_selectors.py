"""Reads of the meal programme's money: a canteen's month for one funder (the
settlement's figures, live until the station approves), its exceptions and its
check-ins (docs/meals.md)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from shegong.community.meal_models import (
    FunderLevel,
    MealCheckIn,
    MealSettlement,
    SettlementAdjustment,
    SubsidyClass,
)
from shegong.org.models import Station


def month_range(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = month.replace(day=1)
    end = datetime.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, end


def _month_check_ins(station: Station | int, month: datetime.date) -> QuerySet[MealCheckIn]:
    start, end = month_range(month)
    return MealCheckIn.objects.filter(station=station, served_on__gte=start, served_on__lt=end)


def exception_condition(funder: str) -> Q:
    """A meal is an exception for a funder when the elder lost its subsidy by
    eating outside their area, or had no subsidy class on the day."""
    return Q(lost_levels__contains=funder) | Q(subsidy_class=SubsidyClass.NONE)


def settlement_figures(station: Station | int, month: datetime.date, funder: str) -> dict[str, int]:
    """The month's meals, their value, the funder's share, the elders' share and
    the exceptions, counted from the check-ins (one query)."""
    if funder not in FunderLevel.values:
        raise ValueError(funder)
    totals = _month_check_ins(station, month).aggregate(
        meals=Count("pk"),
        price_fen=Sum("price_fen"),
        funder_fen=Sum(f"{funder}_fen"),
        elder_fen=Sum("elder_fen"),
        exceptions=Count("pk", filter=exception_condition(funder)),
    )
    return {name: value or 0 for name, value in totals.items()}


@dataclass
class MonthSettlement:
    """A canteen's month for one funder: the stored settlement once approved by
    the station (its frozen figures), else the live count."""

    station: Station
    month: datetime.date
    funder: str
    settlement: MealSettlement | None
    figures: dict[str, int]
    adjustments: list[SettlementAdjustment]

    @property
    def status(self) -> str:
        return self.settlement.status if self.settlement else "draft"

    @property
    def is_locked(self) -> bool:
        return bool(self.settlement and self.settlement.is_locked)

    @property
    def adjusted_funder_fen(self) -> int:
        return self.figures["funder_fen"] + sum(a.amount_fen for a in self.adjustments)


def month_settlement(
    user: Any, station: Station, month: datetime.date, funder: str
) -> MonthSettlement:
    settlement = (
        MealSettlement.objects.visible_to(user)
        .filter(station=station, month=month.replace(day=1), funder=funder)
        .select_related("station_approved_by", "street_approved_by", "district_approved_by")
        .first()
    )
    if settlement is not None and settlement.is_locked:
        figures = {
            name: getattr(settlement, name)
            for name in ("meals", "price_fen", "funder_fen", "elder_fen", "exceptions")
        }
        adjustments = list(
            SettlementAdjustment.objects.visible_to(user).filter(settlement=settlement)
        )
    else:
        figures = settlement_figures(station, month, funder)
        adjustments = []
    return MonthSettlement(station, month.replace(day=1), funder, settlement, figures, adjustments)


def exceptions_of(user: Any, station: Station, month: datetime.date, funder: str):
    """The month's exceptional meals, for the station's own staff (names are
    personal data: other readers get none)."""
    start, end = month_range(month)
    return (
        MealCheckIn.objects.visible_to(user)
        .filter(station=station, served_on__gte=start, served_on__lt=end)
        .filter(exception_condition(funder))
        .select_related("resident")
        .order_by("served_on", "meal", "resident__name")
    )


def check_ins_of_day(user: Any, station: Station, day: datetime.date) -> QuerySet[MealCheckIn]:
    return (
        MealCheckIn.objects.visible_to(user)
        .filter(station=station, served_on=day)
        .select_related("resident")
        .order_by("-created_at")
    )
