"""The city's points tree (评估指标体系, Guangzhou 2019): writes and rules of a
round whose `system` is `points` (docs/architecture.md "Evaluation and inspection").

    level 1  IndicatorGroup  (a branch: scored by one scorer group)
    level 2  Indicator, no parent
    level 3  Indicator whose parent is a level-2 indicator of the same group

Only leaves (indicators without children) are scored or computed; a parent is
worth the points of its children, a group the points of its indicators. The
leaves add up to `POINTS_TOTAL` (1000); party building 党建 is at least
`PARTY_SHARE` of it. A veto indicator (the finance review) adds no points.
Who scores a leaf is its group's `scorer`, asked of the sheet's Scope through
the act of `BRANCH_ACT` (evaluators the professional branch, the street office
the buyer branch, the district officer the supervisor branch).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.access import require
from shegong.core.scope import CHANGE, can
from shegong.evaluation import computed
from shegong.evaluation.models import (
    EvaluationRound,
    Indicator,
    IndicatorGroup,
    Method,
    RoundStatus,
    Scorer,
    StationEvaluation,
    System,
    Veto,
)

POINTS_TOTAL = Decimal(1000)
PARTY_SHARE = Decimal("0.115")

# The sheet's Scope act that lets a user score a branch.
BRANCH_ACT: dict[str, str] = {
    Scorer.PROFESSIONAL: "score",
    Scorer.BUYER: "score_buyer",
    Scorer.SUPERVISOR: "score_supervisor",
}


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _require_draft(round: EvaluationRound) -> None:
    if round.status != RoundStatus.DRAFT:
        raise ValidationError(
            _("The indicator system can only be changed while the round is a draft.")
        )


def _require_points(round: EvaluationRound) -> None:
    if round.system != System.POINTS:
        raise ValidationError(_("This round uses weighted groups, not a points tree."))


@transaction.atomic
def tree_group_add(
    *, actor: User, round: EvaluationRound, name: str, scorer: str, position: int = 0
) -> IndicatorGroup:
    """A first-level indicator of a points tree, scored by `scorer`."""
    require(actor, CHANGE, round)
    _require_draft(round)
    _require_points(round)
    group = IndicatorGroup(round=round, name=name, weight=None, scorer=scorer, position=position)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def tree_indicator_add(
    *,
    actor: User,
    group: IndicatorGroup,
    name: str,
    points: Decimal,
    method: str = Method.SCORED,
    computation: str = "",
    parent: Indicator | None = None,
    party_building: bool = False,
    veto: str = Veto.NONE,
    veto_cap: Decimal | None = None,
    description: str = "",
    position: int = 0,
) -> Indicator:
    """A second-level indicator (no `parent`) or a third-level one of a points
    tree; a leaf is worth `points`. Adding a child makes its parent worth the sum
    of its children."""
    round = group.round
    require(actor, CHANGE, round)
    _require_draft(round)
    _require_points(round)
    if method == Method.COMPUTED and computation not in computed.REGISTRY:
        raise ValidationError({"computation": _("Choose one of the platform's computed figures.")})
    if method == Method.SCORED:
        computation = ""
    if parent is not None:
        if parent.group_id != group.pk:
            raise ValidationError({"parent": _("The parent indicator is in another branch.")})
        if parent.parent_id is not None:
            raise ValidationError({"parent": _("The tree has three levels; this one is the last.")})
        if parent.method != Method.SCORED or parent.veto:
            raise ValidationError(
                {"parent": _("A computed or veto indicator cannot have sub-indicators.")}
            )
    if veto == Veto.CAP and veto_cap is None:
        raise ValidationError({"veto_cap": _("Give the total a failed veto caps the result at.")})
    if veto != Veto.CAP:
        veto_cap = None
    indicator = Indicator(
        group=group,
        parent=parent,
        name=name,
        max_score=points,
        method=method,
        computation=computation,
        party_building=party_building,
        veto=veto,
        veto_cap=veto_cap,
        description=description,
        position=position,
    )
    indicator.full_clean()
    indicator.save()
    if parent is not None:
        parent.max_score = sum(c.max_score for c in parent.children.all())
        parent.save(update_fields=["max_score"])
    return indicator


def leaves(indicators) -> list[Indicator]:
    """The indicators among `indicators` that have no children."""
    indicators = list(indicators)
    parents = {i.parent_id for i in indicators if i.parent_id}
    return [i for i in indicators if i.pk not in parents]


def in_tree_order(indicators) -> list[Indicator]:
    """Second-level indicators, each followed by its children (for display);
    a weighted group's indicators keep their order."""
    indicators = list(indicators)
    children: dict[int, list[Indicator]] = {}
    for i in indicators:
        if i.parent_id:
            children.setdefault(i.parent_id, []).append(i)
    ordered = []
    for i in indicators:
        if not i.parent_id:
            ordered.append(i)
            ordered.extend(children.get(i.pk, ()))
    return ordered


