"""Demo evaluation and inspection data, through the services (idempotent):

- 2026年海珠区中期评估: a finalised mid-term round for 海珠区, every station scored
  and submitted (by evaluator-2), with computed indicators from the demo year;
- 2026年海珠区末期评估: an open final round with evaluator-1 assigned to four
  stations (沙园街 first), one of them partly scored;
- 2026年海珠区末期评估（千分制）: an open round on the city's 1000-point tree for
  沙园街, its professional branch scored by evaluator-1, the supervisor branch by
  district-haizhu, the buyer branch left for the street office street-haizhu-10;
- inspections by district-haizhu at 沙园街 and a neighbour station, with an
  overdue, an open and a submitted rectification, and the overdue alert raised.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shegong.accounts.models import User
from shegong.core.roles import Role
from shegong.evaluation import inspections, services
from shegong.evaluation.city_system import round_add_city_system
from shegong.evaluation.models import (
    EvaluationRound,
    Indicator,
    IndicatorGroup,
    Inspection,
    Method,
    RoundStatus,
    SheetStatus,
    StationEvaluation,
)
from shegong.org.models import District, Station

MID_TERM = "2026年海珠区中期评估"
FINAL = "2026年海珠区末期评估"
POINTS = "2026年海珠区末期评估（千分制）"
YEAR = 2026
SHOWCASE = "沙园街社工站"


@dataclass
class DemoEvaluation:
    rounds: int
    sheets: int
    inspections: int
    rectifications: int


def _score(rng: random.Random, indicator: Indicator) -> Decimal:
    """A plausible score: 65 %–100 % of the maximum, in half points."""
    raw = indicator.max_score * Decimal(rng.uniform(0.65, 1.0))
    return min((raw * 2).quantize(Decimal(1)) / 2, indicator.max_score)


def _score_sheet(sheet: StationEvaluation, evaluator: User, rng: random.Random, limit=None):
    indicators = Indicator.objects.filter(group__round=sheet.round, method=Method.SCORED).order_by(
        "group__position", "position"
    )
    for indicator in list(indicators)[:limit]:
        services.score_set(
            actor=evaluator,
            evaluation=sheet,
            indicator=indicator,
            score=_score(rng, indicator),
            note="查阅台账、访谈社工及服务对象",
        )


def _round(name: str, kind: str, officer: User, district: District) -> tuple[EvaluationRound, bool]:
    existing = EvaluationRound.objects.filter(name=name).first()
    if existing is not None:
        return existing, False
    round = services.round_create(actor=officer, name=name, kind=kind, year=YEAR, district=district)
    services.round_add_standard_system(actor=officer, round=round)
    return round, True


def _mid_term(officer: User, evaluator: User, district: District, stations: list[Station]) -> None:
    round, created = _round(MID_TERM, "mid_term", officer, district)
    if not created:
        return
    for station in stations:
        services.round_assign(actor=officer, round=round, station=station, evaluator=evaluator)
    round = services.round_open(actor=officer, round=round)
    for sheet in StationEvaluation.objects.filter(round=round).select_related("round", "station"):
        _score_sheet(sheet, evaluator, random.Random(sheet.station_id))
        services.evaluation_submit(actor=evaluator, evaluation=sheet)
    services.round_finalise(actor=officer, round=round)


def _final(officer: User, evaluator: User, district: District, stations: list[Station]) -> None:
    round, created = _round(FINAL, "final", officer, district)
    if round.status == RoundStatus.DRAFT:
        for station in stations[:4]:
            services.round_assign(actor=officer, round=round, station=station, evaluator=evaluator)
        round = services.round_open(actor=officer, round=round)
    if created:
        first = StationEvaluation.objects.select_related("round").get(
            round=round, station=stations[0]
        )
        if first.status == SheetStatus.SCORING:
            _score_sheet(first, evaluator, random.Random(7), limit=2)


def _points(officer: User, evaluator: User, supervisor: User, district: District, station):
    """The points-tree round of 沙园街: every branch scored but the buyer's."""
    if EvaluationRound.objects.filter(name=POINTS).exists():
        return
    round = services.round_create(
        actor=officer, name=POINTS, kind="final", year=YEAR, district=district, system="points"
    )
    round_add_city_system(actor=officer, round=round)
    services.round_assign(actor=officer, round=round, station=station, evaluator=evaluator)
    round = services.round_open(actor=officer, round=round)
    sheet = StationEvaluation.objects.select_related("round").get(round=round, station=station)
    rng = random.Random(11)
    scorers = {"professional": evaluator, "supervisor": supervisor}
    branches = IndicatorGroup.objects.filter(round=round, scorer__in=scorers)
    leaves = Indicator.objects.filter(
        group__in=branches, method=Method.SCORED, children__isnull=True
    ).select_related("group")
    for indicator in leaves.order_by("group__position", "pk"):
        score = indicator.max_score if indicator.veto else _score(rng, indicator)
        services.score_set(
            actor=scorers[indicator.group.scorer],
            evaluation=sheet,
            indicator=indicator,
            score=score,
        )


