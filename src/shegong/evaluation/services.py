"""Writes of evaluation rounds, their indicator system and the stations' scoring:
one keyword-only function per action and one per state transition, each
refusing what the rules forbid with a message. Inspections and rectification
are in `evaluation.inspections`.

Round:  draft ─open→ open ─finalise→ finalised
Sheet:  scoring ─submit→ submitted (scores locked)
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.access import ensure_visible, require, require_at
from shegong.core.scope import CHANGE, CREATE, can, may
from shegong.evaluation import computed, tree
from shegong.evaluation.guards import bump, check_version, locked
from shegong.evaluation.models import (
    EvaluationRound,
    Evidence,
    Indicator,
    IndicatorGroup,
    IndicatorScore,
    Method,
    RoundAssignment,
    RoundKind,
    RoundStatus,
    SheetStatus,
    StationEvaluation,
    System,
)
from shegong.evaluation.uploads import check_upload
from shegong.org.models import City, District, Station

WEIGHT_TOTAL = 100


def _plain(value: Decimal) -> str:
    """10.00 → "10", 4.50 → "4.5" (never "1E+1")."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _stations_of(round: EvaluationRound):
    stations = Station.objects.filter(is_active=True, street__district__city=round.city)
    if round.district_id:
        stations = stations.filter(street__district_id=round.district_id)
    return stations


# --- Rounds and the indicator system ---------------------------------------------


@transaction.atomic
def round_create(
    *,
    actor: User,
    name: str,
    kind: str,
    year: int,
    city: City | None = None,
    district: District | None = None,
    month_from: int | None = None,
    month_to: int | None = None,
    scoring_due_on: datetime.date | None = None,
    system: str = System.WEIGHTED,
) -> EvaluationRound:
    """A new round in draft (weighted groups, or the city's points tree). A
    mid-term round covers January–June by default, a final round the whole year."""
    require_at(
        actor, CREATE, EvaluationRound, None, message=_("Only the city officer creates rounds.")
    )
    if month_from is None:
        month_from = 1
    if month_to is None:
        month_to = 6 if kind == RoundKind.MID_TERM else 12
    city = city or actor.city or (district.city if district else None)
    round = EvaluationRound(
        name=name,
        kind=kind,
        year=year,
        city=city,
        district=district,
        month_from=month_from,
        month_to=month_to,
        scoring_due_on=scoring_due_on,
        system=system,
        created_by=actor,
    )
    round.full_clean()
    if district is not None and district.city_id != round.city_id:
        raise ValidationError({"district": _("The district is not in the round's city.")})
    round.save()
    ensure_visible(actor, round)
    return round


def _require_draft(round: EvaluationRound) -> None:
    if round.status != RoundStatus.DRAFT:
        raise ValidationError(
            _("The indicator system can only be changed while the round is a draft.")
        )


@transaction.atomic
def indicator_group_add(
    *, actor: User, round: EvaluationRound, name: str, weight: int, position: int = 0
) -> IndicatorGroup:
    require(actor, CHANGE, round)
    _require_draft(round)
    if round.system == System.POINTS:
        raise ValidationError(_("A points tree has branches with a scorer, not weights."))
    group = IndicatorGroup(round=round, name=name, weight=weight, position=position)
    group.full_clean()
    total = weight_total_without(round) + weight
    if total > WEIGHT_TOTAL:
        raise ValidationError(
            {
                "weight": _("The group weights would add up to %(total)s; they must add up to 100.")
                % {"total": total}
            }
        )
    group.save()
    return group


def weight_total_without(round: EvaluationRound, group: IndicatorGroup | None = None) -> int:
    groups = IndicatorGroup.objects.filter(round=round)
    if group is not None:
        groups = groups.exclude(pk=group.pk)
    return sum(w or 0 for w in groups.values_list("weight", flat=True))


@transaction.atomic
def indicator_add(
    *,
    actor: User,
    group: IndicatorGroup,
    name: str,
    max_score: Decimal,
    method: str,
    weight: int = 1,
    computation: str = "",
    description: str = "",
    position: int = 0,
) -> Indicator:
    require(actor, CHANGE, group.round)
    _require_draft(group.round)
    if group.round.system == System.POINTS:
        raise ValidationError(_("A points tree's indicators are added with their points."))
    if method == Method.COMPUTED and computation not in computed.REGISTRY:
        raise ValidationError({"computation": _("Choose one of the platform's computed figures.")})
    if method == Method.SCORED:
        computation = ""
    indicator = Indicator(
        group=group,
        name=name,
        max_score=max_score,
        method=method,
        weight=weight,
        computation=computation,
        description=description,
        position=position,
    )
    indicator.full_clean()
    indicator.save()
    return indicator


