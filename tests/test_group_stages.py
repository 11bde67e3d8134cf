"""Group work stages per MZ/T 095-2017 on the group page: moved forward one
stage at a time (back only with a reason), session plans per stage linked to the
session held, the evaluation at the end required before a staged group closes."""

from __future__ import annotations

import pytest

from shegong.delivery.models import (
    GroupEvaluation,
    GroupSessionPlan,
    GroupStageChange,
)
from tests.delivery_world import TODAY, group, make_delivery, session


@pytest.fixture
def d(world):
    return make_delivery(world)


@pytest.fixture
def grp(d):
    return group(d, members=3, planned=4)


def _stage(client, grp, stage, reason=""):
    return client.post(
        f"/services/groups/{grp.pk}/stage/", {"stage-stage": stage, "stage-reason": reason}
    )


def _refresh(grp):
    grp.refresh_from_db()
    return grp


def test_a_group_moves_forward_one_stage_at_a_time(d, grp, login):
    client = login(d["worker"])
    page = client.get(f"/services/groups/{grp.pk}/").content.decode()
    assert "本小组尚未按阶段开展。" in page
    # Starting to follow the stages in the first one: 筹备.
    assert _stage(client, grp, "preparation").status_code == 302
    assert (_refresh(grp).uses_stages, grp.stage) == (True, "preparation")
    assert _stage(client, grp, "formation").status_code == 302
    response = _stage(client, grp, "maturity")
    assert response.status_code == 400
    assert "阶段不能跳过：下一个阶段是转折。" in response.content.decode()
    assert _refresh(grp).stage == "formation"
    response = _stage(client, grp, "formation")
    assert response.status_code == 400
    assert "小组已处于这个阶段。" in response.content.decode()
    page = client.get(f"/services/groups/{grp.pk}/").content.decode()
    assert 'data-testid="current-stage">形成<' in page
    assert list(GroupStageChange.objects.values_list("from_stage", "to_stage")) == [
        ("preparation", "formation"),
        ("preparation", "preparation"),
    ]


def test_going_back_needs_a_reason(d, grp, login):
    client = login(d["worker"])
    for stage in ("preparation", "formation", "transition"):
        _stage(client, grp, stage)
    response = _stage(client, grp, "formation")
    assert response.status_code == 400
    assert "回到较早的阶段，请写明原因。" in response.content.decode()
    assert _refresh(grp).stage == "transition"
    assert _stage(client, grp, "formation", "两名组员退出，重新建立信任").status_code == 302
    assert _refresh(grp).stage == "formation"
    assert GroupStageChange.objects.first().reason == "两名组员退出，重新建立信任"


def test_session_plans_per_stage_linked_to_the_session_held(d, grp, login):
    client = login(d["worker"])
    response = client.post(
        f"/services/groups/{grp.pk}/plans/new/",
        {
            "plan-stage": "formation",
            "plan-planned_on": TODAY().isoformat(),
            "plan-goals": "组员相互认识",
            "plan-activities": "破冰游戏",
        },
    )
    assert response.status_code == 302
    plan = GroupSessionPlan.objects.get()
    assert (plan.stage, plan.goals, plan.event) == ("formation", "组员相互认识", None)
    held = session(d, grp, d.residents[:2])
    assert (
        client.post(f"/services/groups/plans/{plan.pk}/link/", {"link-event": held.pk}).status_code
        == 302
    )
    plan.refresh_from_db()
    assert plan.event == held
    page = client.get(f"/services/groups/{grp.pk}/").content.decode()
    assert "破冰游戏" in page and f'href="/services/{held.pk}/"' in page


def test_a_plan_links_only_to_a_session_of_its_own_group(d, grp, login):
    client = login(d["worker"])
    other = group(d, members=2, planned=2, project="family")
    other_session = session(d, other, d.residents[:1])
    plan = GroupSessionPlan.objects.create(
        group=grp,
        stage="formation",
        planned_on=TODAY(),
        goals="g",
        activities="a",
        author=d["worker"],
    )
    response = client.post(
        f"/services/groups/plans/{plan.pk}/link/", {"link-event": other_session.pk}
    )
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.event is None


def test_a_plan_without_goals_is_refused(d, grp, login):
    client = login(d["worker"])
    response = client.post(
        f"/services/groups/{grp.pk}/plans/new/",
        {"plan-stage": "formation", "plan-planned_on": TODAY().isoformat(), "plan-activities": "x"},
    )
    assert response.status_code == 400
    assert not GroupSessionPlan.objects.exists()


def _evaluate(client, grp, score="8"):
    return client.post(
        f"/services/groups/{grp.pk}/evaluate/",
        {
            "evaluation-evaluated_on": TODAY().isoformat(),
            "evaluation-goals_attained": "partly",
            "evaluation-member_feedback": "组员认为收获很多",
            "evaluation-score": score,
        },
    )


def _close(client, grp):
    return client.post(
        f"/services/groups/{grp.pk}/close/", {"close-closed_on": TODAY().isoformat()}
    )


def test_a_staged_group_is_evaluated_in_its_ending_stage_before_it_closes(d, grp, login):
    client = login(d["worker"])
    _stage(client, grp, "preparation")
    response = _evaluate(client, grp)
    assert response.status_code == 400
    assert "小组在结束阶段进行评估。" in response.content.decode()
    response = _close(client, grp)
    assert response.status_code == 400
    assert "请先完成小组评估，再结束小组。" in response.content.decode()
    assert _refresh(grp).closed_on is None
    for stage in ("formation", "transition", "maturity", "ending"):
        assert _stage(client, grp, stage).status_code == 302
    assert _evaluate(client, grp, score="11").status_code == 400
    assert _evaluate(client, grp).status_code == 302
    evaluation = GroupEvaluation.objects.get()
    assert (evaluation.goals_attained, evaluation.score) == ("partly", 8)
    assert _evaluate(client, grp).status_code == 400
    assert _close(client, grp).status_code == 302
    assert _refresh(grp).closed_on == TODAY()
    page = client.get(f"/services/groups/{grp.pk}/").content.decode()
    assert 'data-testid="group-closed"' in page and "组员认为收获很多" in page
    # A closed group records no more sessions and keeps its stage.
    assert _stage(client, grp, "formation", "再来").status_code == 400
    assert 'data-testid="record-session"' not in page


def test_a_group_without_stages_closes_without_an_evaluation(d, grp, login):
    client = login(d["worker"])
    assert _close(client, grp).status_code == 302
    assert _refresh(grp).closed_on == TODAY()


@pytest.mark.parametrize(
    ("person", "status"),
    [("worker", 302), ("director", 302), ("district", 403), ("agency", 403)]
    + [("admin", 403), ("worker_c", 404), ("director_b", 404)],
)
def test_stage_writes_are_the_group_station_staffs(d, grp, login, person, status):
    client = login(d[person])
    assert _stage(client, grp, "preparation").status_code == status
    assert GroupStageChange.objects.count() == (1 if status == 302 else 0)
