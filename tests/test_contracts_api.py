"""The contracts cycle through the API's writes (docs/contracts.md "Pages, export,
API"): the worked example end to end, the bad inputs of issue 15 refused with the
services' translated messages and nothing saved, and the pages' permissions
(outsiders 404, read-only insiders 403).

The figures, by hand (as in tests/test_contracts.py): ceiling 6,000,000, weight
70 %; A bids 5,400,000 with 88 points (price score 100.00, combined 88 × 0.7 +
100 × 0.3 = 91.60), B 6,000,000 with 92 (90.00, 92 × 0.7 + 90 × 0.3 = 91.40): A
wins at 5,400,000, paid in 30 / 40 / 30 % = 1,620,000 / 2,160,000 / 1,620,000.
Under "reduce 20 %" a failed mid-term pays 2,160,000 × 80 % = 1,728,000.
"""

from __future__ import annotations

import datetime

import pytest

from shegong.contracts.models import ContractTerms, Instalment, Spending, Tender, TenderStatus
from shegong.core.roles import Role
from shegong.org.models import Contract
from tests.conftest import make_user
from tests.test_contracts import TERM


@pytest.fixture
def buyer(world):
    return make_user("buyer", Role.STREET_OFFICE, street=world.street_a)


def tender_body(world, *, code="ZB-2028-01", term=TERM) -> dict:
    return {
        "station": world.station_a.pk,
        "code": code,
        "title": "沙园街社工站服务项目",
        "buyer": "广州市海珠区沙园街道办事处",
        "announced_on": "2028-03-01",
        "bids_close_on": "2028-03-31",
        "starts_on": str(term[0]),
        "ends_on": str(term[1]),
        "ceiling": "6000000.00",
    }


def award_body(bid: int, **overrides) -> dict:
    return {
        "bid": bid,
        "reason": "综合得分第一",
        "awarded_on": "2028-04-10",
        "contract_code": "GZ-2028-haizhu-10",
        "signed_on": "2028-05-01",
        "budget_personnel": "3600000.00",
        "budget_activities": "1300000.00",
        "budget_administration": "500000.00",
        **overrides,
    }


def post(client, url: str, body: dict):
    return client.post(url, body, format="json")


def tender_with_bids(client, world, **tender) -> dict:
    """Announce the tender and record A's and B's bids; the tender as answered."""
    response = post(client, "/api/tenders/", tender_body(world, **tender))
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    for agency, price, score in (
        (world.agency_a, "5400000", "88"),
        (world.agency_b, "6000000", "92"),
    ):
        body = {"agency": agency.pk, "price": price, "technical_score": score}
        response = post(client, f"/api/tenders/{pk}/bids/", body)
        assert response.status_code == 201, response.json()
    return response.json()


def bid_of(tender: dict, agency) -> int:
    return next(r["bid"]["id"] for r in tender["ranked_bids"] if r["bid"]["agency"] == agency.pk)


def awarded(client, world, **overrides) -> dict:
    """The tender awarded to A; the contract's terms as answered."""
    tender = tender_with_bids(client, world)
    response = post(
        client,
        f"/api/tenders/{tender['id']}/award/",
        award_body(bid_of(tender, world.agency_a), **overrides),
    )
    assert response.status_code == 201, response.json()
    return response.json()


def step(client, terms: dict, path: str, body: dict):
    return post(client, f"/api/contract-terms/{terms['id']}/{path}/", body)


def result(client, terms, sequence, grade, note="2030年中期评估报告（纸本）"):
    body = {"grade": grade, "note": note, "recorded_on": "2030-01-15"}
    return step(client, terms, f"instalments/{sequence}/result", body)


def accept(client, terms, sequence, comment="服务报告及台账已验收"):
    body = {"accepted_on": "2030-01-20", "comment": comment}
    return step(client, terms, f"instalments/{sequence}/accept", body)


def pay(client, terms, sequence, amount, paid_on="2030-02-01"):
    body = {"amount": amount, "paid_on": paid_on}
    return step(client, terms, f"instalments/{sequence}/pay", body)


def ok(response, code=200) -> dict:
    assert response.status_code == code, response.json()
    return response.json()


def instalments(terms: dict) -> list[tuple]:
    return [
        (i["sequence"], i["planned"], i["grade"], i["status"], i["paid"])
        for i in terms["instalments"]
    ]