def _inspections(officer: User, stations: list[Station], today: datetime.date) -> tuple[int, int]:
    visits = [
        (
            stations[0],
            today - datetime.timedelta(days=40),
            "消防通道有杂物堆放；部分社工档案未更新。",
            {
                "site_safety": ("fail", "消防通道堆放活动物资"),
                "staff_records": ("fail", "2名社工继续教育记录缺失"),
                "management_rules": ("pass", ""),
                "phone_check": ("pass", "电话回访5户，均表示满意"),
            },
            [
                ("清理消防通道，物资移至仓库", -10, "director"),
                ("补齐社工继续教育记录", 20, "worker"),
            ],
        ),
        (
            stations[1],
            today - datetime.timedelta(days=15),
            "场地安全良好；服务档案规范。建议完善义工管理制度。",
            {
                "site_safety": ("pass", ""),
                "staff_records": ("pass", ""),
                "management_rules": ("fail", "义工管理制度未上墙"),
                "phone_check": ("pass", "电话回访3户"),
            },
            [("修订并公示义工管理制度", 10, "director")],
        ),
    ]
    made = items = 0
    for station, visited_on, findings, checks, rectifications in visits:
        if Inspection.objects.filter(station=station, visited_on=visited_on).exists():
            continue
        inspection = inspections.inspection_record(
            actor=officer, station=station, visited_on=visited_on, findings=findings, checks=checks
        )
        made += 1
        director = User.objects.filter(station=station, role=Role.STATION_DIRECTOR).first()
        worker = (
            User.objects.filter(station=station, role=Role.SOCIAL_WORKER)
            .order_by("username")
            .first()
        )
        owners = {"director": director, "worker": worker or director}
        for n, (description, due_in, owner) in enumerate(rectifications):
            item = inspections.rectification_add(
                actor=officer,
                inspection=inspection,
                description=description,
                owner=owners[owner],
                due_on=max(today + datetime.timedelta(days=due_in), visited_on),
            )
            items += 1
            if station is stations[1] and n == 0:
                inspections.rectification_submit(
                    actor=director, rectification=item, response="制度已修订并在服务大厅公示"
                )
    inspections.overdue_alerts_raise(today)
    return made, items


@transaction.atomic
def load_demo_evaluation() -> DemoEvaluation:
    """The demo's rounds, inspections and rectifications; safe to run again."""
    district = District.objects.filter(name="海珠区").first()
    officer = User.objects.filter(username="city").first()
    inspector = User.objects.filter(username="district-haizhu").first()
    evaluator_1 = User.objects.filter(username="evaluator-1").first()
    evaluator_2 = User.objects.filter(username="evaluator-2").first()
    if None in (district, officer, inspector, evaluator_1, evaluator_2):
        return DemoEvaluation(0, 0, 0, 0)
    stations = list(
        Station.objects.filter(street__district=district, is_active=True).order_by("code")
    )
    showcase = [s for s in stations if s.name == SHOWCASE]
    stations = showcase + [s for s in stations if s.name != SHOWCASE]
    _mid_term(officer, evaluator_2, district, stations)
    _final(officer, evaluator_1, district, stations)
    _points(officer, evaluator_1, inspector, district, stations[0])
    inspections, items = _inspections(inspector, stations, timezone.localdate())
    return DemoEvaluation(
        rounds=EvaluationRound.objects.filter(name__in=[MID_TERM, FINAL, POINTS]).count(),
        sheets=StationEvaluation.objects.filter(round__name__in=[MID_TERM, FINAL, POINTS]).count(),
        inspections=inspections,
        rectifications=items,
    )
