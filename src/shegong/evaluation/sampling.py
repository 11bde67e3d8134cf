"""Sampling and verification by the evaluators (抽样回访, docs/evaluation.md).

The population of a station is its clients on a day (residents with an open
classification 服务对象 there and a phone number), each in one stratum:
domain × priority/general (重点/一般), a resident with several classifications
in the first of their priority ones, else the first in domain order. The sizes
(e.g. 50 calls and 10 visits) are split over the chosen strata in proportion to
their populations (largest remainders; ties to the earlier stratum), the visits
over what the calls left. Inside a stratum the residents are ordered by their
record number and drawn with `random.Random(seed).sample`: the same seed and the
same clients give the same sample.

An entry is reached / refused / wrong number / no answer; a reached resident
answers the five awareness items (knowing at least 3 is aware) and the
satisfaction question (4–5 of 5 is satisfied, as in the surveys).
"""

from __future__ import annotations

import datetime
import random
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.clients.models import BASIC_DOMAINS, ClientCategory, ClientStatus
from shegong.core.access import require
from shegong.core.models import AccessLog, Domain
from shegong.evaluation import computed
from shegong.evaluation.models import (
    Indicator,
    IndicatorScore,
    Method,
    RoundAssignment,
    RoundStatus,
    SheetStatus,
    StationEvaluation,
)
from shegong.evaluation.sample_models import (
    AWARE_AT,
    AWARENESS_ITEMS,
    CallOutcome,
    ClientSample,
    SampleEntry,
    SampleMethod,
)

CATEGORIES = (ClientCategory.PRIORITY, ClientCategory.GENERAL)
# Every stratum, in order: (domain, category).
STRATA: tuple[tuple[str, str], ...] = tuple((d, c) for d in BASIC_DOMAINS for c in CATEGORIES)
MAX_SIZE = 500
SAMPLE_CODES = ("sample_awareness", "sample_satisfaction")


def stratum_key(domain: str, category: str) -> str:
    return f"{domain}:{category}"


def stratum_label(domain: str, category: str) -> str:
    return f"{Domain(domain).label}·{ClientCategory(category).label}"