# --- The worked example, end to end ------------------------------------------------


def test_the_worked_example_through_the_api(world, api, buyer):
    client = api(buyer)
    tender = tender_with_bids(client, world)
    assert (tender["technical_weight"], tender["status"]) == ("70.00", "announced")
    assert [
        (r["bid"]["agency"], r["bid"]["price"], r["price_score"], r["combined"], r["rank"])
        for r in tender["ranked_bids"]
    ] == [
        (world.agency_a.pk, "5400000.00", "100.00", "91.60", 1),
        (world.agency_b.pk, "6000000.00", "90.00", "91.40", 2),
    ]

    body = award_body(bid_of(tender, world.agency_a), fail_rule="reduce", reduce_percent="20")
    terms = ok(post(client, f"/api/tenders/{tender['id']}/award/", body), 201)
    assert (terms["code"], terms["amount"], terms["agency"], terms["fail_rule"]) == (
        "GZ-2028-haizhu-10",
        "5400000.00",
        world.agency_a.pk,
        "reduce",
    )
    assert (terms["starts_on"], terms["ends_on"]) == ("2028-07-01", "2031-06-30")
    assert instalments(terms) == [
        (1, "1620000.00", "", "payable", "0.00"),
        (2, "2160000.00", "", "waiting", "0.00"),
        (3, "1620000.00", "", "waiting", "0.00"),
    ]
    tender = ok(api(buyer).get(f"/api/tenders/{tender['id']}/"))
    assert (tender["status"], tender["award_reason"]) == ("awarded", "综合得分第一")

    ok(pay(client, terms, 1, "1620000", paid_on="2028-05-10"))
    # The mid-term fails: under "reduce 20 %" it pays 1,728,000, once accepted.
    terms = ok(result(client, terms, 2, "fail"))
    assert instalments(terms)[1] == (2, "2160000.00", "fail", "reduced", "0.00")
    assert terms["instalments"][1]["payable"] == "1728000.00"
    terms = ok(accept(client, terms, 2, comment="中期服务报告及台账已验收"))
    assert (
        terms["instalments"][1]["accepted_on"],
        terms["instalments"][1]["acceptance_comment"],
    ) == (
        "2030-01-20",
        "中期服务报告及台账已验收",
    )
    assert pay(client, terms, 2, "2160000").json() == {
        "amount": ["该期最多还可支付 1728000.00 元，不能支付 2160000.00 元。"]
    }
    terms = ok(pay(client, terms, 2, "1728000"))
    assert instalments(terms)[1] == (2, "2160000.00", "fail", "paid", "1728000.00")

    ok(result(client, terms, 3, "good", note="2031年末期评估报告"))
    ok(accept(client, terms, 3, comment="末期服务成果已验收"))
    terms = ok(pay(client, terms, 3, "1620000", paid_on="2031-07-10"))
    # 1,620,000 + 1,728,000 + 1,620,000.
    assert terms["paid"] == "4968000.00"

    # The agency reports spending per budget line.
    agency = api(world["agency"])
    for line, amount in (
        ("personnel", "3500000"),
        ("activities", "1000000"),
        ("administration", "300000"),
    ):
        body = {"line": line, "spent_on": "2031-05-31", "amount": amount, "note": "2028-2031 合计"}
        terms = ok(step(agency, terms, "spending", body), 201)
    assert [(row["line"], row["budget"], row["spent"]) for row in terms["lines"]] == [
        ("personnel", "3600000.00", "3500000.00"),
        ("activities", "1300000.00", "1000000.00"),
        ("administration", "500000.00", "300000.00"),
    ]
    # 3,500,000 / 5,400,000 = 64.81 %.
    assert terms["spent_personnel_share"] == "64.81"

    # The renewal, and the contract that follows it (tendered and awarded in turn).
    body = {"decision": "renew", "reason": "末期评估良好", "decided_on": "2031-06-15"}
    terms = ok(step(client, terms, "renewal", body), 201)
    assert (terms["renewal"]["decision"], terms["renewal"]["final_grade"]) == ("renew", "good")
    second = post(
        client,
        "/api/tenders/",
        {
            **tender_body(world, code="ZB-2031-01"),
            "starts_on": "2031-07-01",
            "ends_on": "2034-06-30",
        },
    )
    bid = ok(
        post(
            client,
            f"/api/tenders/{ok(second, 201)['id']}/bids/",
            {"agency": world.agency_a.pk, "price": "5800000", "technical_score": "90"},
        ),
        201,
    )["ranked_bids"][0]["bid"]["id"]
    following = ok(
        post(
            client,
            f"/api/tenders/{second.json()['id']}/award/",
            award_body(
                bid,
                contract_code="GZ-2031-haizhu-10",
                awarded_on="2031-04-10",
                signed_on="2031-05-01",
                budget_personnel="4000000",
                budget_activities="1300000",
                budget_administration="500000",
            ),
        ),
        201,
    )
    terms = ok(step(client, terms, "renewal/next-contract", {"contract": following["contract"]}))
    assert terms["renewal"]["next_contract"] == following["contract"]
    assert Contract.objects.get(pk=following["contract"]).amount == 5800000


