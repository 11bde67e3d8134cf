"""Reads of evaluation rounds, sheets, scores, results and inspections, always
through the user's scope. The stage rules (a station sees its scores only once
the round is finalised; an evaluator works only in open rounds) are the models'
`Scope.role_conditions`."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from shegong.core.scope import may, role_condition
from shegong.evaluation import scoring
from shegong.evaluation.models import (
    ROUND_STAGE,
    EvaluationRound,
    Evidence,
    Indicator,
    IndicatorGroup,
    IndicatorScore,
    Inspection,
    Rectification,
    RectificationStatus,
    RoundAssignment,
    RoundStatus,
    Scorer,
    SheetStatus,
    StationEvaluation,
    System,
)
from shegong.evaluation.tree import in_tree_order


def evaluator_station_ids(user: Any) -> list[int]:
    """An evaluator's stations: those of their assignments in open rounds. Draft
    rounds are not yet theirs; finalised rounds no longer are."""
    return list(
        RoundAssignment.objects.filter(evaluator=user, evaluation__round__status=RoundStatus.OPEN)
        .order_by()
        .values_list("evaluation__station_id", flat=True)
        .distinct()
    )


def rounds_visible_to(user: Any) -> QuerySet[EvaluationRound]:
    return (
        EvaluationRound.objects.visible_to(user)
        .filter(role_condition(user, ROUND_STAGE))
        .select_related("district", "city")
    )


def evaluations_visible_to(user: Any) -> QuerySet[StationEvaluation]:
    return StationEvaluation.objects.visible_to(user).select_related(
        "round", "station__street__district", "submitted_by"
    )


def scores_visible_to(user: Any) -> QuerySet[IndicatorScore]:
    return IndicatorScore.objects.visible_to(user).select_related(
        "indicator__group", "evaluation__round", "evaluation__station"
    )


def evidence_visible_to(user: Any) -> QuerySet[Evidence]:
    return Evidence.objects.visible_to(user).select_related("score__evaluation__round")


def groups_of(round: EvaluationRound) -> list[IndicatorGroup]:
    """The round's indicator system (groups with their indicators), in order. The
    system is not secret to anyone who can see the round."""
    groups = list(
        IndicatorGroup.objects.filter(round=round)
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "pk"))
        )
        .order_by("position", "pk")
    )
    for group in groups:
        # A points tree's second-level indicators each followed by their children.
        group.tree = in_tree_order(group.indicators.all())
    return groups


def weight_total(round: EvaluationRound) -> int:
    return sum(g.weight or 0 for g in IndicatorGroup.objects.filter(round=round))


def round_results(user: Any, round: EvaluationRound) -> list[scoring.StationResult]:
    """The results of the sheets of `round` that `user` may see, with their ranks
    among all the round's sheets (ranks need the others' totals, not their names)."""
    groups = groups_of(round)
    every = StationEvaluation.objects.filter(round=round).select_related(
        "station__street__district", "round"
    )
    visible = set(evaluations_visible_to(user).filter(round=round).values_list("pk", flat=True))
    return [r for r in scoring.results(every, groups) if r.evaluation.pk in visible]


def sheet_scores(evaluation: StationEvaluation) -> dict[int, IndicatorScore]:
    """indicator id → score row of a sheet the caller has already been allowed to see."""
    rows = IndicatorScore.objects.filter(evaluation=evaluation).prefetch_related("evidence")
    return {row.indicator_id: row for row in rows}


def evidence_kept_until(round: EvaluationRound) -> datetime.date | None:
    """The last day the round's evidence files are kept (the retention purge,
    privacy.policy "evaluation_evidence", counts from the finalisation); None
    while the round is not finalised (its evidence is on hold)."""
    if round.status != RoundStatus.FINALISED or round.finalised_at is None:
        return None
    finalised = timezone.localtime(round.finalised_at).date()
    return finalised + datetime.timedelta(days=settings.RETENTION_DAYS["evaluation_evidence"])


def assignments_of(round: EvaluationRound) -> QuerySet[RoundAssignment]:
    return RoundAssignment.objects.filter(evaluation__round=round).select_related(
        "evaluation__station", "evaluator"
    )


# --- Inspection ------------------------------------------------------------------


def inspections_visible_to(user: Any) -> QuerySet[Inspection]:
    return Inspection.objects.visible_to(user).select_related(
        "station__street__district", "inspector"
    )


def rectifications_visible_to(user: Any) -> QuerySet[Rectification]:
    return Rectification.objects.visible_to(user).select_related(
        "station__street__district", "owner", "inspection"
    )


def overdue_rectifications(
    user: Any, today: datetime.date | None = None
) -> QuerySet[Rectification]:
    """Rectifications past their due date and not closed, in the user's scope."""
    today = today or timezone.localdate()
    return (
        rectifications_visible_to(user)
        .filter(due_on__lt=today)
        .exclude(status=RectificationStatus.CLOSED)
        .order_by("due_on", "pk")
    )


