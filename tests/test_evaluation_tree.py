"""The city's points tree (evaluation.tree): a small hand-made tree of 1000 points
scored by its three groups, each only its own branch; totals per group and
overall, the finance veto, grades and ranks worked out by hand; the built-in
1000-point template; the buyer (street office) scoring its street's station.

The small tree (all leaves scored):

    专业评估 (professional)  党建 (party): 党组织 60, 党建活动 60;  服务 580
    购买方   (buyer)         配合 200
    督导     (supervisor)    监管 100;  财务审查 1 (veto)
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from shegong.core.roles import Role
from shegong.evaluation import services, tree
from shegong.evaluation.city_system import round_add_city_system
from shegong.evaluation.models import (
    EvaluationRound,
    Indicator,
    IndicatorGroup,
    IndicatorScore,
    RoundStatus,
    StationEvaluation,
    Veto,
)
from shegong.evaluation.selectors import round_results
from tests.conftest import make_user, shared
from tests.evaluation_world import english_messages
from tests.helpers import refusal


@pytest.fixture(autouse=True)
def english(settings):
    english_messages(settings)


def _tree(world, veto: str = Veto.FAIL, party: int = 60, service: int = 580):
    city = world["city"]
    round = services.round_create(
        actor=city, name="2026年末期评估（千分制）", kind="final", year=2026, system="points"
    )
    professional = tree.tree_group_add(
        actor=city, round=round, name="专业评估", scorer="professional"
    )
    buyer = tree.tree_group_add(actor=city, round=round, name="购买方", scorer="buyer", position=1)
    supervisor = tree.tree_group_add(
        actor=city, round=round, name="督导", scorer="supervisor", position=2
    )

    def add(group, name, points, **kw):
        return tree.tree_indicator_add(
            actor=city, group=group, name=name, points=Decimal(points), **kw
        )

    party_node = add(professional, "党建", 1, party_building=True)
    found = {
        "党组织": add(professional, "党组织", party, parent=party_node),
        "党建活动": add(professional, "党建活动", 60, parent=party_node, position=1),
        "服务": add(professional, "服务", service, position=1),
        "配合": add(buyer, "配合", 200),
        "监管": add(supervisor, "监管", 100),
        "财务审查": add(
            supervisor,
            "财务审查",
            1,
            veto=veto,
            veto_cap=Decimal(599) if veto == Veto.CAP else None,
            position=1,
        ),
    }
    party_node.refresh_from_db()
    found["党建"] = party_node
    return round, found


def make_people(world):
    people = world.people
    people["buyer"] = make_user("buyer", Role.STREET_OFFICE, street=world.street_a)
    people["buyer_b"] = make_user("buyer_b", Role.STREET_OFFICE, street=world.station_b.street)
    people["buyer_c"] = make_user("buyer_c", Role.STREET_OFFICE, street=world.street_c)
    people["evaluator_2"] = make_user("evaluator_2", Role.EVALUATOR, city=world.city)
    return people


def make_open_tree(world, veto: str = Veto.FAIL):
    people = make_people(world)
    round, found = _tree(world, veto=veto)
    city = world["city"]
    services.round_assign(
        actor=city, round=round, station=world.station_a, evaluator=world["evaluator"]
    )
    for station in (world.station_b, world.station_c):
        services.round_assign(
            actor=city, round=round, station=station, evaluator=people["evaluator_2"]
        )
    services.round_open(actor=city, round=round)
    round.refresh_from_db()
    return round, found


opened = shared(make_open_tree)

# Hand-made scores per station: professional (党组织, 党建活动, 服务), buyer, supervisor, veto.
SCORES = {
    "station_a": (50, 40, 500, 180, 90, 1),
    "station_b": (60, 60, 560, 190, 100, 0),
    "station_c": (30, 30, 400, 150, 50, 1),
}
SCORERS = {
    "station_a": ("evaluator", "buyer", "district"),
    "station_b": ("evaluator_2", "buyer_b", "district"),
    "station_c": ("evaluator_2", "buyer_c", "other_district"),
}


def _score_all(world, round, found):
    for station_name, (p1, p2, p3, b, s, veto) in SCORES.items():
        station = getattr(world, station_name)
        sheet = StationEvaluation.objects.get(round=round, station=station)
        evaluator, buyer, supervisor = (world[name] for name in SCORERS[station_name])
        for who, name, value in (
            (evaluator, "党组织", p1),
            (evaluator, "党建活动", p2),
            (evaluator, "服务", p3),
            (buyer, "配合", b),
            (supervisor, "监管", s),
            (supervisor, "财务审查", veto),
        ):
            services.score_set(
                actor=who, evaluation=sheet, indicator=found[name], score=Decimal(value)
            )
        services.evaluation_submit(actor=evaluator, evaluation=sheet)
    services.round_finalise(actor=world["city"], round=round)


def test_parent_is_worth_its_children_and_the_tree_validates(world):
    make_people(world)
    round, found = _tree(world)
    assert found["党建"].max_score == Decimal(120)
    tree.tree_validate(round)  # 120 + 580 + 200 + 100 = 1000; party 120 ≥ 115


def test_a_tree_not_adding_up_to_1000_is_refused_at_opening(world):
    round, _found = _tree(world, service=570)
    assert refusal(services.round_open, actor=world["city"], round=round) == [
        "The indicators add up to 990 points; they must add up to 1000."
    ]
    round.refresh_from_db()
    assert round.status == RoundStatus.DRAFT
    assert not StationEvaluation.objects.filter(round=round).exists()


def test_party_building_under_11_5_percent_is_refused(world):
    round, _found = _tree(world, party=50, service=590)
    assert refusal(services.round_open, actor=world["city"], round=round) == [
        "Party building has 110 points; it needs at least 11.5 % of the total (115)."
    ]


def test_a_fourth_level_is_refused(world):
    _round, found = _tree(world)
    assert refusal(
        tree.tree_indicator_add,
        actor=world["city"],
        group=found["党组织"].group,
        name="太深",
        points=Decimal(1),
        parent=found["党组织"],
    ) == ["The tree has three levels; this one is the last."]


def test_group_totals_veto_grades_and_ranks(opened, world):
    round, found = opened
    _score_all(world, round, found)
    results = {r.station.code: r for r in round_results(world["city"], round)}
    a, b, c = results["haizhu-10"], results["haizhu-11"], results["yuexiu-02"]
    # A: professional 50 + 40 + 500 = 590, buyer 180, supervisor 90 → 860 of 1000: good.
    assert a.scorers == {
        "professional": Decimal(590),
        "buyer": Decimal(180),
        "supervisor": Decimal(90),
    }
    assert (a.total, a.out_of, a.grade, a.vetoed) == (Decimal(860), Decimal(1000), "good", [])
    # B: 680 + 190 + 100 = 970, but the finance review failed: fail, ranked last.
    assert (b.total, b.grade, b.vetoed, b.vetoed_fail) == (
        Decimal(970),
        "fail",
        ["财务审查"],
        True,
    )
    # C: 460 + 150 + 50 = 660: pass.
    assert (c.total, c.grade) == (Decimal(660), "pass")
    assert [(r.rank_round, r.rank_district) for r in (a, b, c)] == [(1, 1), (3, 2), (2, 1)]


def test_a_cap_veto_caps_the_total(world):
    round, found = make_open_tree(world, veto=Veto.CAP)
    _score_all(world, round, found)
    b = next(r for r in round_results(world["city"], round) if r.station == world.station_b)
    # 970 capped at 599: 59.9 % of the points, a fail; ranked by its capped total.
    assert (b.total, b.grade, b.vetoed_fail, b.rank_round) == (Decimal(599), "fail", False, 3)


# --- Each group scores only its own branch -------------------------------------------


def _post_score(client, sheet, indicator, score):
    return client.post(
        f"/evaluation/sheets/{sheet.pk}/score/", {"indicator": indicator.pk, "score": score}
    )


def test_the_buyer_scores_its_branch(opened, world, client):
    round, found = opened
    sheet = StationEvaluation.objects.get(round=round, station=world.station_a)
    client.force_login(world["buyer"])
    page = client.get(f"/evaluation/sheets/{sheet.pk}/")
    assert page.status_code == 200
    assert f'action="/evaluation/sheets/{sheet.pk}/score/"' in page.content.decode()
    response = _post_score(client, sheet, found["配合"], "185.5")
    assert response.status_code == 302
    row = IndicatorScore.objects.get(evaluation=sheet, indicator=found["配合"])
    assert (row.score, row.scored_by) == (Decimal("185.50"), world["buyer"])


def test_the_buyers_home_lists_its_sheet_with_its_branch_scored(opened, world, client):
    round, found = opened
    sheet = StationEvaluation.objects.get(round=round, station=world.station_a)
    client.force_login(world["buyer"])
    home = client.get("/").content.decode()
    # Its street's one station (A; B is another street's, C another district's).
    assert 'data-testid="sheets-to-score"' in home
    assert home.count(f'href="/evaluation/sheets/{sheet.pk}/"') == 1
    assert "0 indicators scored" in home
    _post_score(client, sheet, found["配合"], "185.5")
    assert "1 indicator scored" in client.get("/").content.decode()
    # Its stations' progress and the contracts ending are on its home too.
    assert 'data-testid="station-progress"' in home


def test_another_groups_branch_is_refused_403(opened, world, client):
    round, found = opened
    sheet = StationEvaluation.objects.get(round=round, station=world.station_a)
    for who, indicator in (
        ("buyer", "服务"),  # the professional branch
        ("evaluator", "配合"),  # the buyer branch
        ("district", "配合"),
        ("buyer", "财务审查"),  # the supervisor branch
    ):
        client.force_login(world[who])
        response = _post_score(client, sheet, found[indicator], "1")
        assert response.status_code == 403, (who, indicator)
    assert not IndicatorScore.objects.filter(evaluation=sheet, scored_by__isnull=False).exists()


def test_another_streets_buyer_gets_404(opened, world, client):
    round, found = opened
    sheet = StationEvaluation.objects.get(round=round, station=world.station_a)
    client.force_login(world["buyer_c"])
    assert client.get(f"/evaluation/sheets/{sheet.pk}/").status_code == 404
    assert _post_score(client, sheet, found["配合"], "100").status_code == 404
    assert not IndicatorScore.objects.filter(evaluation=sheet, indicator=found["配合"]).exists()


def test_points_outside_the_range_are_refused_with_the_range(opened, world, client):
    round, found = opened
    sheet = StationEvaluation.objects.get(round=round, station=world.station_a)
    client.force_login(world["buyer"])
    response = _post_score(client, sheet, found["配合"], "250")
    assert response.status_code == 400
    assert "The score must be between 0 and 200." in response.content.decode()
    assert not IndicatorScore.objects.filter(evaluation=sheet, indicator=found["配合"]).exists()


def test_a_parent_indicator_is_scored_through_its_children(opened, world):
    round, found = opened
    sheet = StationEvaluation.objects.get(round=round, station=world.station_a)
    assert refusal(
        services.score_set,
        actor=world["evaluator"],
        evaluation=sheet,
        indicator=found["党建"],
        score=Decimal(10),
    ) == ["This indicator is scored through its sub-indicators."]


def test_submitting_waits_for_every_branch(opened, world):
    round, found = opened
    sheet = StationEvaluation.objects.get(round=round, station=world.station_a)
    for name in ("党组织", "党建活动", "服务"):
        services.score_set(
            actor=world["evaluator"], evaluation=sheet, indicator=found[name], score=Decimal(1)
        )
    message = refusal(services.evaluation_submit, actor=world["evaluator"], evaluation=sheet)
    assert message == ["Score every indicator before submitting. Missing: 配合、监管、财务审查."]


# --- The buyer reads its street ---------------------------------------------------------


def test_the_buyer_sees_the_result_after_finalisation(opened, world, client):
    round, found = opened
    _score_all(world, round, found)
    sheet = StationEvaluation.objects.get(round=round, station=world.station_a)
    client.force_login(world["buyer"])
    page = client.get(f"/evaluation/sheets/{sheet.pk}/").content.decode()
    assert '<strong data-testid="sheet-total">860.00</strong> / 1000' in page
    assert "Good" in page
    # Its street's station only, in the round's results.
    results = round_results(world["buyer"], round)
    assert [r.station for r in results] == [world.station_a]
    assert results[0].rank_round == 1
    other = StationEvaluation.objects.get(round=round, station=world.station_b)
    assert client.get(f"/evaluation/sheets/{other.pk}/").status_code == 404


def test_the_buyer_reads_its_street_and_writes_nothing(world, client, api):
    make_people(world)
    buyer = world["buyer"]
    client.force_login(buyer)
    station = client.get(f"/org/stations/{world.station_a.pk}/")
    assert station.status_code == 200
    assert "GZ-2025-A" in station.content.decode()
    assert client.get(f"/org/stations/{world.station_b.pk}/").status_code == 404
    reader = api(buyer)
    contracts = reader.get("/api/contracts/").json()
    assert [c["code"] for c in contracts["results"]] == ["GZ-2025-A"]
    assert reader.get(f"/api/contracts/{world.contract_b.pk}/").status_code == 404
    assert (
        reader.patch(
            f"/api/contracts/{world.contract_a.pk}/", {"amount": "1"}, format="json"
        ).status_code
        == 403
    )
    # The residents' records are not the buyer's.
    assert reader.get("/api/residents/").json()["count"] == 0


# --- The built-in 1000-point template -------------------------------------------------


def test_the_city_template_is_1000_points_in_three_branches(world):
    round = services.round_create(
        actor=world["city"], name="千分制", kind="final", year=2026, system="points"
    )
    leaves = round_add_city_system(actor=world["city"], round=round)
    assert leaves == 21
    indicators = list(Indicator.objects.filter(group__round=round))
    by_scorer: dict[str, Decimal] = {}
    for leaf in tree.leaves(indicators):
        if not leaf.veto:
            by_scorer[leaf.group.scorer] = by_scorer.get(leaf.group.scorer, 0) + leaf.max_score
    assert by_scorer == {"professional": 700, "buyer": 200, "supervisor": 100}
    assert tree.party_points(indicators) == Decimal(120)
    assert IndicatorGroup.objects.filter(round=round).count() == 5
    services.round_open(actor=world["city"], round=round)
    assert EvaluationRound.objects.get(pk=round.pk).status == RoundStatus.OPEN
    # The computed leaves are filled from the platform's data on opening.
    sheet = StationEvaluation.objects.get(round=round, station=world.station_a)
    computed = IndicatorScore.objects.filter(evaluation=sheet, indicator__method="computed")
    assert computed.count() == 5


def test_the_api_creates_a_points_round_and_gives_the_groups_points(opened, world, api):
    created = api(world["city"]).post(
        "/api/evaluation-rounds/",
        {"name": "千分制", "kind": "final", "year": 2026, "system": "points"},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["system"] == "points"
    assert [g["scorer"] for g in body["groups"]] == [
        "professional",
        "professional",
        "professional",
        "buyer",
        "supervisor",
    ]
    round, found = opened
    _score_all(world, round, found)
    results = api(world["buyer"]).get(f"/api/evaluation-rounds/{round.pk}/results/").json()
    assert [(r["station_code"], r["scorers"], r["total"], r["grade"]) for r in results] == [
        (
            "haizhu-10",
            {"professional": "590.00", "buyer": "180.00", "supervisor": "90.00"},
            "860.00",
            "good",
        )
    ]


def test_the_buyer_attaches_no_evidence(opened, world, client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shegong.evaluation.models import Evidence
    from tests.test_evaluation_evidence import PDF

    settings.MEDIA_ROOT = tmp_path
    round, found = opened
    sheet = StationEvaluation.objects.get(round=round, station=world.station_a)
    client.force_login(world["buyer"])
    page = client.get(f"/evaluation/sheets/{sheet.pk}/").content.decode()
    assert f'action="/evaluation/sheets/{sheet.pk}/evidence/"' not in page
    response = client.post(
        f"/evaluation/sheets/{sheet.pk}/evidence/",
        {"indicator": found["配合"].pk, "file": SimpleUploadedFile("台账.pdf", PDF)},
    )
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_the_city_officer_builds_a_tree_on_the_round_page(world, client):
    client.force_login(world["city"])
    created = client.post(
        "/evaluation/rounds/new/",
        {"name": "千分制试点", "kind": "final", "year": 2026, "system": "points"},
    )
    assert created.status_code == 302
    round = EvaluationRound.objects.get(name="千分制试点")
    assert not IndicatorGroup.objects.filter(round=round).exists()
    base = f"/evaluation/rounds/{round.pk}"
    assert (
        client.post(f"{base}/groups/", {"name": "党建引领", "scorer": "professional"}).status_code
        == 302
    )
    assert (
        client.post(f"{base}/groups/", {"name": "购买方评价", "scorer": "buyer"}).status_code == 302
    )
    party, buyer = IndicatorGroup.objects.filter(round=round).order_by("position")
    node = {"group": party.pk, "name": "党建工作", "points": "1", "method": "scored"}
    assert client.post(f"{base}/indicators/", {**node, "party_building": "on"}).status_code == 302
    parent = Indicator.objects.get(name="党建工作")
    leaf = {
        "group": party.pk,
        "parent": parent.pk,
        "name": "党组织",
        "points": "60",
        "method": "scored",
    }
    assert client.post(f"{base}/indicators/", leaf).status_code == 302
    parent.refresh_from_db()
    assert parent.max_score == Decimal(60)
    # A parent of another branch is refused with the reason, nothing saved.
    stray = {**leaf, "group": buyer.pk, "name": "错位"}
    refused = client.post(f"{base}/indicators/", stray)
    assert refused.status_code == 400
    assert "The parent indicator is in another branch." in refused.content.decode()
    assert not Indicator.objects.filter(name="错位").exists()
    page = client.get(f"{base}/").content.decode()
    assert "党组织" in page and "Third-party professional evaluation" in page