def test_terms_of_a_contract_signed_before_the_platform(world, api):
    body = {
        "contract": world.contract_a.pk,
        "signed_on": "2025-06-20",
        "budget_personnel": "4200000",
        "budget_activities": "1200000",
        "budget_administration": "600000",
    }
    assert api(world["agency"]).post("/api/contract-terms/", body, format="json").status_code == 403
    terms = ok(api(world["district"]).post("/api/contract-terms/", body, format="json"), 201)
    # 6,000,000 in 30 / 40 / 30 %.
    assert [(i["milestone"], i["planned"]) for i in terms["instalments"]] == [
        ("signing", "1800000.00"),
        ("mid_term", "2400000.00"),
        ("final", "1800000.00"),
    ]
    again = api(world["district"]).post("/api/contract-terms/", body, format="json")
    assert (again.status_code, again.json()) == (400, {"detail": ["该合同的条款已登记。"]})


# --- Bad input: 400 with the service's message, nothing saved -----------------------


def test_a_payment_before_its_milestone_or_beyond_the_contract_is_refused(world, api, buyer):
    client = api(buyer)
    terms = awarded(client, world)
    assert (pay(client, terms, 2, "1").status_code, pay(client, terms, 2, "1").json()) == (
        400,
        {"detail": ["该分期的节点尚未达到。"]},
    )
    ok(pay(client, terms, 1, "1620000", paid_on="2028-05-10"))
    for sequence, grade in ((2, "good"), (3, "excellent")):
        ok(result(client, terms, sequence, grade))
        ok(accept(client, terms, sequence))
    ok(pay(client, terms, 2, "2160000"))
    refused = pay(client, terms, 3, "1620000.01")
    assert (refused.status_code, refused.json()) == (
        400,
        {"amount": ["付款合计将达 5400000.01 元，超过合同金额 5400000.00 元。"]},
    )
    assert list(Instalment.objects.filter(terms_id=terms["id"]).values_list("paid", flat=True)) == [
        1620000,
        2160000,
        0,
    ]
    terms = ok(pay(client, terms, 3, "1620000"))
    assert terms["paid"] == "5400000.00"


def test_overlapping_contracts_for_one_station_are_refused(world, api, buyer):
    # Station A's contract GZ-2025-A runs 2025-07-01 – 2028-06-30.
    client = api(buyer)
    tender = tender_with_bids(client, world, term=(datetime.date(2028, 1, 1), TERM[1]))
    refused = post(
        client, f"/api/tenders/{tender['id']}/award/", award_body(bid_of(tender, world.agency_a))
    )
    assert (refused.status_code, refused.json()) == (
        400,
        {
            "detail": [
                "该社工站已有合同 GZ-2025-A（2025-07-01 至 2028-06-30）："
                "同一社工站的合同期限不能重叠。"
            ]
        },
    )
    assert Tender.objects.get(pk=tender["id"]).status == TenderStatus.ANNOUNCED
    assert Contract.objects.filter(station=world.station_a).count() == 1


