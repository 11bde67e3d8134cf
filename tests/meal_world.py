"""A canteen at station A with DESIGN.md's worked example: city and district
rules for each subsidy class, ¥12 dine-in and ¥15 delivery, and five elders with
their cards (hardship, 80+, 60–79, no class, and one whose home is in another
district). Shared by the meal-money tests and the browser check-in test."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from shegong.community import meal_services
from shegong.community import services as community_services
from shegong.community.meal_models import ShareKind
from shegong.community.models import MealEnrolment
from tests.helpers import register_resident


@dataclass
class Canteen:
    codes: dict[str, str]
    enrolments: dict[str, MealEnrolment]


def make_canteen(world) -> Canteen:
    worker = world["worker"]
    since = timezone.localdate() - datetime.timedelta(days=70)
    for subsidy_class, elder_pays in (("hardship", 100), ("age_80", 300), ("age_60", 500)):
        meal_services.subsidy_rule_add(
            actor=world["city"],
            level="city",
            area=world.city,
            subsidy_class=subsidy_class,
            share=ShareKind.RATE,
            rate_percent=Decimal("25"),
            cap_fen=300,
            valid_from=since,
        )
        meal_services.subsidy_rule_add(
            actor=world["district"],
            level="district",
            area=world.district,
            subsidy_class=subsidy_class,
            share=ShareKind.REST,
            elder_pays_fen=elder_pays,
            valid_from=since,
        )
    for meal in ("lunch", "dinner"):
        for kind, price in (("dine_in", 1200), ("delivery", 1500)):
            meal_services.canteen_price_set(
                actor=worker,
                station=world.station_a,
                meal=meal,
                kind=kind,
                price_fen=price,
                valid_from=since,
            )
    elders = {
        "hardship": ("张桂英", "hardship", None),
        "age_80": ("李国华", "age_80", None),
        "age_60": ("王秀兰", "age_60", None),
        "none": ("陈建平", None, None),
        "outside": ("刘美玲", "age_60", world.street_c),
    }
    codes, enrolments = {}, {}
    for key, (name, subsidy_class, home) in elders.items():
        resident = register_resident(world, name, born=datetime.date(1940, 5, 1))
        enrolment = community_services.meal_enrol(actor=worker, resident=resident, started_on=since)
        if subsidy_class:
            meal_services.meal_eligibility_set(
                actor=worker,
                enrolment=enrolment,
                subsidy_class=subsidy_class,
                valid_from=since,
                evidence="低保证 440105" if subsidy_class == "hardship" else "身份证",
                home_street=home,
            )
        codes[key] = meal_services.meal_card_issue(actor=worker, enrolment=enrolment).code
        enrolments[key] = enrolment
    return Canteen(codes, enrolments)
