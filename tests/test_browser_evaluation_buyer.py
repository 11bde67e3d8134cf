"""In real Chromium: the street office of 沙园街 (the buyer) opens its station's
sheet in a points-tree round, scores the buyer branch (the professional branch
offers it no form), and once the round is finalised reads the station's total,
grade and the three groups' points."""

from decimal import Decimal

import pytest

from shegong.evaluation import services
from shegong.evaluation.models import StationEvaluation
from tests.browser import log_in, screenshot
from tests.test_evaluation_tree import SCORERS, SCORES, make_open_tree

pytestmark = pytest.mark.browser


def test_buyer_scores_its_branch_and_reads_the_result(
    transactional_db, world, live_server, browser
):
    round, found = make_open_tree(world)
    sheet = StationEvaluation.objects.get(round=round, station=world.station_a)

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server.url, "buyer")
    page.goto(f"{live_server.url}/evaluation/sheets/{sheet.pk}/")
    mine = page.get_by_test_id(f"indicator-{found['配合'].pk}")
    assert page.get_by_test_id(f"indicator-{found['服务'].pk}").locator("form").count() == 0
    mine.locator("input[name=score]").fill("180")
    mine.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/evaluation/sheets/{sheet.pk}/")
    assert "180.00" in page.get_by_test_id(f"indicator-{found['配合'].pk}").inner_text()
    screenshot(page, "buyer-scores-its-branch")

    # The evaluators and the district officers score the rest; the city finalises.
    for station_name, (p1, p2, p3, b, s, veto) in SCORES.items():
        station = getattr(world, station_name)
        other = StationEvaluation.objects.get(round=round, station=station)
        evaluator, buyer, supervisor = (world[name] for name in SCORERS[station_name])
        marks = [(evaluator, "党组织", p1), (evaluator, "党建活动", p2), (evaluator, "服务", p3)]
        marks += [(supervisor, "监管", s), (supervisor, "财务审查", veto)]
        if station_name != "station_a":
            marks.append((buyer, "配合", b))
        for who, name, value in marks:
            services.score_set(
                actor=who, evaluation=other, indicator=found[name], score=Decimal(value)
            )
        services.evaluation_submit(actor=evaluator, evaluation=other)
    services.round_finalise(actor=world["city"], round=round)

    page.goto(f"{live_server.url}/evaluation/sheets/{sheet.pk}/")
    assert page.get_by_test_id("sheet-total").inner_text() == "860.00"
    assert page.get_by_test_id("sheet-grade").inner_text() == "良好"
    totals = page.get_by_test_id("scorer-totals").inner_text()
    assert "第三方专业评估: 590.00" in totals
    assert "购买方（街道办事处）: 180.00" in totals
    assert "区民政督导: 90.00" in totals
    screenshot(page, "buyer-reads-the-result")
