"""The standard indicator system of a round (Guangzhou's usual five groups), which
the city officer can add to a new round in one step and then adjust while it is a
draft. Names are data, kept in Chinese as the evaluation manuals write them."""

from __future__ import annotations

from decimal import Decimal

from shegong.evaluation.models import Method

# (group name, weight, [(indicator name, max score, weight, method, computation)])
STANDARD_SYSTEM: list[tuple[str, int, list[tuple[str, Decimal, int, str, str]]]] = [
    (
        "服务产出",  # service output
        30,
        [
            ("服务人次完成率", Decimal(10), 2, Method.COMPUTED, "person_times"),
            ("113X项目目标完成情况", Decimal(10), 2, Method.COMPUTED, "project_completion"),
            ("义工服务时数", Decimal(5), 1, Method.COMPUTED, "volunteer_hours"),
        ],
    ),
    (
        "服务质量",  # service quality
        30,
        [
            ("个案结案率", Decimal(10), 1, Method.COMPUTED, "case_closure"),
            ("服务专业性与成效", Decimal(20), 2, Method.SCORED, ""),
        ],
    ),
    (
        "管理",  # management
        15,
        [("制度建设与档案管理", Decimal(10), 1, Method.SCORED, "")],
    ),
    (
        "财务",  # finance
        10,
        [("资金使用规范", Decimal(10), 1, Method.SCORED, "")],
    ),
    (
        "社会评价",  # social evaluation
        15,
        [
            ("服务对象满意度", Decimal(10), 1, Method.COMPUTED, "satisfaction"),
            ("街道及社区评价", Decimal(10), 1, Method.SCORED, ""),
        ],
    ),
]