def test_personnel_below_65_percent_is_refused_and_nothing_saved(world, api, buyer):
    client = api(buyer)
    tender = tender_with_bids(client, world)
    # 3,500,000 / 5,400,000 = 64.81 %.
    body = award_body(
        bid_of(tender, world.agency_a), budget_personnel="3500000", budget_activities="1400000"
    )
    refused = post(client, f"/api/tenders/{tender['id']}/award/", body)
    assert (refused.status_code, refused.json()) == (
        400,
        {"budget_personnel": ["人员经费不得低于合同金额的 65%。"]},
    )
    assert Contract.objects.filter(code="GZ-2028-haizhu-10").count() == 0
    assert ContractTerms.objects.count() == 0
    assert Tender.objects.get(pk=tender["id"]).status == TenderStatus.ANNOUNCED


def test_wrong_types_are_400_with_the_field_named(world, api, buyer):
    client = api(buyer)
    terms = awarded(client, world)
    refused = pay(client, terms, 1, "1,620,000", paid_on="2028-13-01")
    assert refused.status_code == 400
    assert set(refused.json()) == {"amount", "paid_on"}
    assert pay(client, terms, 1, "0").json() == {"amount": ["请确保该值大于或者等于 0.01。"]}
    assert pay(client, terms, 9, "1").status_code == 404
    assert pay(client, terms, 10**30, "1").status_code == 404
    bad_bid = post(
        client, f"/api/tenders/{terms['tender']}/bids/", {"agency": 999999, "price": "1"}
    )
    assert bad_bid.status_code == 400
    assert set(bad_bid.json()) == {"agency", "technical_score"}
    spending = step(
        api(world["agency"]),
        terms,
        "spending",
        {"line": "travel", "spent_on": "2029-01-01", "amount": "1"},
    )
    assert set(spending.json()) == {"line"}
    assert Instalment.objects.filter(terms_id=terms["id"], paid__gt=0).count() == 0
    assert Spending.objects.count() == 0


# --- Who may: the pages' permissions --------------------------------------------------


def test_only_the_street_office_of_the_station_accepts(world, api, buyer):
    terms = awarded(api(buyer), world)
    ok(result(api(buyer), terms, 2, "pass"))
    district = accept(api(world["district"]), terms, 2)
    assert (district.status_code, district.json()) == (
        403,
        {"detail": "您可以查看此记录，但无权修改。"},
    )
    other_street = make_user("buyer_c", Role.STREET_OFFICE, street=world.street_c)
    assert accept(api(other_street), terms, 2).status_code == 404
    assert accept(api(world["worker"]), terms, 2).status_code == 404
    assert Instalment.objects.get(terms_id=terms["id"], sequence=2).accepted_on is None
    ok(accept(api(buyer), terms, 2))


def test_read_only_insiders_403_outsiders_and_social_workers_404(world, api, buyer):
    terms = awarded(api(buyer), world)
    # The agency spends but neither pays nor records results; the district pays.
    assert pay(api(world["agency"]), terms, 1, "1").status_code == 403
    assert result(api(world["director"]), terms, 2, "pass").status_code == 403
    assert step(api(world["district"]), terms, "spending", {}).status_code == 403
    for outsider in (world["other_district"], world["other_agency"], world["worker"]):
        assert pay(api(outsider), terms, 1, "1").status_code == 404
        assert post(api(outsider), f"/api/tenders/{terms['tender']}/bids/", {}).status_code == 404
    assert post(api(world["worker"]), "/api/tenders/", tender_body(world)).status_code == 403
    assert (
        post(api(world["agency"]), f"/api/tenders/{terms['tender']}/award/", {}).status_code == 403
    )
    assert ok(pay(api(world["district"]), terms, 1, "1620000", paid_on="2028-05-10"))["paid"] == (
        "1620000.00"
    )


def test_the_next_contract_is_linked_after_a_renewal_only(world, api, buyer):
    client = api(buyer)
    terms = awarded(client, world)
    refused = step(client, terms, "renewal/next-contract", {"contract": world.contract_a.pk})
    assert (refused.status_code, refused.json()) == (400, {"detail": ["请先作出续签决定。"]})
    # Another district's contract is not one the buyer sees: it does not exist.
    hidden = step(client, terms, "renewal/next-contract", {"contract": world.contract_c.pk})
    assert (hidden.status_code, list(hidden.json())) == (400, ["contract"])
    early = step(
        client, terms, "renewal", {"decision": "renew", "reason": "x", "decided_on": "2031-06-15"}
    )
    assert (early.status_code, early.json()) == (
        400,
        {"detail": ["续签须依据末期评估结果决定：请先登记该结果。"]},
    )
