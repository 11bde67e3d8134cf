"""Tenders and contracts (docs/contracts.md): bids ranked by the combined score,
the award signing the contract with its budget lines and instalments, the payment
rules (nothing before the milestone, held or reduced when a result fails, never
beyond the amount), the personnel share, the renewal on the final result,
overlapping contracts refused; through the services, the pages and the export.

The figures, by hand: a tender with a ceiling of 6,000,000 and a technical weight
of 70 %; agency A bids 5,400,000 with 88 points, agency B 6,000,000 with 92.
Price scores: A 5,400,000 / 5,400,000 × 100 = 100.00, B 5,400,000 / 6,000,000 ×
100 = 90.00. Combined: A 88 × 0.7 + 100 × 0.3 = 91.60, B 92 × 0.7 + 90 × 0.3 =
91.40. A wins: 5,400,000, in 30 / 40 / 30 % = 1,620,000 / 2,160,000 / 1,620,000.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from shegong.contracts import rules, selectors, services
from shegong.contracts.models import (
    ContractTerms,
    FailRule,
    Grade,
    Milestone,
    Renewal,
    Tender,
    TenderStatus,
)
from shegong.core.roles import Role
from shegong.evaluation import computed, tree
from shegong.evaluation import services as evaluation_services
from shegong.evaluation.models import (
    EvaluationRound,
    IndicatorScore,
    Method,
    RoundStatus,
    StationEvaluation,
    Veto,
)
from shegong.evaluation.selectors import round_results
from shegong.org.models import Contract
from tests.conftest import make_user
from tests.helpers import refusal, xlsx_table

D = datetime.date
TERM = (D(2028, 7, 1), D(2031, 6, 30))


def announce(world, actor, *, station=None, code="ZB-2028-01", term=TERM) -> Tender:
    return services.tender_announce(
        actor=actor,
        station=station or world.station_a,
        code=code,
        title="沙园街社工站服务项目",
        buyer="广州市海珠区沙园街道办事处",
        announced_on=D(2028, 3, 1),
        bids_close_on=D(2028, 3, 31),
        starts_on=term[0],
        ends_on=term[1],
        ceiling=Decimal("6000000.00"),
    )


def bids(world, actor, tender):
    a = services.bid_record(
        actor=actor,
        tender=tender,
        agency=world.agency_a,
        price=Decimal("5400000"),
        technical_score=Decimal(88),
    )
    b = services.bid_record(
        actor=actor,
        tender=tender,
        agency=world.agency_b,
        price=Decimal("6000000"),
        technical_score=Decimal(92),
    )
    return a, b


def award(actor, tender, bid, **overrides) -> ContractTerms:
    kwargs = {
        "reason": "综合得分第一",
        "awarded_on": D(2028, 4, 10),
        "contract_code": "GZ-2028-haizhu-10",
        "signed_on": D(2028, 5, 1),
        "budget_personnel": Decimal("3600000"),
        "budget_activities": Decimal("1300000"),
        "budget_administration": Decimal("500000"),
        **overrides,
    }
    return services.tender_award(actor=actor, tender=tender, bid=bid, **kwargs)


@pytest.fixture
def buyer(world):
    return make_user("buyer", Role.STREET_OFFICE, street=world.street_a)


@pytest.fixture
def awarded(world, buyer):
    tender = announce(world, buyer)
    a, _b = bids(world, buyer, tender)
    return award(buyer, tender, a)


def instalment(terms, milestone):
    return terms.instalments.get(milestone=milestone)


def result(buyer, terms, milestone, grade, note="2030年中期评估报告（纸本）"):
    return services.instalment_result_record(
        actor=buyer,
        instalment=instalment(terms, milestone),
        grade=grade,
        note=note,
        recorded_on=D(2030, 1, 15),
    )


PAID_ON = D(2030, 2, 1)


def accept(buyer, terms, milestone, comment="中期服务报告及台账已验收"):
    return services.instalment_accept(
        actor=buyer,
        instalment=instalment(terms, milestone),
        accepted_on=D(2030, 1, 20),
        comment=comment,
    )


def pay(actor, terms, milestone, amount, on=PAID_ON):
    return services.instalment_pay(
        actor=actor, instalment=instalment(terms, milestone), amount=Decimal(amount), paid_on=on
    )


# --- Tender and award ---------------------------------------------------------------


def test_bids_rank_by_combined_score(world, buyer):
    tender = announce(world, buyer)
    a, b = bids(world, buyer, tender)
    ranked = selectors.ranked_bids(tender)
    assert [(r.bid, r.price_score, r.combined, r.rank) for r in ranked] == [
        (a, Decimal("100.00"), Decimal("91.60"), 1),
        (b, Decimal("90.00"), Decimal("91.40"), 2),
    ]


def test_award_signs_the_contract_and_schedules_instalments(world, buyer, awarded):
    contract = awarded.contract
    assert (contract.agency, contract.station, contract.amount) == (
        world.agency_a,
        world.station_a,
        Decimal("5400000.00"),
    )
    assert (contract.starts_on, contract.ends_on) == TERM
    tender = awarded.tender
    assert (tender.status, tender.award_reason) == (TenderStatus.AWARDED, "综合得分第一")
    assert [(i.milestone, i.share, i.planned) for i in awarded.instalments.all()] == [
        (Milestone.SIGNING, Decimal(30), Decimal("1620000.00")),
        (Milestone.MID_TERM, Decimal(40), Decimal("2160000.00")),
        (Milestone.FINAL, Decimal(30), Decimal("1620000.00")),
    ]


def test_the_last_instalment_takes_the_remainder():
    # 33.33 % of 1000.01 = 333.303… → 333.30, twice; the last takes 1000.01 − 666.60.
    assert rules.split(
        Decimal("1000.01"), [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    ) == [
        Decimal("333.30"),
        Decimal("333.30"),
        Decimal("333.41"),
    ]


def test_personnel_below_65_percent_is_refused(world, buyer):
    tender = announce(world, buyer)
    a, _b = bids(world, buyer, tender)
    # 3,500,000 / 5,400,000 = 64.81 %.
    assert refusal(
        award,
        actor=buyer,
        tender=tender,
        bid=a,
        budget_personnel=Decimal("3500000"),
        budget_activities=Decimal("1400000"),
    ) == ["Personnel must be at least 65 % of the contract's amount."]
    assert Contract.objects.filter(code="GZ-2028-haizhu-10").count() == 0
    assert Tender.objects.get(pk=tender.pk).status == TenderStatus.ANNOUNCED


def test_bad_award_input_is_refused_and_nothing_saved(world, buyer):
    tender = announce(world, buyer)
    a, _b = bids(world, buyer, tender)
    assert refusal(award, actor=buyer, tender=tender, bid=a, reason=" ") == [
        "Give the reason for the award."
    ]
    assert refusal(award, actor=buyer, tender=tender, bid=a, budget_activities=Decimal(1)) == [
        "The budget lines add up to 4100001.00 yuan, not the contract's amount of 5400000.00 yuan."
    ]
    shares = [(Milestone.SIGNING, Decimal(30)), (Milestone.FINAL, Decimal(60))]
    assert refusal(award, actor=buyer, tender=tender, bid=a, schedule=shares) == [
        "The instalments' shares must be more than 0 and add up to 100 %."
    ]
    assert refusal(award, actor=buyer, tender=tender, bid=a, awarded_on=D(2028, 3, 30)) == [
        "A tender is awarded after its bids close."
    ]
    assert Contract.objects.filter(code="GZ-2028-haizhu-10").count() == 0
    assert ContractTerms.objects.count() == 0


def test_bid_above_the_ceiling_is_refused(world, buyer):
    tender = announce(world, buyer)
    assert refusal(
        services.bid_record,
        actor=buyer,
        tender=tender,
        agency=world.agency_a,
        price=Decimal("6000000.01"),
        technical_score=Decimal(80),
    ) == ["The price is above the tender's ceiling of 6000000.00 yuan."]


def test_overlapping_contracts_for_one_station_are_refused(world, buyer):
    # Station A's contract GZ-2025-A runs 2025-07-01 – 2028-06-30.
    tender = announce(world, buyer, term=(D(2028, 1, 1), D(2030, 12, 31)))
    a, _b = bids(world, buyer, tender)
    assert refusal(award, actor=buyer, tender=tender, bid=a) == [
        "The station already has contract GZ-2025-A from 2025-07-01 to 2028-06-30: "
        "contracts of one station cannot overlap."
    ]
    assert Tender.objects.get(pk=tender.pk).status == TenderStatus.ANNOUNCED
    assert Contract.objects.filter(station=world.station_a).count() == 1


# --- Payment rules ------------------------------------------------------------------


def test_signing_is_payable_the_mid_term_waits_for_its_result(world, buyer, awarded):
    pay(buyer, awarded, Milestone.SIGNING, "1620000")
    assert refusal(pay, actor=buyer, terms=awarded, milestone=Milestone.MID_TERM, amount="1") == [
        "The milestone of this instalment is not reached yet."
    ]


def test_a_failed_mid_term_holds_its_instalment_until_a_passing_result(world, buyer, awarded):
    result(buyer, awarded, Milestone.MID_TERM, Grade.FAIL)
    status = rules.instalment_status(instalment(awarded, Milestone.MID_TERM), awarded)
    assert (status.code, status.payable) == (rules.HELD, Decimal(0))
    assert refusal(pay, actor=buyer, terms=awarded, milestone=Milestone.MID_TERM, amount="1") == [
        "The instalment is held: its result failed."
    ]
    # Re-evaluated after rectification: 合格 releases the whole 2,160,000.
    result(buyer, awarded, Milestone.MID_TERM, Grade.PASS, note="2030年整改后复评")
    assert refusal(pay, actor=buyer, terms=awarded, milestone=Milestone.MID_TERM, amount="1") == [
        "The buyer has not accepted this milestone's deliverables yet (验收)."
    ]
    accept(buyer, awarded, Milestone.MID_TERM)
    assert refusal(
        pay, actor=buyer, terms=awarded, milestone=Milestone.MID_TERM, amount="2160000.01"
    ) == ["The instalment may pay 2160000.00 yuan more, not 2160000.01."]
    paid = pay(buyer, awarded, Milestone.MID_TERM, "2160000")
    assert paid.paid == Decimal("2160000.00")


def test_a_failed_result_reduces_the_instalment_under_the_reduce_rule(world, buyer):
    tender = announce(world, buyer)
    a, _b = bids(world, buyer, tender)
    terms = award(buyer, tender, a, fail_rule=FailRule.REDUCE, reduce_percent=Decimal(20))
    result(buyer, terms, Milestone.MID_TERM, Grade.FAIL)
    # 2,160,000 × (100 − 20) % = 1,728,000.
    status = rules.instalment_status(instalment(terms, Milestone.MID_TERM), terms)
    assert (status.code, status.payable) == (rules.REDUCED, Decimal("1728000.00"))
    accept(buyer, terms, Milestone.MID_TERM)
    assert refusal(
        pay, actor=buyer, terms=terms, milestone=Milestone.MID_TERM, amount="1728000.01"
    ) == ["The instalment may pay 1728000.00 yuan more, not 1728000.01."]
    pay(buyer, terms, Milestone.MID_TERM, "1728000")
    status = rules.instalment_status(instalment(terms, Milestone.MID_TERM), terms)
    assert status.code == rules.PAID


def test_a_payment_beyond_the_contract_amount_is_refused(world, buyer, awarded):
    pay(buyer, awarded, Milestone.SIGNING, "1620000")
    result(buyer, awarded, Milestone.MID_TERM, Grade.GOOD)
    accept(buyer, awarded, Milestone.MID_TERM)
    pay(buyer, awarded, Milestone.MID_TERM, "2160000")
    result(buyer, awarded, Milestone.FINAL, Grade.EXCELLENT, note="2031年末期评估报告")
    accept(buyer, awarded, Milestone.FINAL, comment="末期服务成果已验收")
    assert refusal(
        pay, actor=buyer, terms=awarded, milestone=Milestone.FINAL, amount="1620000.01"
    ) == ["This would pay 5400000.01 yuan, beyond the contract's 5400000.00."]
    pay(buyer, awarded, Milestone.FINAL, "1620000")
    assert selectors.ledger(awarded).paid == Decimal("5400000.00")
    assert selectors.ledger(awarded).unpaid == Decimal("0.00")


def test_a_payment_of_nothing_or_before_signing_is_refused(world, buyer, awarded):
    assert refusal(pay, actor=buyer, terms=awarded, milestone=Milestone.SIGNING, amount="0") == [
        "The amount must be more than 0."
    ]
    assert refusal(
        pay,
        actor=buyer,
        terms=awarded,
        milestone=Milestone.SIGNING,
        amount="1",
        on=D(2028, 4, 30),
    ) == ["Nothing is paid before the contract is signed."]


def test_a_result_from_a_finalised_sheet_reads_its_grade(world, buyer, awarded):
    # The world's final round, finalised without scores: total 0, 不合格.
    round = EvaluationRound.objects.get(name="2026 final evaluation")
    EvaluationRound.objects.filter(pk=round.pk).update(status=RoundStatus.FINALISED)
    sheet = StationEvaluation.objects.get(round=round, station=world.station_a)
    done = services.instalment_result_record(
        actor=buyer,
        instalment=instalment(awarded, Milestone.FINAL),
        evaluation=sheet,
        recorded_on=D(2031, 7, 1),
    )
    assert (done.grade, done.evaluation) == (Grade.FAIL, sheet)
    assert refusal(
        services.instalment_result_record,
        actor=buyer,
        instalment=instalment(awarded, Milestone.MID_TERM),
        evaluation=sheet,
        recorded_on=D(2031, 7, 1),
    ) == ["The sheet is of a Final evaluation, not this milestone's."]


# --- Spending and the personnel share -----------------------------------------------


def test_spending_per_line_and_the_personnel_share(world, awarded):
    director = world["director"]
    for line, amount in (("personnel", "3000000"), ("activities", "500000")):
        services.spending_record(
            actor=director, terms=awarded, line=line, spent_on=D(2029, 6, 30), amount=amount
        )
    book = selectors.ledger(awarded)
    assert [(r.line, r.budget, r.spent) for r in book.lines] == [
        ("personnel", Decimal("3600000.00"), Decimal("3000000.00")),
        ("activities", Decimal("1300000.00"), Decimal("500000.00")),
        ("administration", Decimal("500000.00"), Decimal(0)),
    ]
    # Budget 3,600,000 / 5,400,000 = 66.67 %; spent 3,000,000 / 5,400,000 = 55.56 %.
    assert (book.budget_personnel_share, book.spent_personnel_share) == (
        Decimal("66.67"),
        Decimal("55.56"),
    )
    assert (book.personnel_budget_ok, book.personnel_spent_ok) == (True, False)
    services.spending_record(
        actor=director, terms=awarded, line="personnel", spent_on=D(2030, 6, 30), amount="600000"
    )
    assert selectors.ledger(awarded).spent_personnel_share == Decimal("66.67")


def test_spending_outside_the_term_is_refused(world, awarded):
    assert refusal(
        services.spending_record,
        actor=world["director"],
        terms=awarded,
        line="personnel",
        spent_on=D(2031, 7, 1),
        amount="1",
    ) == ["The date is outside the contract's term."]


# --- Renewal ------------------------------------------------------------------------


def test_renewal_waits_for_the_final_result_and_a_fail_cannot_renew(world, buyer, awarded):
    decide = services.renewal_decide
    kwargs = {"actor": buyer, "terms": awarded, "reason": "末期评估", "decided_on": D(2031, 5, 1)}
    assert refusal(decide, decision=Renewal.RENEW, **kwargs) == [
        "The renewal is decided on the final result: record it first."
    ]
    result(buyer, awarded, Milestone.FINAL, Grade.FAIL, note="2031年末期评估报告")
    assert refusal(decide, decision=Renewal.RENEW, **kwargs) == [
        "The final result failed: the contract cannot be renewed."
    ]
    decided = decide(decision=Renewal.RETENDER, **kwargs)
    assert (decided.decision, decided.final_grade) == (Renewal.RETENDER, Grade.FAIL)


# --- Acceptance 验收 ------------------------------------------------------------------


def test_only_the_contracts_buyer_accepts_deliverables(world, buyer, awarded):
    other_buyer = make_user("buyer_c", Role.STREET_OFFICE, street=world.street_c)
    # Another street's office does not see the contract: 404.
    with pytest.raises(Http404):
        accept(other_buyer, awarded, Milestone.MID_TERM)
    # The district officer sees it and pays, but does not accept: 403.
    with pytest.raises(PermissionDenied):
        accept(world["district"], awarded, Milestone.MID_TERM)
    with pytest.raises(PermissionDenied):
        accept(world["director"], awarded, Milestone.MID_TERM)
    with pytest.raises(Http404):
        accept(world["worker"], awarded, Milestone.MID_TERM)
    assert instalment(awarded, Milestone.MID_TERM).accepted_on is None
    done = accept(buyer, awarded, Milestone.MID_TERM)
    assert (done.accepted_on, done.accepted_by, done.acceptance_comment) == (
        D(2030, 1, 20),
        buyer,
        "中期服务报告及台账已验收",
    )


def test_bad_acceptances_are_refused(world, buyer, awarded):
    assert refusal(accept, buyer=buyer, terms=awarded, milestone=Milestone.SIGNING) == [
        "The signing instalment has no deliverables to accept."
    ]
    assert refusal(
        accept, buyer=buyer, terms=awarded, milestone=Milestone.MID_TERM, comment="  "
    ) == ["Write the comment of the acceptance."]
    assert instalment(awarded, Milestone.MID_TERM).accepted_on is None
    accept(buyer, awarded, Milestone.MID_TERM)
    assert refusal(accept, buyer=buyer, terms=awarded, milestone=Milestone.MID_TERM) == [
        "The deliverables of this milestone are already accepted."
    ]


def test_a_passing_result_is_not_paid_before_acceptance_through_the_page(
    client, world, buyer, awarded
):
    result(buyer, awarded, Milestone.MID_TERM, Grade.GOOD)
    mid = instalment(awarded, Milestone.MID_TERM)
    client.force_login(buyer)
    pay_url = reverse("contracts:instalment-pay", args=[awarded.contract_id])
    pay_data = {"pay-instalment": mid.pk, "pay-amount": "2160000", "pay-paid_on": "2030-02-01"}
    response = client.post(pay_url, pay_data)
    assert response.status_code == 400
    assert "采购方尚未验收该节点的交付成果（验收）。" in response.content.decode()
    accept_url = reverse("contracts:acceptance-record", args=[awarded.contract_id])
    response = client.post(
        accept_url,
        {"accept-instalment": mid.pk, "accept-accepted_on": "2030-01-20", "accept-comment": ""},
    )
    assert response.status_code == 400
    assert instalment(awarded, Milestone.MID_TERM).accepted_on is None
    response = client.post(
        accept_url,
        {
            "accept-instalment": mid.pk,
            "accept-accepted_on": "2030-01-20",
            "accept-comment": "中期报告已验收",
        },
    )
    assert response.status_code == 302
    assert client.post(pay_url, pay_data).status_code == 302
    page = client.get(reverse("contracts:contract-detail", args=[awarded.contract_id]))
    assert 'data-testid="paid-total">2,160,000.00<' in page.content.decode()
    assert 'data-testid="accepted-2">已验收 ' in page.content.decode()
    client.force_login(world["district"])
    response = client.post(
        accept_url,
        {"accept-instalment": mid.pk, "accept-accepted_on": "2030-01-20", "accept-comment": "x"},
    )
    assert response.status_code == 403


# --- Scope ---------------------------------------------------------------------------


def test_who_may_tender_award_pay_and_spend(world, buyer, awarded):
    other_buyer = make_user("buyer_c", Role.STREET_OFFICE, street=world.street_c)
    with pytest.raises(PermissionDenied):
        announce(world, other_buyer, code="ZB-X")
    with pytest.raises(PermissionDenied):
        announce(world, world["agency"], code="ZB-Y")
    with pytest.raises(Http404):
        pay(other_buyer, awarded, Milestone.SIGNING, "1")
    with pytest.raises(PermissionDenied):
        pay(world["agency"], awarded, Milestone.SIGNING, "1")
    with pytest.raises(PermissionDenied):
        services.spending_record(
            actor=buyer, terms=awarded, line="personnel", spent_on=D(2029, 1, 1), amount="1"
        )
    with pytest.raises(Http404):
        services.spending_record(
            actor=world["worker"],
            terms=awarded,
            line="personnel",
            spent_on=D(2029, 1, 1),
            amount="1",
        )
    assert list(selectors.terms_visible_to(world["other_district"])) == []
    assert list(selectors.terms_visible_to(world["district"])) == [awarded]


# --- Pages and export ---------------------------------------------------------------


def test_the_buyer_pays_through_the_page(client, world, buyer, awarded):
    client.force_login(buyer)
    url = reverse("contracts:instalment-pay", args=[awarded.contract_id])
    mid = instalment(awarded, Milestone.MID_TERM)
    response = client.post(
        url, {"pay-instalment": mid.pk, "pay-amount": "100", "pay-paid_on": "2030-02-01"}
    )
    assert response.status_code == 400
    assert "该分期的节点尚未达到。" in response.content.decode()
    signing = instalment(awarded, Milestone.SIGNING)
    response = client.post(
        url, {"pay-instalment": signing.pk, "pay-amount": "1620000", "pay-paid_on": "2030-02-01"}
    )
    assert response.status_code == 302
    page = client.get(reverse("contracts:contract-detail", args=[awarded.contract_id]))
    assert 'data-testid="paid-total">1,620,000.00<' in page.content.decode()


def test_the_award_through_the_page(client, world, buyer):
    tender = announce(world, buyer)
    a, _b = bids(world, buyer, tender)
    client.force_login(buyer)
    data = {
        "award-bid": a.pk,
        "award-reason": "综合得分第一",
        "award-awarded_on": "2028-04-10",
        "award-contract_code": "GZ-2028-haizhu-10",
        "award-signed_on": "2028-05-01",
        "award-budget_personnel": "3600000",
        "award-budget_activities": "1300000",
        "award-budget_administration": "500000",
        "award-signing_share": "30",
        "award-mid_term_share": "40",
        "award-final_share": "30",
        "award-fail_rule": "hold",
        "award-reduce_percent": "0",
    }
    response = client.post(reverse("contracts:tender-award", args=[tender.pk]), data)
    assert response.status_code == 302
    contract = Contract.objects.get(code="GZ-2028-haizhu-10")
    assert response.url == reverse("contracts:contract-detail", args=[contract.pk])


def test_the_export_lists_the_contracts_in_scope(client, world, buyer, awarded):
    services.spending_record(
        actor=world["director"],
        terms=awarded,
        line="personnel",
        spent_on=D(2029, 6, 30),
        amount="3600000",
    )
    client.force_login(world["district"])
    table = xlsx_table(client.get(reverse("contracts:export", args=["xlsx"])))
    assert table[1][0] == "GZ-2028-haizhu-10"
    assert [Decimal(str(v)) for v in table[1][6:15]] == [
        Decimal("5400000"),
        Decimal("3600000"),
        Decimal("1300000"),
        Decimal("500000"),
        Decimal(0),
        Decimal("3600000"),
        Decimal(0),
        Decimal(0),
        Decimal("66.67"),
    ]
    client.force_login(world["other_district"])
    assert len(xlsx_table(client.get(reverse("contracts:export", args=["xlsx"])))) == 1


# --- The finance review reads the spending -----------------------------------------


SPENT_ON = D(2029, 6, 30)


def spend(world, terms, line, amount, on=SPENT_ON):
    return services.spending_record(
        actor=world["director"], terms=terms, line=line, spent_on=on, amount=Decimal(amount)
    )


def test_the_personnel_share_of_spending_is_a_computed_indicator(world, awarded):
    """Spent in 2029: personnel 620,000, activities 280,000, administration 100,000:
    620,000 / 1,000,000 = 62.00 %, ratio 62 / 65 = 0.9538, a 10-point indicator
    earns 9.54. Another 200,000 on personnel: 820,000 / 1,200,000 = 68.33 %, ratio
    1.0512, capped at the full 10.00. Spending after the period does not count."""
    period = computed.Period(2029, 1, 12)
    assert "personnel_share" in computed.REGISTRY
    assert computed.compute("personnel_share", world.station_a, period).ratio is None
    spend(world, awarded, "personnel", "620000")
    spend(world, awarded, "activities", "280000")
    spend(world, awarded, "administration", "100000")
    spend(world, awarded, "activities", "500000", on=D(2030, 1, 5))
    figure = computed.compute("personnel_share", world.station_a, period)
    assert figure.ratio == Decimal("0.9538")
    assert computed.score_from_ratio(figure.ratio, Decimal(10)) == Decimal("9.54")
    spend(world, awarded, "personnel", "200000", on=D(2029, 12, 31))
    figure = computed.compute("personnel_share", world.station_a, period)
    assert figure.ratio == Decimal("1.0512")
    assert computed.score_from_ratio(figure.ratio, Decimal(10)) == Decimal("10.00")
    # Another station has no contract: no data.
    assert computed.compute("personnel_share", world.station_b, period).ratio is None


def test_a_personnel_share_below_65_percent_vetoes_the_evaluation(world, awarded):
    """A points round of 1000: 党建 120 (scored 100) and 服务 880 (scored 700), and
    the finance review as a computed veto on the personnel share. At 62.00 % the
    veto scores 9.54 of 10: failed, the grade is 不合格 whatever the 800 points."""
    spend(world, awarded, "personnel", "620000")
    spend(world, awarded, "activities", "380000")
    city = world["city"]
    round = evaluation_services.round_create(
        actor=city, name="2029年末期评估", kind="final", year=2029, system="points"
    )
    professional = tree.tree_group_add(
        actor=city, round=round, name="专业评估", scorer="professional"
    )
    supervisor = tree.tree_group_add(
        actor=city, round=round, name="督导", scorer="supervisor", position=1
    )
    party = tree.tree_indicator_add(
        actor=city, group=professional, name="党建", points=Decimal(120), party_building=True
    )
    service = tree.tree_indicator_add(
        actor=city, group=professional, name="服务", points=Decimal(880), position=1
    )
    veto = tree.tree_indicator_add(
        actor=city,
        group=supervisor,
        name="财务审查：人员经费占比",
        points=Decimal(10),
        method=Method.COMPUTED,
        computation="personnel_share",
        veto=Veto.FAIL,
    )
    evaluation_services.round_assign(
        actor=city, round=round, station=world.station_a, evaluator=world["evaluator"]
    )
    evaluation_services.round_open(actor=city, round=round)
    sheet = StationEvaluation.objects.get(round=round, station=world.station_a)
    assert IndicatorScore.objects.get(evaluation=sheet, indicator=veto).score == Decimal("9.54")
    for indicator, score in ((party, 100), (service, 700)):
        evaluation_services.score_set(
            actor=world["evaluator"], evaluation=sheet, indicator=indicator, score=Decimal(score)
        )
    evaluation_services.evaluation_submit(actor=world["evaluator"], evaluation=sheet)
    (outcome,) = [
        r
        for r in round_results(city, EvaluationRound.objects.get(pk=round.pk))
        if r.evaluation.pk == sheet.pk
    ]
    assert (outcome.total, outcome.vetoed, outcome.vetoed_fail, outcome.grade) == (
        Decimal("800.00"),
        ["财务审查：人员经费占比"],
        True,
        "fail",
    )


# --- One contract's export and the API -----------------------------------------------


def test_a_contracts_export_lists_its_instalments_and_spending(client, world, buyer, awarded):
    pay(buyer, awarded, Milestone.SIGNING, "1620000", on=D(2028, 5, 10))
    result(buyer, awarded, Milestone.MID_TERM, Grade.FAIL)
    spend(world, awarded, "personnel", "620000")
    spend(world, awarded, "activities", "80000", on=D(2029, 3, 1))
    client.force_login(world["district"])
    url = reverse("contracts:contract-export", args=[awarded.contract_id, "xlsx"])
    table = xlsx_table(client.get(url))
    assert [row[0] for row in table[1:]] == ["第1期", "第2期", "第3期", "支出", "支出"]
    signing, mid, final, first, second = table[1:]
    assert (Decimal(str(signing[3])), Decimal(str(signing[7]))) == (
        Decimal(1620000),
        Decimal(1620000),
    )
    assert (Decimal(str(mid[3])), mid[4], mid[5], Decimal(str(mid[7]))) == (
        Decimal(2160000),
        "不合格",
        "已暂停：结果不合格",
        Decimal(0),
    )
    assert Decimal(str(final[3])) == Decimal(1620000)
    # Spending oldest first: activities on 2029-03-01, then personnel on 2029-06-30.
    assert [(row[2], Decimal(str(row[7]))) for row in (first, second)] == [
        ("活动经费", Decimal(80000)),
        ("人员经费", Decimal(620000)),
    ]
    client.force_login(world["other_district"])
    assert client.get(url).status_code == 404
    client.force_login(world["worker"])
    assert client.get(url).status_code == 404


def test_the_api_lists_tenders_and_contract_terms_in_scope(client, world, buyer, awarded):
    result(buyer, awarded, Milestone.MID_TERM, Grade.PASS)
    accept(buyer, awarded, Milestone.MID_TERM)
    spend(world, awarded, "personnel", "620000")
    client.force_login(buyer)
    tenders = client.get("/api/tenders/").json()
    assert tenders["count"] == 1
    (tender,) = tenders["results"]
    assert [(b["bid"]["price"], b["combined"], b["rank"]) for b in tender["ranked_bids"]] == [
        ("5400000.00", "91.60", 1),
        ("6000000.00", "91.40", 2),
    ]
    terms = client.get(f"/api/contract-terms/{awarded.pk}/").json()
    assert (terms["code"], terms["amount"], terms["paid"]) == (
        "GZ-2028-haizhu-10",
        "5400000.00",
        "0.00",
    )
    assert [
        (i["milestone"], i["planned"], i["status"], i["accepted_on"]) for i in terms["instalments"]
    ] == [
        ("signing", "1620000.00", "payable", None),
        ("mid_term", "2160000.00", "payable", "2030-01-20"),
        ("final", "1620000.00", "waiting", None),
    ]
    assert [(line["line"], line["spent"]) for line in terms["lines"]] == [
        ("personnel", "620000.00"),
        ("activities", "0.00"),
        ("administration", "0.00"),
    ]
    # Writes: tests/test_contracts_api.py; an empty announcement is bad input.
    assert client.post("/api/tenders/", {}).status_code == 400
    other = make_user("buyer_c", Role.STREET_OFFICE, street=world.street_c)
    client.force_login(other)
    assert client.get("/api/tenders/").json()["count"] == 0
    assert client.get(f"/api/contract-terms/{awarded.pk}/").status_code == 404
    client.force_login(world["worker"])
    assert client.get(f"/api/contract-terms/{awarded.pk}/").status_code == 404
