"""Who pays for a meal: the one function that splits a meal's price between the
elder and the funders (city, district, street) from the subsidy rules, and the
reads of the rules, prices and classes in force on a day (docs/meals.md)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from shegong.community.meal_models import (
    CanteenPrice,
    FunderLevel,
    MealEligibility,
    ShareKind,
    SubsidyClass,
    SubsidyRule,
    yuan,  # noqa: F401  (re-exported for the pages)
)
from shegong.org.models import Station, Street

LEVELS = (FunderLevel.CITY, FunderLevel.DISTRICT, FunderLevel.STREET)


@dataclass(frozen=True)
class Shares:
    """A meal's price split: what the elder pays and what each funder pays (fen).
    `lost`: the levels whose subsidy the elder lost by eating outside their area."""

    price_fen: int
    elder_fen: int
    funders: Mapping[str, int] = field(default_factory=dict)
    lost: tuple[str, ...] = ()

    def of(self, level: str) -> int:
        return self.funders.get(level, 0)


def _rate_share(price_fen: int, rule: SubsidyRule) -> int:
    share = (Decimal(price_fen) * rule.rate_percent / 100).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    if rule.cap_fen is not None:
        share = min(share, Decimal(rule.cap_fen))
    return int(share)


def meal_shares(
    *, price_fen: int, rules: Mapping[str, SubsidyRule], lost: frozenset[str] = frozenset()
) -> Shares:
    """Split `price_fen` by `rules` (one rule per funder level, for the elder's
    class and the meal). Rate and fixed shares first, then the level that pays
    the rest above the elder's payment; no funder pays more than is left. A
    level in `lost` pays nothing and the elder pays its share instead (eating in
    another street or district loses that level's subsidy)."""
    left = price_fen
    funders: dict[str, int] = {}
    ordered = sorted(
        (level for level in LEVELS if level in rules),
        key=lambda level: rules[level].share == ShareKind.REST,
    )
    for level in ordered:
        rule = rules[level]
        if rule.share == ShareKind.RATE:
            share = _rate_share(price_fen, rule)
        elif rule.share == ShareKind.FIXED:
            share = rule.fixed_fen or 0
        else:
            share = left - (rule.elder_pays_fen or 0)
        share = max(0, min(share, left))
        funders[level] = share
        left -= share
    kept = {level: (0 if level in lost else share) for level, share in funders.items()}
    elder = price_fen - sum(kept.values())
    return Shares(
        price_fen=price_fen,
        elder_fen=elder,
        funders={level: kept.get(level, 0) for level in LEVELS},
        lost=tuple(level for level in LEVELS if level in lost and funders.get(level)),
    )


def lost_levels(canteen_street: Street, home_street: Street | None) -> frozenset[str]:
    """The funder levels an elder from `home_street` loses at a canteen in
    `canteen_street`: the street's outside their street, the district's outside
    their district, the city's outside their city."""
    if home_street is None or home_street.pk == canteen_street.pk:
        return frozenset()
    lost = {FunderLevel.STREET}
    if home_street.district_id != canteen_street.district_id:
        lost.add(FunderLevel.DISTRICT)
        if home_street.district.city_id != canteen_street.district.city_id:
            lost.add(FunderLevel.CITY)
    return frozenset(lost)


def rules_on(
    station: Station, subsidy_class: str, meal: str, day: datetime.date
) -> dict[str, SubsidyRule]:
    """The rule of each funder level over the canteen's area for the class and
    meal on `day` (the newest in force; a rule for the meal beats one for both)."""
    if subsidy_class == SubsidyClass.NONE:
        return {}
    street = station.street
    area = (
        Q(level=FunderLevel.CITY, city_id=street.district.city_id)
        | Q(level=FunderLevel.DISTRICT, district_id=street.district_id)
        | Q(level=FunderLevel.STREET, street_id=street.pk)
    )
    candidates = (
        SubsidyRule.objects.filter(area, subsidy_class=subsidy_class, valid_from__lte=day)
        .filter(Q(meal=meal) | Q(meal=""))
        .order_by("level", "-valid_from", "-meal")
    )
    rules: dict[str, SubsidyRule] = {}
    for rule in candidates:
        rules.setdefault(rule.level, rule)
    return rules


def price_on(station: Station, meal: str, kind: str, day: datetime.date) -> int | None:
    """The canteen's price of the meal on `day` (fen), or None if it has none."""
    return (
        CanteenPrice.objects.filter(station=station, meal=meal, kind=kind, valid_from__lte=day)
        .order_by("-valid_from")
        .values_list("price_fen", flat=True)
        .first()
    )


def eligibility_on(
    station: Station, resident_id: int, day: datetime.date
) -> MealEligibility | None:
    return (
        MealEligibility.objects.filter(
            station=station, resident_id=resident_id, valid_from__lte=day
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .select_related("home_street__district")
        .order_by("-valid_from")
        .first()
    )
