"""The demo's meal money: DESIGN.md's worked example (Zengcheng's published
table for a ¥12 meal) as the subsidy rules of the demo city and each district,
the canteen's prices, each enrolled elder's class and card, and the last days'
lunches checked in by card (docs/meals.md)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from shegong.accounts.models import User
from shegong.clients.models import Resident
from shegong.community import meal_services
from shegong.community.meal_models import (
    FunderLevel,
    MealTime,
    ShareKind,
    SubsidyClass,
    SubsidyRule,
)
from shegong.community.models import MealEnrolment, MealKind
from shegong.core.roles import Role
from shegong.org.models import Station

# What the elder pays for a ¥12 meal, per class (the worked example); the city
# pays a quarter of the price, at most ¥3; the district pays the rest.
ELDER_PAYS_FEN = {SubsidyClass.HARDSHIP: 100, SubsidyClass.AGE_80: 300, SubsidyClass.AGE_60: 500}
CITY_RATE = Decimal("25")
CITY_CAP_FEN = 300
PRICES_FEN = {
    (MealTime.LUNCH, MealKind.DINE_IN): 1200,
    (MealTime.DINNER, MealKind.DINE_IN): 1200,
    (MealTime.LUNCH, MealKind.DELIVERY): 1200,
    (MealTime.DINNER, MealKind.DELIVERY): 1200,
}
CLASSES = (
    (SubsidyClass.HARDSHIP, "低保证 编号 4401050000{n:02d}"),
    (SubsidyClass.AGE_80, "身份证出生日期核验"),
    (SubsidyClass.AGE_60, "身份证出生日期核验"),
)


def _rules(station: Station, since: datetime.date) -> None:
    district = station.street.district
    city = district.city
    if not SubsidyRule.objects.filter(level=FunderLevel.CITY, city=city).exists():
        officer = User.objects.filter(role=Role.CITY_OFFICER, city=city).first()
        for subsidy_class in ELDER_PAYS_FEN:
            meal_services.subsidy_rule_add(
                actor=officer,
                level=FunderLevel.CITY,
                area=city,
                subsidy_class=subsidy_class,
                share=ShareKind.RATE,
                rate_percent=CITY_RATE,
                cap_fen=CITY_CAP_FEN,
                valid_from=since,
            )
    if not SubsidyRule.objects.filter(level=FunderLevel.DISTRICT, district=district).exists():
        officer = User.objects.filter(role=Role.DISTRICT_OFFICER, district=district).first()
        for subsidy_class, elder_pays in ELDER_PAYS_FEN.items():
            meal_services.subsidy_rule_add(
                actor=officer,
                level=FunderLevel.DISTRICT,
                area=district,
                subsidy_class=subsidy_class,
                share=ShareKind.REST,
                elder_pays_fen=elder_pays,
                valid_from=since,
            )


def seed_meal_money(
    station: Station, worker: User, elders: list[tuple[Resident, bool]], today: datetime.date
) -> None:
    """The canteen's money after its roll calls: an elder who stopped coming
    (the flag) is not checked in."""
    since = today - datetime.timedelta(days=60)
    if User.objects.filter(role=Role.CITY_OFFICER).exists():
        _rules(station, since)
    for (meal, kind), price in PRICES_FEN.items():
        meal_services.canteen_price_set(
            actor=worker, station=station, meal=meal, kind=kind, price_fen=price, valid_from=since
        )
    cards = []
    stopped = {resident.pk for resident, gone in elders if gone}
    enrolments = MealEnrolment.objects.filter(
        station=station, resident__in=[resident for resident, _gone in elders]
    ).order_by("pk")
    for n, enrolment in enumerate(enrolments):
        subsidy_class, evidence = CLASSES[n % len(CLASSES)]
        meal_services.meal_eligibility_set(
            actor=worker,
            enrolment=enrolment,
            subsidy_class=subsidy_class,
            valid_from=since,
            evidence=evidence.format(n=n),
        )
        card = meal_services.meal_card_issue(actor=worker, enrolment=enrolment)
        if enrolment.resident_id not in stopped:
            cards.append(card)
    for back in range(3, 0, -1):
        day = today - datetime.timedelta(days=back)
        if day.weekday() == 6:
            continue  # the canteen is closed on Sundays
        for card in cards:
            meal_services.meal_check_in(
                actor=worker, station=station, code=card.code, meal=MealTime.LUNCH, served_on=day
            )