def round_validate(round: EvaluationRound) -> None:
    """The indicator system is complete: weights add up to 100, every group has
    an indicator (a points tree: `tree.tree_validate`)."""
    if round.system == System.POINTS:
        tree.tree_validate(round)
        return
    groups = list(IndicatorGroup.objects.filter(round=round).prefetch_related("indicators"))
    total = sum(g.weight for g in groups)
    if total != WEIGHT_TOTAL:
        raise ValidationError(
            _("The group weights add up to %(total)s; they must add up to 100.") % {"total": total}
        )
    empty = [g.name for g in groups if not g.indicators.all()]
    if empty:
        raise ValidationError(
            _("These groups have no indicators: %(groups)s.") % {"groups": "、".join(empty)}
        )


def _sheet(round: EvaluationRound, station: Station) -> StationEvaluation:
    sheet, _created = StationEvaluation.objects.get_or_create(round=round, station=station)
    return sheet


@transaction.atomic
def round_open(
    *, actor: User, round: EvaluationRound, version: int | None = None
) -> EvaluationRound:
    """draft → open: checks the indicator system, makes a sheet for every active
    station of the round's area and fills in the computed indicators."""
    require(actor, CHANGE, round)
    round = locked(EvaluationRound, round.pk)
    check_version(round, version)
    if round.status != RoundStatus.DRAFT:
        raise ValidationError(
            _("Only a draft round can be opened; this one is %(status)s.")
            % {"status": round.get_status_display()}
        )
    round_validate(round)
    for station in _stations_of(round):
        _sheet(round, station)
    round.status = RoundStatus.OPEN
    round.opened_at = timezone.now()
    bump(round)
    round.save()
    round.refresh_from_db()
    for sheet in StationEvaluation.objects.filter(round=round).select_related("station", "round"):
        sheet_compute(sheet)
    return round


def sheet_compute(sheet: StationEvaluation) -> int:
    """(Re)fill the computed indicators of a sheet still being scored from the
    platform's figures; returns how many were written."""
    if sheet.status != SheetStatus.SCORING:
        return 0
    period = computed.Period(sheet.round.year, sheet.round.month_from, sheet.round.month_to)
    indicators = Indicator.objects.filter(group__round=sheet.round, method=Method.COMPUTED)
    written = 0
    for indicator in indicators:
        figure = computed.compute(indicator.computation, sheet.station, period, sheet=sheet)
        IndicatorScore.objects.update_or_create(
            evaluation=sheet,
            indicator=indicator,
            defaults={
                "value": figure.ratio,
                "score": computed.score_from_ratio(figure.ratio, indicator.max_score),
                "note": figure.detail,
                "scored_by": None,
                "scored_at": timezone.now(),
            },
        )
        written += 1
    return written


@transaction.atomic
def round_compute(*, actor: User, round: EvaluationRound) -> int:
    """Refresh the computed indicators of every sheet still being scored."""
    require(actor, CHANGE, round)
    if round.status != RoundStatus.OPEN:
        raise ValidationError(_("Computed indicators are refreshed only while the round is open."))
    sheets = StationEvaluation.objects.filter(round=round, status=SheetStatus.SCORING)
    return sum(sheet_compute(s) for s in sheets.select_related("station", "round"))


@transaction.atomic
def round_assign(
    *, actor: User, round: EvaluationRound, station: Station, evaluator: User
) -> RoundAssignment:
    """Assign an evaluator to a station of the round (draft or open)."""
    require(actor, CHANGE, round)
    if round.status == RoundStatus.FINALISED:
        raise ValidationError(_("The round is finalised; its assignments are closed."))
    if not may(evaluator, "score", StationEvaluation):
        raise ValidationError({"evaluator": _("Choose an active evaluator account.")})
    if not _stations_of(round).filter(pk=station.pk).exists():
        raise ValidationError({"station": _("The station is not in the round's area.")})
    sheet = _sheet(round, station)
    if round.status == RoundStatus.OPEN:
        sheet_compute(StationEvaluation.objects.select_related("station", "round").get(pk=sheet.pk))
    assignment = RoundAssignment(evaluation=sheet, evaluator=evaluator)
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def round_unassign(*, actor: User, assignment: RoundAssignment) -> None:
    require(actor, CHANGE, assignment.evaluation.round)
    if assignment.evaluation.round.status == RoundStatus.FINALISED:
        raise ValidationError(_("The round is finalised; its assignments are closed."))
    assignment.delete()


