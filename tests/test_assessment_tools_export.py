"""The resident's copy of their data (PIPL art. 45) holds their assessment tool
scores 量表评分: tool, date, total, band and every item's answer, readable."""

from __future__ import annotations

import datetime
import json

import pytest

from shegong.cases.instruments import Instrument
from shegong.cases.scoring import instrument_score_record
from shegong.privacy.requests import subject_request_open
from tests.helpers import days_ago, open_case, register_resident, xlsx_table

BARTHEL_NAME = "巴氏指数（日常生活活动能力）"


@pytest.fixture
def scored(world):
    """黄伯's elder case with two Barthel scores and a risk screen; 李婆 (another
    resident) with one Barthel score that is not his."""
    elder = register_resident(world, "黄伯", born=datetime.date(1940, 5, 1), consented=90)
    case = open_case(world, elder, domain="elderly", opened_on=days_ago(60))
    barthel = Instrument.objects.get(code="barthel")
    risk = Instrument.objects.get(code="risk-screen")

    def score(case, tool, scores, on):
        answers = dict(zip([item["key"] for item in tool.items], scores, strict=True))
        return instrument_score_record(
            actor=world["worker"], case=case, instrument=tool, administered_on=on, answers=answers
        )

    # 5+0+5+5+10+5+5+10+10+0 = 55; 10+5+5+10+10+10+10+15+10+5 = 90; 2+1+0+1+0 = 4.
    score(case, barthel, (5, 0, 5, 5, 10, 5, 5, 10, 10, 0), days_ago(30))
    score(case, barthel, (10, 5, 5, 10, 10, 10, 10, 15, 10, 5), days_ago(2))
    score(case, risk, (2, 1, 0, 1, 0), days_ago(1))
    other = register_resident(world, "李婆", born=datetime.date(1938, 2, 1), consented=90)
    other_case = open_case(world, other, domain="elderly", opened_on=days_ago(10))
    score(other_case, barthel, (10, 5, 5, 10, 10, 10, 10, 15, 15, 10), days_ago(1))
    return {"resident": elder, "case": case}


def _export(world, login, resident, fmt):
    item = subject_request_open(
        actor=world["worker"],
        resident=resident,
        kind="access",
        requested_by="本人",
        received_on=days_ago(0),
    )
    return login(world["director"]).get(f"/privacy/requests/{item.pk}/export.{fmt}")


def test_the_export_holds_the_residents_scores(world, scored, login):
    data = json.loads(_export(world, login, scored["resident"], "json").content)
    rows = [
        (row["instrument"], row["administered_on"], row["total"], row["band"], row["answers"])
        for row in data["cases.instrumentscore"]
    ]
    # Only his: 李婆's score is not in it.
    assert {row["case"] for row in data["cases.instrumentscore"]} == {str(scored["case"])}
    assert rows == [
        (
            BARTHEL_NAME,
            days_ago(30).isoformat(),
            "55",
            "重度依赖",
            "进食: 5; 洗澡: 0; 修饰（洗脸、刷牙、梳头、刮脸）: 5; 穿衣: 5; "
            "控制大便: 10; 控制小便: 5; 如厕: 5; "
            "床椅转移: 10; 平地行走: 10; 上下楼梯: 0",
        ),
        (
            BARTHEL_NAME,
            days_ago(2).isoformat(),
            "90",
            "中度依赖",
            "进食: 10; 洗澡: 5; 修饰（洗脸、刷牙、梳头、刮脸）: 5; 穿衣: 10; "
            "控制大便: 10; 控制小便: 10; 如厕: 10; "
            "床椅转移: 15; 平地行走: 10; 上下楼梯: 5",
        ),
        (
            "风险筛查",
            days_ago(1).isoformat(),
            "4",
            "中",
            "有自伤念头或行为: 2; 家庭暴力或虐待: 1; 疏于照顾：基本需要未得到满足: 0; "
            "患重病而无人照顾: 1; 正处于危机（丧亲、被迫搬离、债务）: 0",
        ),
    ]


def test_the_readable_copy_has_a_line_per_field_of_each_score(world, scored, login):
    rows = xlsx_table(_export(world, login, scored["resident"], "xlsx"))
    scores = [row for row in rows if row[0] == "量表评分"]
    # Three scores, ten fields each (id, created, updated, case, tool, date,
    # answers, total, band, author).
    assert len(scores) == 30
    assert ("量表评分", "3", "总分", "4") in scores
    assert ("量表评分", "3", "等级", "中") in scores
    assert ("量表评分", "1", "评估量表", BARTHEL_NAME) in scores
