"""The API of the scored assessment tools 评估量表: the active tools with their
items and bands, a case's scores (read as the case content: outsiders 404) and
scoring a case through the API with hand-computed totals; the refusals (an
unknown item, a score not allowed, an inactive tool, a closed case) save nothing."""

from __future__ import annotations

import datetime

import pytest

from shegong.cases import services as case_services
from shegong.cases.instruments import Instrument, InstrumentScore
from shegong.cases.models import CaseEvent
from tests.conftest import make_user
from tests.helpers import days_ago, open_case, register_resident

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
RISK_KEYS = ["self_harm", "violence", "neglect", "health", "crisis"]


def barthel(*scores: int) -> dict[str, int]:
    return dict(zip(BARTHEL_KEYS, scores, strict=True))


@pytest.fixture
def elder_case(world):
    world.people["worker2"] = make_user("worker2", "social_worker", station=world.station_a)
    elder = register_resident(world, "黄伯", born=datetime.date(1940, 5, 1), consented=90)
    return open_case(world, elder, domain="elderly", opened_on=days_ago(60))


def _score(api, user, case, code, answers, on=None):
    body = {"case": case.pk, "instrument": code, "answers": answers}
    if on is not None:
        body["administered_on"] = on.isoformat()
    return api(user).post("/api/instrument-scores/", body, format="json")


def test_the_active_tools_with_their_items_and_bands(world, api):
    Instrument.objects.filter(code="needs-youth").update(active=False)
    response = api(world["worker"]).get("/api/instruments/", {"page_size": 100})
    assert response.status_code == 200
    rows = response.json()["results"]
    codes = sorted(row["code"] for row in rows)
    assert codes == ["barthel", "needs-elderly", "needs-family", "risk-screen"]
    barthel_row = next(row for row in rows if row["code"] == "barthel")
    assert barthel_row["name"] == "巴氏指数（日常生活活动能力）"
    stairs = barthel_row["items"][-1]
    assert stairs["key"] == "stairs" and stairs["label"] == "上下楼梯"
    assert [option["score"] for option in stairs["options"]] == [0, 5, 10]
    assert [(b["min"], b["max"], b["label"]) for b in barthel_row["bands"]] == [
        (0, 20, "完全依赖"),
        (21, 60, "重度依赖"),
        (61, 90, "中度依赖"),
        (91, 99, "轻度依赖"),
        (100, 100, "自理"),
    ]
    # An elder's case: the elders' checklist and the tools of any domain.
    elderly = api(world["worker"]).get("/api/instruments/", {"domain": "elderly"}).json()
    assert sorted(row["code"] for row in elderly["results"]) == [
        "barthel",
        "needs-elderly",
        "risk-screen",
    ]
    inactive = Instrument.objects.get(code="needs-youth")
    assert api(world["worker"]).get(f"/api/instruments/{inactive.pk}/").status_code == 404
    assert api().get("/api/instruments/").status_code == 401


def test_worker_scores_a_case_and_reads_its_scores(world, elder_case, api):
    # 5+0+5+5+10+5+5+10+10+0 = 55: severe dependence (21–60).
    first = _score(
        api, world["worker"], elder_case, "barthel", barthel(5, 0, 5, 5, 10, 5, 5, 10, 10, 0)
    )
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["total"], body["band"]) == (55, "Severe dependence")
    assert body["band_label"] == "重度依赖"
    assert body["answers"]["feeding"] == 5 and body["administered_on"] == days_ago(0).isoformat()
    # 10+5+5+10+10+10+10+15+10+5 = 90: moderate dependence (61–90), answers as form strings.
    answers = {k: str(v) for k, v in barthel(10, 5, 5, 10, 10, 10, 10, 15, 10, 5).items()}
    second = _score(api, world["director"], elder_case, "barthel", answers, on=days_ago(1))
    assert second.status_code == 201
    assert (second.json()["total"], second.json()["band"]) == (90, "Moderate dependence")
    # Risk screen 2+1+0+1+0 = 4: medium (4–6).
    risk = _score(
        api,
        world["worker"],
        elder_case,
        "risk-screen",
        dict(zip(RISK_KEYS, (2, 1, 0, 1, 0), strict=True)),
    )
    assert (risk.json()["total"], risk.json()["band_label"]) == (4, "中")
    assert CaseEvent.objects.filter(case=elder_case, action="scored").count() == 3

    listed = api(world["worker"]).get("/api/instrument-scores/", {"case": elder_case.pk}).json()
    # Newest first; of one day, the later entry first.
    assert [(row["instrument_code"], row["total"]) for row in listed["results"]] == [
        ("risk-screen", 4),
        ("barthel", 55),
        ("barthel", 90),
    ]
    only = api(world["worker"]).get("/api/instrument-scores/", {"instrument": "risk-screen"})
    assert [row["total"] for row in only.json()["results"]] == [4]
    detail = api(world["director"]).get(f"/api/instrument-scores/{body['id']}/")
    assert detail.status_code == 200 and detail.json()["case_number"] == elder_case.number