@transaction.atomic
def round_finalise(
    *, actor: User, round: EvaluationRound, version: int | None = None
) -> EvaluationRound:
    """open → finalised, by the city officer, once every sheet is submitted."""
    # The role first (403 whatever the round), then the round itself.
    require_at(
        actor,
        "finalise",
        EvaluationRound,
        None,
        message=_("Only the city officer finalises a round."),
    )
    require(actor, CHANGE, round)
    round = locked(EvaluationRound, round.pk)
    check_version(round, version)
    if round.status != RoundStatus.OPEN:
        raise ValidationError(
            _("Only an open round can be finalised; this one is %(status)s.")
            % {"status": round.get_status_display()}
        )
    pending = StationEvaluation.objects.filter(round=round, status=SheetStatus.SCORING).count()
    if pending:
        raise ValidationError(
            _("%(count)s station(s) have not been submitted yet.") % {"count": pending}
        )
    round.status = RoundStatus.FINALISED
    round.finalised_by = actor
    round.finalised_at = timezone.now()
    bump(round)
    round.save()
    round.refresh_from_db()
    return round


# --- Scoring ---------------------------------------------------------------------


def require_assigned_evaluator(actor: User, sheet: StationEvaluation) -> None:
    """Only an evaluator assigned to the sheet scores it (views call this before
    reading the body)."""
    if not (
        may(actor, "score", StationEvaluation)
        and RoundAssignment.objects.filter(evaluation=sheet, evaluator=actor).exists()
    ):
        raise PermissionDenied(_("Only the evaluators assigned to this station score it."))


def require_sheet_scorer(actor: User, sheet: StationEvaluation) -> None:
    """Whoever scores some branch of the sheet (a points tree: the evaluators,
    the street office, the district officer; weighted groups: the assigned
    evaluators). Views call this before reading the body."""
    if sheet.round.system == System.POINTS:
        tree.require_some_branch(actor, sheet)
    else:
        require_assigned_evaluator(actor, sheet)


def _require_open_sheet(sheet: StationEvaluation) -> None:
    if sheet.round.status != RoundStatus.OPEN:
        raise ValidationError(_("The round is not open for scoring."))
    if sheet.status != SheetStatus.SCORING:
        raise ValidationError(_("This station's scores were submitted and are locked."))


def _require_indicator_scorer(actor: User, sheet: StationEvaluation, indicator: Indicator) -> None:
    """The indicator is of the sheet's round, and its branch is the actor's."""
    if indicator.group.round_id != sheet.round_id:
        raise ValidationError({"indicator": _("The indicator is not part of this round.")})
    if sheet.round.system == System.POINTS:
        tree.require_branch(actor, sheet, indicator)
        _require_open_sheet(sheet)
    else:
        _require_scorer(actor, sheet)


def _require_scorer(actor: User, sheet: StationEvaluation) -> None:
    """Only an evaluator assigned to the sheet scores it, while it is open."""
    require_assigned_evaluator(actor, sheet)
    if sheet.round.status != RoundStatus.OPEN:
        raise ValidationError(_("The round is not open for scoring."))
    if sheet.status != SheetStatus.SCORING:
        raise ValidationError(_("This station's scores were submitted and are locked."))


@transaction.atomic
def score_set(
    *,
    actor: User,
    evaluation: StationEvaluation,
    indicator: Indicator,
    score: Decimal,
    note: str = "",
) -> IndicatorScore:
    """An evaluator's score for a scored indicator, within [0, max score]."""
    sheet = (
        StationEvaluation.objects.select_for_update().select_related("round").get(pk=evaluation.pk)
    )
    _require_indicator_scorer(actor, sheet, indicator)
    if indicator.method != Method.SCORED:
        raise ValidationError(
            {"indicator": _("This indicator is computed from the platform's data.")}
        )
    if indicator.children.exists():
        raise ValidationError(
            {"indicator": _("This indicator is scored through its sub-indicators.")}
        )
    if score is None or score < 0 or score > indicator.max_score:
        raise ValidationError(
            {
                "score": _("The score must be between 0 and %(max)s.")
                % {"max": _plain(indicator.max_score)}
            }
        )
    row, _created = IndicatorScore.objects.update_or_create(
        evaluation=sheet,
        indicator=indicator,
        defaults={
            "score": Decimal(score),
            "note": note,
            "scored_by": actor,
            "scored_at": timezone.now(),
        },
    )
    row.full_clean()
    return row