# --- Work queues (home pages) ----------------------------------------------------


# The branches of a points tree scored by others than the evaluators: the act of
# the scope that allows it, and the scorer of the branch's first-level groups.
_BRANCH_ACTS = (("score_buyer", Scorer.BUYER), ("score_supervisor", Scorer.SUPERVISOR))


def sheets_to_score(user: Any) -> QuerySet[StationEvaluation]:
    """The sheets the user scores, the earliest deadline first: an evaluator's
    (the scope's "score" act: their assignments in open rounds) not yet
    submitted; for the street office (the buyer) and the district supervisor, the
    sheets of open points rounds with their branch, and how much of it is scored."""
    for act, branch in _BRANCH_ACTS:
        if may(user, act, StationEvaluation):
            return (
                StationEvaluation.objects.visible_to(user, act)
                .filter(round__status=RoundStatus.OPEN, round__system=System.POINTS)
                .select_related("round", "station__street__district")
                .annotate(
                    scored=Count(
                        "scores",
                        filter=Q(
                            scores__score__isnull=False,
                            scores__indicator__group__scorer=branch,
                        ),
                    )
                )
                .order_by(F("round__scoring_due_on").asc(nulls_last=True), "station__code", "pk")
            )
    return (
        StationEvaluation.objects.visible_to(user, "score")
        .filter(status=SheetStatus.SCORING, round__status=RoundStatus.OPEN)
        .select_related("round", "station__street__district")
        .annotate(scored=Count("scores", filter=Q(scores__score__isnull=False)))
        .order_by(F("round__scoring_due_on").asc(nulls_last=True), "station__code", "pk")
    )


def sheets_to_reply(user: Any) -> QuerySet[StationEvaluation]:
    """Finalised sheets the user answers for the station (the "reply" act) that
    carry no reply yet."""
    return (
        StationEvaluation.objects.visible_to(user, "reply")
        .filter(director_comment="")
        .select_related("round")
        .order_by("-round__year", "pk")
    )


def rounds_progress(user: Any) -> list[dict[str, Any]]:
    """The open rounds in the user's scope: their sheets in view and how many are
    submitted (one query)."""
    return list(
        StationEvaluation.objects.visible_to(user)
        .filter(round__status=RoundStatus.OPEN)
        .values("round", "round__name", "round__scoring_due_on")
        .annotate(sheets=Count("pk"), submitted=Count("pk", filter=Q(status=SheetStatus.SUBMITTED)))
        .order_by("round__scoring_due_on", "round")
    )


def rectifications_to_answer(user: Any) -> QuerySet[Rectification]:
    """Open rectifications the user answers for the station (the "submit" act),
    the earliest due first."""
    return (
        Rectification.objects.visible_to(user, "submit")
        .filter(status=RectificationStatus.OPEN)
        .select_related("station")
        .order_by("due_on", "pk")
    )
