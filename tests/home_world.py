"""The home pages' world, on the delivery world (tests/delivery_world.py).

Station A (沙园街) has this year's 113X plan, submitted for approval, with
person-time targets of 1,000 on the key project and 200 on the elderly one;
today `worker` ran a community activity of the key project (2 named + 40
counted = 42 person-times) and the first session of a six-session elderly group
(5 present = 5 person-times); eight days ago, outside the week, a home visit
(1). Station A's total is 48 against 1,200 (4 %).
Station B (南石头街) has a family project with a target of 100 and nothing done (0 %).

Station A also has: two elders enrolled in the canteen with no roll call
today; a crisis alert on 居民01 assigned to `worker`; two cases of `worker`,
one due for review in 3 days and one in 20; a case opened by the director with
nobody assigned; an inspection by the district officer with a rectification
owned by the director due yesterday; a contract ending in 30 days. The world's
open evaluation round has a scoring deadline in 5 days.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from shegong.cases import services as case_services
from shegong.clients import services as client_services
from shegong.community import services as community_services
from shegong.evaluation import inspections
from shegong.evaluation.models import EvaluationRound
from shegong.org.models import Contract
from shegong.plans import services as plan_services
from tests.delivery_world import TODAY, Delivery, group, make_delivery, record, session

DAY = datetime.timedelta(days=1)


def _case(d: Delivery, resident, review_in: int):
    worker = d["worker"]
    client_services.consent_record(actor=worker, resident=resident, recorded_on=TODAY())
    case = case_services.case_open(
        actor=worker, client=resident, domain="elderly", source="walk_in", opened_on=TODAY()
    )
    case_services.case_assess(
        actor=worker, case=case, assessed_on=TODAY(), needs="独居", risk_level="low"
    )
    case_services.case_plan(
        actor=worker,
        case=case,
        planned_on=TODAY(),
        goals="每周探访",
        review_due_on=TODAY() + review_in * DAY,
    )
    return case


def make_homes(world) -> Delivery:
    d = make_delivery(world)
    director, worker = d["director"], d["worker"]
    plan_services.target_set(
        actor=director, project=d.projects["key"], targets={"person_times": 1000}
    )
    plan_services.target_set(
        actor=director, project=d.projects["elderly"], targets={"person_times": 200}
    )
    plan_services.target_set(
        actor=d["director_b"], project=d.project_b, targets={"person_times": 100}
    )
    d.extra["activity"] = record(d, title="邻里互助茶话会", headcount=40, attendees=d.residents[:2])
    d.extra["group"] = grp = group(d, members=6, planned=6)
    d.extra["session"] = session(d, grp, d.residents[:5])
    if (TODAY() - 8 * DAY).year == TODAY().year:
        d.extra["old_visit"] = record(
            d,
            project="elderly",
            kind="home_visit",
            title="上周探访",
            held_on=TODAY() - 8 * DAY,
            attendees=d.residents[5:6],
        )
    plan = plan_services.plan_update(
        actor=director, plan=d.projects["key"].plan, key_need_reason="需求调查中邻里互助居首位。"
    )
    d.extra["plan"] = plan_services.plan_submit(actor=director, plan=plan)
    for resident in d.residents[10:12]:
        community_services.meal_enrol(actor=worker, resident=resident, started_on=TODAY() - DAY)
    case_services.observation_record(
        actor=worker,
        resident=d.residents[0],
        observed_on=TODAY(),
        source="visit",
        text="情绪低落，提到不想活了。",
        crisis=True,
    )
    d.extra["review_soon"] = _case(d, d.residents[1], review_in=3)
    d.extra["review_later"] = _case(d, d.residents[2], review_in=20)
    client_services.consent_record(actor=director, resident=d.residents[3], recorded_on=TODAY())
    d.extra["unassigned"] = case_services.case_open(
        actor=director,
        client=d.residents[3],
        domain="family",
        source="walk_in",
        opened_on=TODAY(),
        workers=[],
    )
    inspection = inspections.inspection_record(
        actor=d["district"], station=world.station_a, visited_on=TODAY() - 10 * DAY
    )
    d.extra["rectification"] = inspections.rectification_add(
        actor=d["district"],
        inspection=inspection,
        description="消防通道堆放杂物，需清理。",
        owner=director,
        due_on=TODAY() - DAY,
    )
    d.extra["contract"] = Contract.objects.create(
        code="GZ-2024-A-OLD",
        buyer="广州市海珠区沙园街道办事处",
        agency=world.agency_a,
        station=world.station_a,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=TODAY() + 30 * DAY,
        amount=Decimal("1200000.00"),
    )
    EvaluationRound.objects.update(scoring_due_on=TODAY() + 5 * DAY)
    d.extra["round"] = EvaluationRound.objects.get()
    return d