@transaction.atomic
def evidence_add(
    *, actor: User, evaluation: StationEvaluation, indicator: Indicator, file: UploadedFile
) -> Evidence:
    """Attach a checked file to an indicator's score (made empty if needed)."""
    sheet = (
        StationEvaluation.objects.select_for_update().select_related("round").get(pk=evaluation.pk)
    )
    _require_indicator_scorer(actor, sheet, indicator)
    # Evidence files are the evaluators' (the buyer and the supervisor score without).
    require_at(
        actor,
        CREATE,
        Evidence,
        None,
        message=_("Only the evaluators attach evidence files."),
    )
    checked = check_upload(file)
    row, _created = IndicatorScore.objects.get_or_create(evaluation=sheet, indicator=indicator)
    evidence = Evidence(
        score=row,
        stored_name=checked.stored_name,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    evidence.file.save(checked.stored_name, file, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evaluation_submit(
    *, actor: User, evaluation: StationEvaluation, version: int | None = None
) -> StationEvaluation:
    """scoring → submitted: every scored indicator has a score; computed ones are
    refreshed one last time; from now on the sheet's scores are locked."""
    sheet = (
        StationEvaluation.objects.select_for_update()
        .select_related("round", "station")
        .get(pk=evaluation.pk)
    )
    _require_scorer(actor, sheet)
    check_version(sheet, version)
    sheet_compute(sheet)
    missing = Indicator.objects.filter(
        group__round=sheet.round, method=Method.SCORED, children__isnull=True
    ).exclude(scores__evaluation=sheet, scores__score__isnull=False)
    if missing.exists():
        names = "、".join(missing.values_list("name", flat=True)[:5])
        raise ValidationError(
            _("Score every indicator before submitting. Missing: %(names)s.") % {"names": names}
        )
    sheet.status = SheetStatus.SUBMITTED
    sheet.submitted_by = actor
    sheet.submitted_at = timezone.now()
    bump(sheet)
    sheet.save()
    sheet.refresh_from_db()
    return sheet


def require_replier(actor: User, sheet: StationEvaluation) -> None:
    """Only the station's director replies (views call this before the body)."""
    if not can(actor, "reply", sheet):
        raise PermissionDenied(_("Only the station's director replies to its evaluation."))


def _require_station_director(actor: User, sheet: StationEvaluation) -> None:
    require_replier(actor, sheet)
    if sheet.round.status != RoundStatus.FINALISED:
        raise ValidationError(_("Replies are possible once the round is finalised."))


@transaction.atomic
def evaluation_reply(
    *,
    actor: User,
    evaluation: StationEvaluation,
    text: str,
    indicator: Indicator | None = None,
) -> StationEvaluation | IndicatorScore:
    """The station director's comment on the whole evaluation or on one indicator."""
    sheet = (
        StationEvaluation.objects.select_for_update().select_related("round").get(pk=evaluation.pk)
    )
    _require_station_director(actor, sheet)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a comment.")})
    if indicator is None:
        sheet.director_comment = text
        sheet.full_clean()
        sheet.save(update_fields=["director_comment", "updated_at"])
        return sheet
    if indicator.group.round_id != sheet.round_id:
        raise ValidationError({"indicator": _("The indicator is not part of this round.")})
    row, _created = IndicatorScore.objects.get_or_create(evaluation=sheet, indicator=indicator)
    row.director_reply = text
    row.save(update_fields=["director_reply"])
    return row


@transaction.atomic
def round_add_standard_system(*, actor: User, round: EvaluationRound) -> int:
    """Add the standard indicator system (`standard.STANDARD_SYSTEM`) to a draft
    round that has none yet; returns the number of indicators added."""
    from shegong.evaluation.standard import STANDARD_SYSTEM

    require(actor, CHANGE, round)
    _require_draft(round)
    if IndicatorGroup.objects.filter(round=round).exists():
        raise ValidationError(_("The round already has indicator groups."))
    added = 0
    for g_position, (group_name, weight, indicators) in enumerate(STANDARD_SYSTEM):
        group = indicator_group_add(
            actor=actor, round=round, name=group_name, weight=weight, position=g_position
        )
        for position, (name, max_score, i_weight, method, computation) in enumerate(indicators):
            indicator_add(
                actor=actor,
                group=group,
                name=name,
                max_score=max_score,
                weight=i_weight,
                method=method,
                computation=computation,
                position=position,
            )
            added += 1
    return added
