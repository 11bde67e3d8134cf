"""Pay and the personnel share 人员经费占比 of a contract.

Since 2018 personnel costs are at least 65 % of a station's contract. The
platform computes the personnel cost from the pay table (`PayRate`, data kept by
the city) and each staff member's post, qualification and grade: for every day of
the period a staff member is employed, a day's part of the month's pay (the
monthly pay ÷ the days of that month), summed per month and rounded to the fen.
Staff still employed are counted to the period's end (the contract's plan);
a staff member without a rate in the table is listed as missing, not guessed."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from shegong.org.models import Contract, Station
from shegong.workforce.models import StaffProfile
from shegong.workforce.pay_models import PayRate

RULE_PERCENT = Decimal("65")


def rate_for(profile: StaffProfile, on: datetime.date, rates: list[PayRate]) -> PayRate | None:
    """The table's rate of the profile's post, qualification and grade on `on`
    (`rates` ordered by -valid_from)."""
    for rate in rates:
        if (
            rate.post == profile.post
            and rate.qualification == profile.qualification
            and rate.grade == profile.pay_grade
            and rate.valid_from <= on
        ):
            return rate
    return None


def _months(first: datetime.date, last: datetime.date):
    day = first.replace(day=1)
    while day <= last:
        days = calendar.monthrange(day.year, day.month)[1]
        yield max(first, day), min(last, day.replace(day=days)), days
        day = (day.replace(day=days) + datetime.timedelta(days=1)).replace(day=1)


@dataclass
class PersonnelCost:
    fen: int = 0
    missing: list[str] = field(default_factory=list)
    uses_samples: bool = False

    @property
    def yuan(self) -> Decimal:
        return Decimal(self.fen) / 100


def personnel_cost(station: Station, first: datetime.date, last: datetime.date) -> PersonnelCost:
    """The station's staff pay from `first` to `last` (both included)."""
    rates = list(PayRate.objects.order_by("-valid_from"))
    cost = PersonnelCost()
    profiles = (
        StaffProfile.objects.filter(station=station, employed_since__lte=last)
        .exclude(left_on__lt=first)
        .select_related("user")
        .order_by("user__username")
    )
    for profile in profiles:
        start = max(first, profile.employed_since)
        end = min(last, profile.left_on or last)
        for month_first, month_last, days in _months(start, end):
            rate = rate_for(profile, month_first, rates)
            if rate is None:
                name = str(profile.user)
                if name not in cost.missing:
                    cost.missing.append(name)
                continue
            cost.uses_samples |= rate.is_sample
            part = Decimal(rate.monthly_fen) * ((month_last - month_first).days + 1) / days
            cost.fen += int(part.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return cost


@dataclass
class PersonnelShare:
    contract: Contract
    cost: PersonnelCost

    @property
    def amount_fen(self) -> int:
        return int(self.contract.amount * 100)

    @property
    def percent(self) -> Decimal:
        if not self.amount_fen:
            return Decimal("0.0")
        return (Decimal(self.cost.fen) * 100 / self.amount_fen).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def meets_rule(self) -> bool:
        return self.percent >= RULE_PERCENT


def contract_personnel_share(contract: Contract) -> PersonnelShare:
    """The personnel cost of the contract's station over the contract's period,
    against its amount."""
    cost = personnel_cost(contract.station, contract.starts_on, contract.ends_on)
    return PersonnelShare(contract=contract, cost=cost)


def current_contract(station: Station, on: datetime.date) -> Contract | None:
    return (
        Contract.objects.filter(station=station, starts_on__lte=on, ends_on__gte=on)
        .order_by("-starts_on")
        .first()
    )
