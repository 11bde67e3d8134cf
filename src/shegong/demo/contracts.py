"""The demo's contract cycles (docs/contracts.md): in each district, the first
station's previous-term contract (2022-07 – 2025-06) goes through the whole
cycle on the platform, through the services: the street office announces the
tender 招标, two agencies bid, the award signs the contract (budget lines 70 /
20 / 10 %) and schedules 30 / 40 / 30 % instalments; the signing instalment is
paid, the mid-term and final results (paper reports of the time) are recorded,
their deliverables accepted 验收 and paid; the agency reports its spending per
budget line; the renewal decision on the final result links the current-term
contract. In 从化区 the mid-term result first fails (the instalment is held) and
passes after rectification.

Figures are samples. Idempotent: a station whose tender exists is skipped.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from shegong.accounts.models import User
from shegong.contracts import services
from shegong.contracts.models import Grade, Milestone, Renewal, Tender
from shegong.core.roles import Role
from shegong.demo.city import CURRENT_TERM, PREVIOUS_TERM, SEED
from shegong.org.models import Agency, Contract, District, Station, Street

D = datetime.date
FAILS_FIRST = "从化区"
FINAL_GRADES = (Grade.GOOD, Grade.EXCELLENT, Grade.PASS)


def _code(station: Station, label: str) -> str:
    return f"GZ-{PREVIOUS_TERM[0].year}-{station.code}-{label}"


def _office(station: Station) -> str:
    return "人民政府" if station.street.kind == Street.Kind.TOWN else "街道办事处"


def _split(total: Decimal, parts: int) -> list[Decimal]:
    share = (total / parts).quantize(Decimal(1))
    return [share] * (parts - 1) + [total - share * (parts - 1)]


def _cycle(station: Station, rng: random.Random, fails_first: bool, final: str) -> None:
    buyer = User.objects.filter(role=Role.STREET_OFFICE, street=station.street_id).first()
    director = User.objects.filter(role=Role.STATION_DIRECTOR, station=station).first()
    district = station.street.district
    # A contract loaded by an older demo, without terms, makes way for the tender's.
    Contract.objects.filter(code=_code(station, "A"), terms__isnull=True).delete()
    tender = services.tender_announce(
        actor=buyer,
        station=station,
        code=f"ZB-{PREVIOUS_TERM[0].year}-{station.code}",
        title=f"{station.name}社会工作服务项目（{PREVIOUS_TERM[0].year}—{PREVIOUS_TERM[1].year}）",
        buyer=f"广州市{district.name}{station.street.name}{_office(station)}",
        announced_on=D(2022, 3, 1),
        bids_close_on=D(2022, 3, 31),
        starts_on=PREVIOUS_TERM[0],
        ends_on=PREVIOUS_TERM[1],
        ceiling=Decimal("7200000"),
    )
    price = Decimal(rng.randrange(5_400_000, 6_600_000, 10_000))
    winner = services.bid_record(
        actor=buyer,
        tender=tender,
        agency=station.agency,
        price=price,
        technical_score=Decimal(rng.randrange(85, 93)),
        note="样例数据",
    )
    other = Agency.objects.filter(city=district.city_id).exclude(pk=station.agency_id).first()
    services.bid_record(
        actor=buyer,
        tender=tender,
        agency=other,
        price=Decimal("7100000"),
        technical_score=Decimal(rng.randrange(70, 80)),
        note="样例数据",
    )
    personnel = (price * Decimal("0.7")).quantize(Decimal(10_000))
    activities = (price * Decimal("0.2")).quantize(Decimal(10_000))
    terms = services.tender_award(
        actor=buyer,
        tender=tender,
        bid=winner,
        reason="综合得分第一（技术分占70%，价格分占30%）",
        awarded_on=D(2022, 4, 15),
        contract_code=_code(station, "A"),
        signed_on=D(2022, 5, 20),
        budget_personnel=personnel,
        budget_activities=activities,
        budget_administration=price - personnel - activities,
    )
    by_milestone = {i.milestone: i for i in terms.instalments.all()}

    def pay(milestone: str, on: datetime.date) -> None:
        instalment = by_milestone[milestone]
        instalment.refresh_from_db()
        services.instalment_pay(
            actor=buyer, instalment=instalment, amount=instalment.planned, paid_on=on
        )

    def result(milestone: str, grade: str, note: str, on: datetime.date) -> None:
        services.instalment_result_record(
            actor=buyer, instalment=by_milestone[milestone], grade=grade, note=note, recorded_on=on
        )

    def accept(milestone: str, comment: str, on: datetime.date) -> None:
        services.instalment_accept(
            actor=buyer, instalment=by_milestone[milestone], accepted_on=on, comment=comment
        )

    pay(Milestone.SIGNING, D(2022, 7, 15))
    if fails_first:
        result(Milestone.MID_TERM, Grade.FAIL, "2023年度中期评估报告（纸本）", D(2024, 1, 10))
        result(Milestone.MID_TERM, Grade.PASS, "2024年整改后复评报告（纸本）", D(2024, 3, 20))
    else:
        result(Milestone.MID_TERM, Grade.GOOD, "2023年度中期评估报告（纸本）", D(2024, 1, 10))
    accept(Milestone.MID_TERM, "中期服务报告、台账及服务成果已验收。", D(2024, 3, 25))
    pay(Milestone.MID_TERM, D(2024, 4, 1))
    result(Milestone.FINAL, final, "2025年末期评估报告（纸本）", D(2025, 5, 20))
    accept(Milestone.FINAL, "末期服务成果及财务报告已验收。", D(2025, 5, 25))
    pay(Milestone.FINAL, D(2025, 6, 10))
    lines = {
        "personnel": terms.budget_personnel,
        "activities": terms.budget_activities,
        "administration": terms.budget_administration,
    }
    for line, budget in lines.items():
        for year, amount in zip((2023, 2024, 2025), _split(budget, 3), strict=True):
            services.spending_record(
                actor=director,
                terms=terms,
                line=line,
                spent_on=D(year, 6, 30),
                amount=amount,
                note=f"{year - 1}—{year}服务年度（样例数据）",
            )
    renewal = services.renewal_decide(
        actor=buyer,
        terms=terms,
        decision=Renewal.RENEW,
        reason="末期评估合格以上，服务连续，续签。",
        decided_on=D(2025, 6, 1),
    )
    following = Contract.objects.filter(
        station=station, starts_on=CURRENT_TERM[0], ends_on=CURRENT_TERM[1]
    ).first()
    if following is not None:
        services.renewal_link_next(actor=buyer, renewal=renewal, contract=following)


def load_demo_contracts() -> int:
    """One full contract cycle per district; returns the number of cycles added."""
    rng = random.Random(SEED + 15)
    added = 0
    for index, district in enumerate(District.objects.order_by("code")):
        station = (
            Station.objects.filter(street__district=district, code__endswith="-01")
            .select_related("street__district", "agency")
            .order_by("code")
            .first()
        )
        if station is None or Tender.objects.filter(station=station).exists():
            continue
        _cycle(
            station,
            rng,
            fails_first=district.name == FAILS_FIRST,
            final=FINAL_GRADES[index % len(FINAL_GRADES)],
        )
        added += 1
    return added
