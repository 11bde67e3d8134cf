"""Weighted totals, grades and rankings of a round (docs/architecture.md).

For a station's sheet, with indicator i of group g scoring s_i out of max M_i
with weight w_i, and group weight W_g (the groups' weights sum to 100):

    group score  G_g = W_g × Σ(w_i × s_i / M_i) / Σ w_i
    total        T   = Σ_g G_g               (0–100)

An indicator without a score (no data) counts as 0. Group scores and the total are
rounded to 0.01, half up; the total is rounded once, from the unrounded groups.
Grades by `GRADE_THRESHOLDS`; ranks are competition ranks (1, 1, 3) by total,
within the district and within the round.

A points tree (`System.POINTS`, evaluation.tree) adds points instead:

    branch (level 1)  P_g = Σ s_i over the scored leaves i of the branch
    scorer group      P_k = Σ P_g over the branches scored by k
    total             T   = Σ_g P_g                  (0–1000)

A veto indicator adds nothing; scored below its maximum (or not scored) it is
failed: a "fail" veto makes the grade 不合格 and ranks the station after every
station without a failed veto, a "cap" veto caps the total at its `veto_cap`.
The grade reads the total as a share of the tree's points (900 of 1000 = 90).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from shegong.evaluation.models import (
    IndicatorGroup,
    IndicatorScore,
    Scorer,
    StationEvaluation,
    System,
    Veto,
)

CENT = Decimal("0.01")

# 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格 < 60 (the usual Guangzhou grading).
GRADE_THRESHOLDS: tuple[tuple[Decimal, str, object], ...] = (
    (Decimal(90), "excellent", _("Excellent")),
    (Decimal(80), "good", _("Good")),
    (Decimal(60), "pass", _("Pass")),
    (Decimal(0), "fail", _("Fail")),
)


def grade(total: Decimal) -> tuple[str, object]:
    """The grade code and label of a total score."""
    for threshold, code, label in GRADE_THRESHOLDS:
        if total >= threshold:
            return code, label
    return GRADE_THRESHOLDS[-1][1], GRADE_THRESHOLDS[-1][2]


def group_score(group: IndicatorGroup, scores: dict[int, Decimal | None]) -> Decimal:
    """G_g unrounded, from the group's indicators and a map indicator id → score."""
    indicators = list(group.indicators.all())
    total_weight = sum(i.weight for i in indicators)
    if not total_weight:
        return Decimal(0)
    earned = sum(
        Decimal(i.weight) * (scores.get(i.pk) or Decimal(0)) / i.max_score for i in indicators
    )
    return Decimal(group.weight) * earned / total_weight


@dataclass
class StationResult:
    evaluation: StationEvaluation
    groups: list[tuple[IndicatorGroup, Decimal]] = field(default_factory=list)
    total: Decimal = Decimal(0)
    grade: str = ""
    grade_label: object = ""
    rank_round: int = 0
    rank_district: int = 0
    # Points tree: the points per scorer group, the total the tree is out of,
    # and the failed veto indicators.
    scorers: dict[str, Decimal] = field(default_factory=dict)
    out_of: Decimal = Decimal(100)
    vetoed: list[str] = field(default_factory=list)
    vetoed_fail: bool = False

    @property
    def scorer_rows(self) -> list[tuple[object, Decimal]]:
        return [(Scorer(code).label, value) for code, value in self.scorers.items()]

    @property
    def station(self):
        return self.evaluation.station


def _competition_ranks(results: list[StationResult], attr: str) -> None:
    ordered = sorted(results, key=lambda r: (r.vetoed_fail, -r.total, r.station.code))
    previous, rank = None, 0
    for position, result in enumerate(ordered, start=1):
        key = (result.vetoed_fail, result.total)
        if key != previous:
            rank, previous = position, key
        setattr(result, attr, rank)


def _points_result(
    sheet: StationEvaluation, groups: list[IndicatorGroup], scores: dict[int, Decimal | None]
) -> StationResult:
    result = StationResult(evaluation=sheet)
    out_of = Decimal(0)
    cap: Decimal | None = None
    for group in groups:
        indicators = list(group.indicators.all())
        parents = {i.parent_id for i in indicators if i.parent_id}
        points = Decimal(0)
        for leaf in (i for i in indicators if i.pk not in parents):
            score = scores.get(leaf.pk)
            if leaf.veto:
                if score is None or score < leaf.max_score:
                    result.vetoed.append(leaf.name)
                    if leaf.veto == Veto.FAIL:
                        result.vetoed_fail = True
                    elif leaf.veto_cap is not None:
                        cap = leaf.veto_cap if cap is None else min(cap, leaf.veto_cap)
                continue
            out_of += leaf.max_score
            points += score or Decimal(0)
        points = points.quantize(CENT, ROUND_HALF_UP)
        result.groups.append((group, points))
        result.scorers[group.scorer] = result.scorers.get(group.scorer, Decimal(0)) + points
        result.total += points
    if cap is not None and result.total > cap:
        result.total = cap
    result.out_of = out_of
    share = result.total * 100 / out_of if out_of else Decimal(0)
    result.grade, result.grade_label = grade(Decimal(0) if result.vetoed_fail else share)
    return result


def results(
    evaluations: Iterable[StationEvaluation], groups: list[IndicatorGroup]
) -> list[StationResult]:
    """Totals, grades and ranks of the given sheets (all of one round), sorted by
    rank. Ranks are among the sheets given, so callers pass the round's sheets
    and narrow the list for display afterwards."""
    sheets = list(evaluations)
    scores: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for row in IndicatorScore.objects.filter(evaluation__in=sheets).values(
        "evaluation_id", "indicator_id", "score"
    ):
        scores[row["evaluation_id"]][row["indicator_id"]] = row["score"]
    out = []
    points = bool(sheets) and sheets[0].round.system == System.POINTS
    for sheet in sheets:
        if points:
            out.append(_points_result(sheet, groups, scores[sheet.pk]))
            continue
        result = StationResult(evaluation=sheet)
        unrounded = Decimal(0)
        for group in groups:
            value = group_score(group, scores[sheet.pk])
            unrounded += value
            result.groups.append((group, value.quantize(CENT, ROUND_HALF_UP)))
        result.total = unrounded.quantize(CENT, ROUND_HALF_UP)
        result.grade, result.grade_label = grade(result.total)
        out.append(result)
    _competition_ranks(out, "rank_round")
    by_district: dict[int, list[StationResult]] = defaultdict(list)
    for result in out:
        by_district[result.station.street.district_id].append(result)
    for members in by_district.values():
        _competition_ranks(members, "rank_district")
    return sorted(out, key=lambda r: (r.rank_round, r.station.code))
