"""Administering a scored assessment tool 评估量表 to the client of a case, and the
client's scores over time (the case page's table)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.cases.instruments import Instrument, InstrumentScore, score_answers
from shegong.cases.models import Case, CaseAction
from shegong.cases.services import _check_date, _lock, _save


def instruments_for(case: Case):
    """The active tools usable in `case`: those of its domain and those of any."""
    return Instrument.objects.filter(active=True, domain__in=[case.domain, ""])


def check_instrument_fits(instrument: Instrument, case: Case) -> None:
    if not instrument.active:
        raise ValidationError(_("This assessment tool is no longer in use."))
    if instrument.domain and instrument.domain != case.domain:
        raise ValidationError(
            _("This tool is for %(domain)s cases; this case is a %(case_domain)s case.")
            % {
                "domain": instrument.get_domain_display(),
                "case_domain": case.get_domain_display(),
            }
        )


@transaction.atomic
def instrument_score_record(
    *,
    actor: User,
    case: Case,
    instrument: Instrument,
    administered_on: datetime.date,
    answers: dict[str, Any],
    version: int | None = None,
) -> InstrumentScore:
    """Score `answers` on `instrument` for the case's client and store the
    administration with its total and band; a line in the case's history.
    Only the case's assigned workers and the director (the case's WORK)."""
    case = _lock(actor, case, version)
    if not case.is_open:
        raise ValidationError(_("A closed case cannot be assessed; reopen it first."))
    check_instrument_fits(instrument, case)
    _check_date(administered_on, case, "administered_on")
    scored = score_answers(instrument, answers)
    record = InstrumentScore(
        case=case,
        instrument=instrument,
        administered_on=administered_on,
        answers={item["key"]: int(answers[item["key"]]) for item in instrument.items},
        total=scored.total,
        band=scored.band,
        author=actor,
    )
    record.full_clean()
    record.save()
    _save(case, actor, CaseAction.SCORED, instrument=instrument.code)
    return record


def score_history(user: User, case: Case) -> list[dict]:
    """Per tool, the client's scores in this case, newest first, each with the
    change of its total from the one before (None for the first): for readers
    of the case file only (the content scope)."""
    rows = (
        InstrumentScore.objects.visible_under(user, "case", case)
        .select_related("instrument", "author")
        .order_by("instrument__name", "instrument_id", "administered_on", "pk")
    )
    tables: dict[int, dict] = {}
    for row in rows:
        table = tables.setdefault(row.instrument_id, {"instrument": row.instrument, "scores": []})
        previous = table["scores"][-1] if table["scores"] else None
        row.change = None if previous is None else row.total - previous.total
        table["scores"].append(row)
    for table in tables.values():
        table["scores"].reverse()
    return list(tables.values())
