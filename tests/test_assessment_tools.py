"""Scored assessment tools 评估量表: totals and bands against hand-computed
fixtures, administering a tool from the case page, the scores over time, and
the refusals (a score not allowed, a missing item, a tool of another domain)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from shegong.cases.instruments import Instrument, InstrumentScore, score_answers
from shegong.cases.models import CaseEvent
from tests.conftest import make_user
from tests.helpers import days_ago, open_case, register_resident

# Barthel answers in item order: feeding, bathing, grooming, dressing, bowels,
# bladder, toilet, transfers, mobility, stairs.
BARTHEL_KEYS = [
    "feeding",
    "bathing",
    "grooming",
    "dressing",
    "bowels",
    "bladder",
    "toilet",
    "transfers",
    "mobility",
    "stairs",
]


def barthel(*scores: int) -> dict[str, int]:
    return dict(zip(BARTHEL_KEYS, scores, strict=True))


@pytest.mark.parametrize(
    ("scores", "total", "band"),
    [
        ((10, 5, 5, 10, 10, 10, 10, 15, 15, 10), 100, "Independent"),
        ((10, 5, 5, 10, 10, 10, 10, 15, 15, 0), 90, "Moderate dependence"),
        ((10, 5, 5, 10, 10, 10, 10, 15, 10, 10), 95, "Slight dependence"),
        ((5, 0, 5, 5, 10, 5, 5, 10, 10, 0), 55, "Severe dependence"),
        ((5, 0, 0, 0, 10, 5, 5, 5, 10, 0), 40, "Severe dependence"),
        ((5, 0, 0, 0, 5, 5, 0, 5, 0, 0), 20, "Total dependence"),
        ((5, 0, 0, 0, 5, 5, 0, 5, 5, 0), 25, "Severe dependence"),
        ((0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0, "Total dependence"),
    ],
)
def test_barthel_totals_and_bands(db, scores, total, band):
    scored = score_answers(Instrument.objects.get(code="barthel"), barthel(*scores))
    assert (scored.total, scored.band) == (total, band)


@pytest.mark.parametrize(
    ("scores", "total", "band"),
    [((0, 0, 0, 0, 0), 0, "Low"), ((2, 1, 0, 0, 0), 3, "Low"), ((2, 1, 0, 1, 0), 4, "Medium")]
    + [((2, 2, 1, 1, 0), 6, "Medium"), ((2, 2, 1, 1, 1), 7, "High"), ((2, 2, 2, 2, 2), 10, "High")],
)
def test_risk_screen_totals_and_bands(db, scores, total, band):
    tool = Instrument.objects.get(code="risk-screen")
    answers = dict(zip([i["key"] for i in tool.items], scores, strict=True))
    assert (score_answers(tool, answers).total, score_answers(tool, answers).band) == (total, band)


def test_needs_checklists_count_the_needs(db):
    tool = Instrument.objects.get(code="needs-youth")
    keys = [i["key"] for i in tool.items]
    assert keys == ["school", "family", "peers", "mood", "safety"]
    scored = score_answers(tool, {"school": 1, "family": 0, "peers": 1, "mood": 1, "safety": 0})
    assert (scored.total, scored.band) == (3, "Many needs")
    assert sorted(
        Instrument.objects.filter(code__startswith="needs-").values_list("domain", flat=True)
    ) == ["elderly", "family", "youth"]


def test_a_tool_whose_bands_leave_a_gap_is_refused(db):
    tool = Instrument.objects.get(code="risk-screen")
    tool.bands = [{"min": 0, "max": 3, "label": "Low"}, {"min": 5, "max": 10, "label": "High"}]
    with pytest.raises(ValidationError) as raised:
        tool.full_clean()
    assert raised.value.message_dict["bands"] == ["等级必须恰好覆盖从 0 到 10 的每个总分一次。"]


@pytest.fixture
def elder_case(world):
    world.people["worker2"] = make_user("worker2", "social_worker", station=world.station_a)
    elder = register_resident(world, "黄伯", born=datetime.date(1940, 5, 1), consented=90)
    return open_case(world, elder, domain="elderly", opened_on=days_ago(60))


def _post(client, case, code, answers, on=None, version=None):
    data = {f"item_{k}": v for k, v in answers.items()}
    data["administered_on"] = (on or days_ago(0)).isoformat()
    data["version"] = case.version if version is None else version
    return client.post(f"/cases/{case.pk}/tools/{code}/", data)


def test_worker_scores_the_barthel_and_the_case_page_shows_the_history(world, elder_case, login):
    client = login(world["worker"])
    page = client.get(f"/cases/{elder_case.pk}/").content.decode()
    assert f'href="/cases/{elder_case.pk}/tools/barthel/"' in page
    # A family checklist is not offered in an elder's case; the risk screen is.
    assert "tools/needs-family/" not in page
    assert "tools/risk-screen/" in page
    form = client.get(f"/cases/{elder_case.pk}/tools/barthel/").content.decode()
    assert "巴氏指数" in form and "进食" in form

    response = _post(
        client, elder_case, "barthel", barthel(5, 0, 5, 5, 10, 5, 5, 10, 10, 0), days_ago(30)
    )
    assert response.status_code == 302
    elder_case.refresh_from_db()
    response = _post(
        client, elder_case, "barthel", barthel(10, 5, 5, 10, 10, 10, 10, 15, 10, 5), days_ago(2)
    )
    assert response.status_code == 302
    scores = list(InstrumentScore.objects.filter(case=elder_case).values_list("total", "band"))
    assert scores == [(90, "Moderate dependence"), (55, "Severe dependence")]
    assert CaseEvent.objects.filter(case=elder_case, action="scored").count() == 2

    page = client.get(f"/cases/{elder_case.pk}/").content.decode()
    table = page[page.index('data-testid="scores-barthel"') :]
    table = table[: table.index("</table>")]
    # Newest first, with the change from the one before.
    assert table.index("90") < table.index("55")
    assert "+35" in table
    assert "中度依赖" in table and "重度依赖" in table


def test_a_score_not_allowed_is_refused_and_nothing_is_saved(world, elder_case, login):
    client = login(world["worker"])
    response = _post(client, elder_case, "barthel", barthel(7, 0, 5, 5, 10, 5, 5, 10, 10, 0))
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert not InstrumentScore.objects.exists()
    assert not CaseEvent.objects.filter(action="scored").exists()


def test_a_missing_item_is_refused(world, elder_case, login):
    client = login(world["worker"])
    answers = barthel(5, 0, 5, 5, 10, 5, 5, 10, 10, 0)
    del answers["stairs"]
    response = _post(client, elder_case, "barthel", answers)
    assert response.status_code == 400
    assert "该字段是必填项" in response.content.decode()
    assert not InstrumentScore.objects.exists()


def test_the_service_names_the_missing_or_wrong_item(world, elder_case):
    from shegong.cases.scoring import instrument_score_record

    tool = Instrument.objects.get(code="barthel")
    answers = barthel(5, 0, 5, 5, 10, 5, 5, 10, 10, 0)
    del answers["stairs"]
    call = {"actor": world["worker"], "case": elder_case, "instrument": tool}
    with pytest.raises(ValidationError) as raised:
        instrument_score_record(**call, administered_on=days_ago(0), answers=answers)
    assert raised.value.messages == ["条目“上下楼梯”未作答。"]
    with pytest.raises(ValidationError) as raised:
        instrument_score_record(
            **call, administered_on=days_ago(0), answers={**answers, "stairs": 15}
        )
    assert raised.value.messages == ["15 不是“上下楼梯”允许的分值（允许：0, 5, 10）。"]
    assert not InstrumentScore.objects.exists()


def test_a_tool_of_another_domain_is_refused(world, elder_case, login):
    client = login(world["worker"])
    response = client.get(f"/cases/{elder_case.pk}/tools/needs-family/")
    assert response.status_code == 400
    assert "此量表用于家庭领域的个案；本个案属于长者领域。" in response.content.decode()
    response = _post(client, elder_case, "needs-family", {"income": 1})
    assert response.status_code == 400
    assert not InstrumentScore.objects.exists()


@pytest.mark.parametrize(
    ("person", "status"),
    [("worker", 200), ("director", 200), ("worker2", 403), ("district", 403)]
    + [("admin", 403), ("worker_c", 404), ("director_b", 404)],
)
def test_only_those_who_work_on_the_case_score_it(world, elder_case, login, person, status):
    client = login(world[person])
    assert client.get(f"/cases/{elder_case.pk}/tools/barthel/").status_code == status
    response = _post(client, elder_case, "barthel", barthel(10, 5, 5, 10, 10, 10, 10, 15, 15, 10))
    assert response.status_code == (302 if status == 200 else status)
    assert InstrumentScore.objects.count() == (1 if status == 200 else 0)