def masked(name: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧**明: enough to greet the right person."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name or "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# --- The population and the allocation -----------------------------------------------


def population(station, on: datetime.date) -> dict[tuple[str, str], list[tuple[int, str]]]:
    """The station's clients on `on` with a phone number, per stratum: lists of
    (resident pk, name) in record order."""
    statuses = (
        ClientStatus.objects.filter(
            station=station,
            started_on__lte=on,
            resident__merged_into__isnull=True,
            resident__station=station,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .exclude(resident__phone="")
        .values_list("resident_id", "resident__name", "domain", "category")
    )
    order = {key: n for n, key in enumerate(STRATA)}
    best: dict[int, tuple[tuple[int, int], str]] = {}
    for resident_id, name, domain, category in statuses:
        rank = order.get((domain, category))
        if rank is None:
            continue
        # Priority first, then domain order.
        key = (0 if category == ClientCategory.PRIORITY else 1, rank)
        if resident_id not in best or key < best[resident_id][0]:
            best[resident_id] = (key, name)
    strata: dict[tuple[str, str], list[tuple[int, str]]] = {key: [] for key in STRATA}
    for resident_id in sorted(best):
        (_priority, rank), name = best[resident_id]
        strata[STRATA[rank]].append((resident_id, name))
    return strata


def allocate(size: int, capacities: list[int]) -> list[int]:
    """`size` split over strata in proportion to `capacities` (largest remainder,
    ties to the earlier stratum), never more than a stratum's capacity."""
    total = sum(capacities)
    if size > total:
        raise ValueError("size larger than the population")
    shares = [Decimal(size) * c / total if total else Decimal(0) for c in capacities]
    counts = [int(s) for s in shares]
    order = sorted(range(len(capacities)), key=lambda i: (-(shares[i] - counts[i]), i))
    left = size - sum(counts)
    while left:
        for i in order:
            if left and counts[i] < capacities[i]:
                counts[i] += 1
                left -= 1
    return counts


@dataclass(frozen=True)
class Draw:
    strata: list[dict]
    entries: list[tuple[str, tuple[str, str], int, str]]  # method, stratum, resident, name
    population: int


def draw(
    strata_population: dict[tuple[str, str], list[tuple[int, str]]],
    chosen: list[tuple[str, str]],
    calls: int,
    visits: int,
    seed: int,
) -> Draw:
    """The sample itself (pure: no database), refusing what cannot be drawn."""
    empty = [stratum_label(*key) for key in chosen if not strata_population.get(key)]
    if empty:
        raise ValidationError(
            {
                "strata": _("These strata have no clients at the station: %(strata)s.")
                % {"strata": "、".join(empty)}
            }
        )
    sizes = [len(strata_population[key]) for key in chosen]
    total = sum(sizes)
    if calls + visits > total:
        raise ValidationError(
            {
                "calls": _(
                    "The sample (%(size)s) is larger than the population: the chosen strata "
                    "have %(total)s clients with a phone number."
                )
                % {"size": calls + visits, "total": total}
            }
        )
    rng = random.Random(seed)
    call_counts = allocate(calls, sizes)
    visit_counts = allocate(visits, [s - c for s, c in zip(sizes, call_counts, strict=True)])
    strata, entries = [], []
    for key, size, n_calls, n_visits in zip(chosen, sizes, call_counts, visit_counts, strict=True):
        drawn = rng.sample(strata_population[key], n_calls + n_visits)
        for n, (resident_id, name) in enumerate(drawn):
            method = SampleMethod.CALL if n < n_calls else SampleMethod.VISIT
            entries.append((method, key, resident_id, name))
        strata.append(
            {
                "domain": key[0],
                "category": key[1],
                "population": size,
                "calls": n_calls,
                "visits": n_visits,
            }
        )
    # Calls first, then visits; each in stratum order.
    entries.sort(key=lambda e: e[0] != SampleMethod.CALL)
    return Draw(strata=strata, entries=entries, population=total)


# --- Who acts -------------------------------------------------------------------------


def require_sampler(actor: User, sheet: StationEvaluation) -> None:
    """An evaluator assigned to the sheet (its Scope's act `sample`), 404 outside
    their scope, 403 for a reader."""
    message = _("Only the evaluators assigned to this station verify its clients.")
    require(actor, "sample", sheet, message=message)
    if not RoundAssignment.objects.filter(evaluation=sheet, evaluator=actor).exists():
        raise PermissionDenied(message)


def _require_open(sheet: StationEvaluation) -> None:
    if sheet.round.status != RoundStatus.OPEN:
        raise ValidationError(_("The round is not open for scoring."))
    if sheet.status != SheetStatus.SCORING:
        raise ValidationError(_("This station's scores were submitted and are locked."))


def _sheet_locked(pk: int) -> StationEvaluation:
    return (
        StationEvaluation.objects.select_for_update().select_related("round", "station").get(pk=pk)
    )


# --- Writes ---------------------------------------------------------------------------


@transaction.atomic
def sample_draw(
    *,
    actor: User,
    evaluation: StationEvaluation,
    calls: int,
    visits: int,
    strata: list[tuple[str, str]] | None = None,
    seed: int | None = None,
) -> ClientSample:
    """Draw and store the sample of a sheet (once per sheet)."""
    sheet = _sheet_locked(evaluation.pk)
    require_sampler(actor, sheet)
    _require_open(sheet)
    if ClientSample.objects.filter(evaluation=sheet).exists():
        raise ValidationError(_("The station's sample is already drawn."))
    for name, value in (("calls", calls), ("visits", visits)):
        if value is None or value < 0 or value > MAX_SIZE:
            raise ValidationError(
                {name: _("Give a number between 0 and %(max)s.") % {"max": MAX_SIZE}}
            )
    if calls + visits == 0:
        raise ValidationError({"calls": _("The sample needs at least one call or visit.")})
    if seed is None:
        seed = secrets.randbelow(2**31)
    if seed < 0 or seed >= 2**63:
        raise ValidationError({"seed": _("The seed is a whole number from 0.")})
    round_end = computed.Period(sheet.round.year, sheet.round.month_from, sheet.round.month_to)
    as_of = min(round_end.ends_on, timezone.localdate())
    clients = population(sheet.station, as_of)
    if strata:
        chosen = [tuple(s) for s in strata]
        if any(s not in STRATA for s in chosen) or len(set(chosen)) != len(chosen):
            raise ValidationError({"strata": _("Choose strata of the list, each once.")})
        chosen = [s for s in STRATA if s in chosen]
    else:
        # Every stratum the station has clients in.
        chosen = [s for s in STRATA if clients[s]]
        if not chosen:
            raise ValidationError(_("The station has no clients with a phone number to sample."))
    result = draw(clients, chosen, calls, visits, seed)
    sample = ClientSample(
        evaluation=sheet,
        seed=seed,
        calls=calls,
        visits=visits,
        as_of=as_of,
        population=result.population,
        strata=result.strata,
        drawn_by=actor,
    )
    sample.full_clean()
    sample.save()
    SampleEntry.objects.bulk_create(
        SampleEntry(
            sample=sample,
            resident_id=resident_id,
            position=n,
            method=method,
            domain=key[0],
            category=key[1],
            label=masked(name),
        )
        for n, (method, key, resident_id, name) in enumerate(result.entries, start=1)
    )
    return sample


def _entry_sheet(actor: User, entry: SampleEntry) -> StationEvaluation:
    sheet = _sheet_locked(entry.sample.evaluation_id)
    require_sampler(actor, sheet)
    _require_open(sheet)
    return sheet


@transaction.atomic
def entry_reveal_phone(*, actor: User, entry: SampleEntry, ip: str | None = None) -> str:
    """The phone number of a sampled client, for the assigned evaluator while the
    round is open; every reveal is written to the access log."""
    sheet = _entry_sheet(actor, entry)
    resident = entry.resident
    if resident is None or not resident.phone:
        raise ValidationError(_("This client's record no longer has a phone number."))
    AccessLog.objects.create(
        user=actor,
        role=actor.role,
        ip=ip,
        action=AccessLog.Action.REVEAL_PHONE,
        station_id=sheet.station_id,
        object_type=resident._meta.model_name,
        object_id=resident.pk,
        object_label=entry.label,
    )
    return resident.phone


@transaction.atomic
def entry_record(
    *,
    actor: User,
    entry: SampleEntry,
    outcome: str,
    known: list[str] | tuple[str, ...] = (),
    satisfaction: int | None = None,
    note: str = "",
) -> SampleEntry:
    """The outcome of a call or visit, with the answers of a reached resident;
    refreshes the sheet's sample indicators."""
    sheet = _entry_sheet(actor, entry)
    entry = SampleEntry.objects.select_for_update().get(pk=entry.pk)
    if outcome not in CallOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the call.")})
    unknown = [k for k in known if k not in AWARENESS_ITEMS]
    if unknown:
        raise ValidationError({"known": _("Choose awareness items of the list.")})
    if outcome != CallOutcome.REACHED and (known or satisfaction is not None):
        raise ValidationError(_("Answers are recorded only for a resident who was reached."))
    entry.outcome = outcome
    for item in AWARENESS_ITEMS:
        setattr(entry, item, item in known)
    entry.satisfaction = satisfaction
    entry.note = (note or "").strip()
    entry.recorded_by = actor
    entry.recorded_at = timezone.now()
    entry.full_clean()
    entry.save()
    sample_indicators_refresh(sheet)
    return entry


def sample_indicators_refresh(sheet: StationEvaluation) -> int:
    """Re-fill the sheet's indicators computed from the sample (the others stay)."""
    if sheet.status != SheetStatus.SCORING:
        return 0
    period = computed.Period(sheet.round.year, sheet.round.month_from, sheet.round.month_to)
    written = 0
    for indicator in Indicator.objects.filter(
        group__round=sheet.round, method=Method.COMPUTED, computation__in=SAMPLE_CODES
    ):
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


# --- Figures (the computed indicators read these) ----------------------------------------


@dataclass(frozen=True)
class SampleFigures:
    entries: int
    recorded: int
    reached: int
    aware: int
    answered: int
    satisfied: int
    outcomes: dict[str, int]

    @property
    def awareness(self) -> Decimal | None:
        if not self.reached:
            return None
        return (Decimal(self.aware) / self.reached).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    @property
    def satisfaction(self) -> Decimal | None:
        if not self.answered:
            return None
        return (Decimal(self.satisfied) / self.answered).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def sample_figures(sheet: StationEvaluation) -> SampleFigures | None:
    """The counts of a sheet's sample, or None when none is drawn."""
    sample = ClientSample.objects.filter(evaluation=sheet).first()
    if sample is None:
        return None
    entries = list(SampleEntry.objects.filter(sample=sample))
    reached = [e for e in entries if e.outcome == CallOutcome.REACHED]
    answered = [e for e in reached if e.satisfaction is not None]
    outcomes = {value: 0 for value in CallOutcome.values}
    for e in entries:
        if e.outcome:
            outcomes[e.outcome] += 1
    return SampleFigures(
        entries=len(entries),
        recorded=sum(outcomes.values()),
        reached=len(reached),
        aware=sum(1 for e in reached if e.known_items >= AWARE_AT),
        answered=len(answered),
        satisfied=sum(1 for e in answered if e.satisfaction >= 4),
        outcomes=outcomes,
    )