def party_points(indicators) -> Decimal:
    """The points of the party-building leaves (a leaf counts when it or its
    parent is marked)."""
    by_pk = {i.pk: i for i in indicators}
    total = Decimal(0)
    for leaf in leaves(indicators):
        parent = by_pk.get(leaf.parent_id)
        if not leaf.veto and (leaf.party_building or (parent and parent.party_building)):
            total += leaf.max_score
    return total


def tree_validate(round: EvaluationRound) -> None:
    """A points tree is complete: every branch has indicators, the leaves add up
    to 1000 points and party building holds at least 11.5 % of them."""
    groups = list(IndicatorGroup.objects.filter(round=round).prefetch_related("indicators"))
    if not groups:
        raise ValidationError(_("The round has no indicators yet."))
    empty = [g.name for g in groups if not g.indicators.all()]
    if empty:
        raise ValidationError(
            _("These groups have no indicators: %(groups)s.") % {"groups": "、".join(empty)}
        )
    indicators = [i for g in groups for i in g.indicators.all()]
    total = sum((i.max_score for i in leaves(indicators) if not i.veto), Decimal(0))
    if total != POINTS_TOTAL:
        raise ValidationError(
            _("The indicators add up to %(total)s points; they must add up to %(needed)s.")
            % {"total": _plain(total), "needed": _plain(POINTS_TOTAL)}
        )
    party = party_points(indicators)
    if party < POINTS_TOTAL * PARTY_SHARE:
        raise ValidationError(
            _(
                "Party building has %(party)s points; it needs at least 11.5 %% of the "
                "total (%(needed)s)."
            )
            % {"party": _plain(party), "needed": _plain(POINTS_TOTAL * PARTY_SHARE)}
        )


# --- Who scores which branch -------------------------------------------------------


def round_branches(round: EvaluationRound) -> set[str]:
    return set(IndicatorGroup.objects.filter(round=round).values_list("scorer", flat=True))


def branches_of(user, sheet: StationEvaluation) -> set[str]:
    """The branches of the sheet's round that `user` may score on it (its Scope
    acts; scores are only accepted while the round is open)."""
    return {
        branch for branch in round_branches(sheet.round) if can(user, BRANCH_ACT[branch], sheet)
    }


def require_some_branch(user, sheet: StationEvaluation) -> None:
    """Whoever posts a score or a file scores some branch of the sheet (views ask
    before reading the body)."""
    if not branches_of(user, sheet):
        raise PermissionDenied(_("Only the evaluators assigned to this station score it."))


def require_branch(user, sheet: StationEvaluation, indicator: Indicator) -> None:
    """The indicator's branch is the user's: 404 outside their scope, 403 for
    another group's branch."""
    branch = indicator.group.scorer
    require(
        user,
        BRANCH_ACT[branch],
        sheet,
        message=_("This indicator belongs to the %(branch)s branch; you do not score it.")
        % {"branch": Scorer(branch).label},
    )