@pytest.mark.parametrize(
    ("person", "listed", "detail"),
    [("worker", 1, 200), ("director", 1, 200), ("worker2", 0, 404), ("district", 0, 404)]
    + [("admin", 0, 404), ("city", 0, 404), ("worker_c", 0, 404), ("director_b", 0, 404)],
)
def test_scores_are_read_as_the_case_content(world, elder_case, api, person, listed, detail):
    record = _score(
        api, world["worker"], elder_case, "barthel", barthel(10, 5, 5, 10, 10, 10, 10, 15, 15, 10)
    ).json()
    client = api(world[person])
    assert len(client.get("/api/instrument-scores/").json()["results"]) == listed
    assert client.get(f"/api/instrument-scores/{record['id']}/").status_code == detail


@pytest.mark.parametrize(
    ("person", "status"),
    [("worker", 201), ("director", 201), ("worker2", 403), ("worker_c", 404)]
    + [("director_b", 404), ("district", 403), ("admin", 403)],
)
def test_only_those_who_work_on_the_case_score_it(world, elder_case, api, person, status):
    response = _score(
        api, world[person], elder_case, "barthel", barthel(10, 5, 5, 10, 10, 10, 10, 15, 15, 10)
    )
    assert response.status_code == status
    assert InstrumentScore.objects.count() == (1 if status == 201 else 0)


def test_an_unknown_item_is_refused_and_nothing_saved(world, elder_case, api):
    answers = {**barthel(10, 5, 5, 10, 10, 10, 10, 15, 15, 10), "sleep": 5}
    response = _score(api, world["worker"], elder_case, "barthel", answers)
    assert response.status_code == 400
    assert response.json() == {"detail": ["量表没有条目 sleep。"]}
    assert not InstrumentScore.objects.exists()
    assert not CaseEvent.objects.filter(action="scored").exists()


def test_a_score_outside_the_items_range_is_refused(world, elder_case, api):
    response = _score(
        api, world["worker"], elder_case, "barthel", barthel(10, 5, 5, 10, 10, 10, 10, 15, 15, 20)
    )
    assert response.status_code == 400
    assert response.json() == {"detail": ["20 不是“上下楼梯”允许的分值（允许：0, 5, 10）。"]}
    answers = {**barthel(10, 5, 5, 10, 10, 10, 10, 15, 15, 10), "stairs": 2.5}
    assert _score(api, world["worker"], elder_case, "barthel", answers).status_code == 400
    missing = barthel(10, 5, 5, 10, 10, 10, 10, 15, 15, 10)
    del missing["stairs"]
    response = _score(api, world["worker"], elder_case, "barthel", missing)
    assert response.json() == {"detail": ["条目“上下楼梯”未作答。"]}
    assert not InstrumentScore.objects.exists()


def test_an_inactive_tool_is_refused(world, elder_case, api):
    Instrument.objects.filter(code="risk-screen").update(active=False)
    answers = dict(zip(RISK_KEYS, (0, 0, 0, 0, 0), strict=True))
    response = _score(api, world["worker"], elder_case, "risk-screen", answers)
    assert response.status_code == 400
    assert response.json() == {"detail": ["此评估量表已停用。"]}
    # A tool of another domain and a code no tool has.
    response = _score(api, world["worker"], elder_case, "needs-family", {"income": 1})
    assert response.json() == {"detail": ["此量表用于家庭领域的个案；本个案属于长者领域。"]}
    response = _score(api, world["worker"], elder_case, "no-such-tool", {})
    assert response.status_code == 400 and "instrument" in response.json()
    assert not InstrumentScore.objects.exists()


def test_a_closed_case_is_not_scored(world, elder_case, api):
    case_services.case_close(
        actor=world["worker"], case=elder_case, closed_on=days_ago(0), outcome="client_withdrew"
    )
    response = _score(
        api, world["worker"], elder_case, "barthel", barthel(10, 5, 5, 10, 10, 10, 10, 15, 15, 10)
    )
    assert response.status_code == 400
    assert response.json() == {"detail": ["已结案个案不能预估，请先重新开案。"]}
    assert not InstrumentScore.objects.exists()


def test_a_score_on_an_old_version_of_the_case_is_a_conflict(world, elder_case, api):
    body = {
        "case": elder_case.pk,
        "instrument": "risk-screen",
        "answers": dict(zip(RISK_KEYS, (0, 0, 0, 0, 0), strict=True)),
        "version": elder_case.version,
    }
    assert (
        api(world["worker"]).post("/api/instrument-scores/", body, format="json").status_code == 201
    )
    # The first score moved the case on a version: the same version again is refused.
    response = api(world["worker"]).post("/api/instrument-scores/", body, format="json")
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert InstrumentScore.objects.count() == 1
