"""The case list people can work with: client name, risk level, next review
date, a coloured status, a search (number, or the client's name in characters
or pinyin) and filters; the content columns only for those who may work on the
case, and no search or filter by content for the others."""

import datetime
import re

from shegong.cases import services as case_services
from tests.helpers import days_ago, open_case, register_resident, today


def _case(world, name, *, risk=None, review_in=None, domain="family"):
    client = register_resident(world, name, born=datetime.date(1950, 1, 1), consented=30)
    case = open_case(world, client, domain=domain, opened_on=days_ago(20))
    if risk:
        case_services.case_assess(
            actor=world["worker"],
            case=case,
            assessed_on=days_ago(10),
            needs="需求",
            risk_level=risk,
        )
    if review_in is not None:
        case_services.case_plan(
            actor=world["worker"],
            case=case,
            planned_on=days_ago(5),
            goals="目标",
            review_due_on=today() + datetime.timedelta(days=review_in),
        )
    case.refresh_from_db()
    return case


def _rows(response) -> list[str]:
    return [c.number for c in response.context["page"]]


def _cases(world):
    return {
        "张三": _case(world, "张三", risk="high", review_in=-3),
        "李四": _case(world, "李四", risk="low", review_in=30, domain="elderly"),
        "王五": _case(world, "王五"),
    }


def test_the_list_shows_client_risk_review_and_coloured_status(world, login):
    cases = _cases(world)
    html = login(world["worker"]).get("/cases/").content.decode()
    row = re.search(rf"<tr><td><a href=\"/cases/{cases['张三'].pk}/\">.*?</tr>", html, re.S)[0]
    assert "张三" in row
    assert '<span class="badge text-bg-danger">高</span>' in row
    overdue = (today() - datetime.timedelta(days=3)).strftime("%Y-%m-%d")
    assert f'class="text-danger fw-semibold" data-overdue>{overdue}</span>' in row
    assert 'class="badge text-bg-primary" data-status="planned"' in row
    row = re.search(rf"<tr><td><a href=\"/cases/{cases['王五'].pk}/\">.*?</tr>", html, re.S)[0]
    assert 'class="badge text-bg-info" data-status="intake"' in row


def test_search_by_number_name_and_pinyin_and_the_filters(world, login):
    cases = _cases(world)
    client = login(world["worker"])
    number = {name: case.number for name, case in cases.items()}
    assert _rows(client.get("/cases/", {"q": "zs"})) == [number["张三"]]
    assert _rows(client.get("/cases/", {"q": "lisi"})) == [number["李四"]]
    assert _rows(client.get("/cases/", {"q": cases["王五"].number})) == [number["王五"]]
    assert _rows(client.get("/cases/", {"risk": "low"})) == [number["李四"]]
    assert _rows(client.get("/cases/", {"review": "overdue"})) == [number["张三"]]
    assert _rows(client.get("/cases/", {"domain": "elderly"})) == [number["李四"]]
    assert _rows(client.get("/cases/", {"status": "intake"})) == [number["王五"]]


def test_an_official_sees_the_cases_but_neither_client_nor_risk(world, login):
    _cases(world)
    client = login(world["district"])
    page = client.get("/cases/")
    html = page.content.decode()
    assert len(page.context["page"]) == 3
    assert "张三" not in html and "高</span>" not in html
    # Searching or filtering by content tells the official nothing.
    assert _rows(client.get("/cases/", {"q": "zs"})) == []
    assert _rows(client.get("/cases/", {"risk": "high"})) == []
