"""A staffed world for the workforce tests (on top of tests/conftest.py `world`).

Station A (沙园街社工站), year 2025:

account   post            qualification  employed                  training 2025   supervision 2025
director  director        social worker  2020-03-01                12.5            1.0 individual
worker    front-line      assistant      2023-07-01                8.0 + 6.0       2.0 ind + 1.5 grp
                                                                   (10.0 in 2024)
worker2   front-line      none           2025-02-01                3.5             2.0 grp
sup       supervisor      senior         2018-05-01                —               —
clerk     administration  none           2019-01-01 … 2024-12-31   (5.0 in 2024)   —

Headcount 2025 = 4 (clerk left before 2025); qualified 3 → 75.0 %; training
30.0 h (7.5 per staff member); supervision 6.5 h (1.6 per staff member).
Station B: director_b, director, social worker since 2021-01-01, no hours →
headcount 1, 100.0 %, 0.0 h. Station C: no profiles.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from shegong.core.roles import Role
from shegong.workforce import services
from shegong.workforce.models import StaffProfile
from tests.conftest import make_user

YEAR = 2025


def d(month: int, day: int, year: int = YEAR) -> datetime.date:
    return datetime.date(year, month, day)


@dataclass
class Staffed:
    world: object
    profiles: dict[str, StaffProfile]

    def __getitem__(self, name):
        return self.world[name]


def profile(actor, user, post, qualification, since, left=None, n=0) -> StaffProfile:
    cert = (
        {}
        if qualification == "none"
        else {
            "certificate_number": f"GZSG{2000 + n:06d}",
            "certified_on": since,
        }
    )
    return services.staff_profile_create(
        actor=actor,
        user=user,
        post=post,
        qualification=qualification,
        employed_since=since,
        left_on=left,
        **cert,
    )


def make_staffed(world) -> Staffed:
    a = world.station_a
    director = world["director"]
    world.people["worker2"] = make_user("worker2", Role.SOCIAL_WORKER, station=a)
    world.people["sup"] = make_user("sup", Role.SOCIAL_WORKER, station=a)
    world.people["clerk"] = make_user("clerk", Role.SOCIAL_WORKER, station=a)
    p = {
        "director": profile(director, director, "director", "social_worker", d(3, 1, 2020), n=1),
        "worker": profile(director, world["worker"], "frontline", "assistant", d(7, 1, 2023), n=2),
        "worker2": profile(director, world["worker2"], "frontline", "none", d(2, 1)),
        "sup": profile(director, world["sup"], "supervisor", "senior", d(5, 1, 2018), n=4),
        "clerk": profile(
            director, world["clerk"], "administration", "none", d(1, 1, 2019), d(12, 31, 2024)
        ),
        "director_b": profile(
            world["director_b"],
            world["director_b"],
            "director",
            "social_worker",
            d(1, 1, 2021),
            n=6,
        ),
    }
    for name, course, on, hours in (
        ("director", "督导技巧进阶", d(4, 10), "12.5"),
        ("worker", "个案管理实务", d(5, 20), "8"),
        ("worker", "长者危机干预", d(9, 1), "6"),
        ("worker", "社工伦理", d(11, 1, 2024), "10"),
        ("worker2", "新入职社工培训", d(3, 15), "3.5"),
        ("clerk", "档案管理", d(6, 1, 2024), "5"),
    ):
        services.training_record_add(
            actor=director,
            profile=p[name],
            course=course,
            provider="广州市社会工作协会",
            held_on=on,
            hours=Decimal(hours),
        )
    for name, on, hours, kind in (
        ("worker", d(2, 10), "2", "individual"),
        ("worker", d(6, 10), "1.5", "group"),
        ("worker2", d(6, 10), "2", "group"),
        ("director", d(8, 1), "1", "individual"),
    ):
        services.supervision_record_add(
            actor=director,
            profile=p[name],
            supervisor="外聘督导刘老师",
            held_on=on,
            hours=Decimal(hours),
            kind=kind,
        )
    return Staffed(world=world, profiles=p)
