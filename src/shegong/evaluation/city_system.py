"""The city's built-in 1000-point tree (Guangzhou 2019 evaluation method: the
third-party professional evaluation 700, the buyer 200, the district supervisor
100; party building at least 115; a finance review that can veto the result).

The published tree has 9 / 25 / 90 indicators; this template carries its
structure with fewer leaves (5 / 10 / 20), which the city officer extends or
adjusts on a draft round. Names are data, in Chinese as the manuals write them.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.access import require
from shegong.core.scope import CHANGE
from shegong.evaluation import tree
from shegong.evaluation.models import (
    EvaluationRound,
    IndicatorGroup,
    Method,
    Scorer,
    Veto,
)

S, C = Method.SCORED, Method.COMPUTED

# A leaf: (name, points, method, computation). A second-level indicator:
# (name, party building, [leaves]). A branch: (name, scorer, [second level]).
Leaf = tuple[str, Decimal, str, str]
CITY_SYSTEM: list[tuple[str, str, list[tuple[str, bool, list[Leaf]]]]] = [
    (
        "党建引领",
        Scorer.PROFESSIONAL,
        [
            (
                "党建工作机制",
                True,
                [("党组织建设", Decimal(30), S, ""), ("党建活动开展", Decimal(30), S, "")],
            ),
            (
                "党员参与服务",
                True,
                [("党员志愿服务", Decimal(30), S, ""), ("党建品牌项目", Decimal(30), S, "")],
            ),
        ],
    ),
    (
        "服务成效",
        Scorer.PROFESSIONAL,
        [
            (
                "服务产出",
                False,
                [
                    ("服务人次完成率", Decimal(80), C, "person_times"),
                    ("113X项目目标完成情况", Decimal(100), C, "project_completion"),
                ],
            ),
            (
                "服务质量",
                False,
                [
                    ("个案结案率", Decimal(60), C, "case_closure"),
                    ("专业服务规范", Decimal(80), S, ""),
                    ("服务成效评估", Decimal(60), S, ""),
                ],
            ),
        ],
    ),
    (
        "机构管理",
        Scorer.PROFESSIONAL,
        [
            (
                "人员管理",
                False,
                [("人员配备与持证", Decimal(50), S, ""), ("督导与培训", Decimal(50), S, "")],
            ),
            (
                "制度与档案",
                False,
                [("制度建设", Decimal(40), S, ""), ("档案管理", Decimal(60), S, "")],
            ),
        ],
    ),
    (
        "购买方评价",
        Scorer.BUYER,
        [
            (
                "服务配合",
                False,
                [("参与街道中心工作", Decimal(50), S, ""), ("资源链接", Decimal(50), S, "")],
            ),
            (
                "服务满意",
                False,
                [
                    ("居民满意度", Decimal(50), C, "satisfaction"),
                    ("街道满意度", Decimal(50), S, ""),
                ],
            ),
        ],
    ),
    (
        "区民政督导",
        Scorer.SUPERVISOR,
        [
            (
                "日常监管",
                False,
                [("信息报送", Decimal(30), S, ""), ("整改落实", Decimal(30), S, "")],
            ),
            ("义工服务", False, [("义工服务时数", Decimal(40), C, "volunteer_hours")]),
        ],
    ),
]
# The finance review 财务审查: a veto of the supervisor branch, scored 1 (passed) or 0.
FINANCE_REVIEW = ("财务审查（一票否决）", Decimal(1))
FINANCE_BRANCH = "区民政督导"


@transaction.atomic
def round_add_city_system(*, actor: User, round: EvaluationRound) -> int:
    """Add the city's 1000-point tree to a draft points round without indicators;
    returns the number of leaves added."""
    require(actor, CHANGE, round)
    if IndicatorGroup.objects.filter(round=round).exists():
        raise ValidationError(_("The round already has indicator groups."))
    added = 0
    for g_position, (branch, scorer, seconds) in enumerate(CITY_SYSTEM):
        group = tree.tree_group_add(
            actor=actor, round=round, name=branch, scorer=scorer, position=g_position
        )
        for position, (name, party, leaves) in enumerate(seconds):
            if len(leaves) == 1 and leaves[0][0] == name:
                parent = None
            else:
                parent = tree.tree_indicator_add(
                    actor=actor,
                    group=group,
                    name=name,
                    points=sum(leaf[1] for leaf in leaves),
                    party_building=party,
                    position=position,
                )
            for l_position, (leaf, points, method, computation) in enumerate(leaves):
                tree.tree_indicator_add(
                    actor=actor,
                    group=group,
                    parent=parent,
                    name=leaf,
                    points=points,
                    method=method,
                    computation=computation,
                    party_building=party and parent is None,
                    position=l_position,
                )
                added += 1
        if branch == FINANCE_BRANCH:
            tree.tree_indicator_add(
                actor=actor,
                group=group,
                name=FINANCE_REVIEW[0],
                points=FINANCE_REVIEW[1],
                veto=Veto.FAIL,
                description="财务审查未通过（0分）则评估结果为不合格。",
                position=len(seconds),
            )
            added += 1
    return added
