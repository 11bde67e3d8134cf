"""Helpers shared by the test modules: days, refusals, residents and cases.

The world itself (people and places) is in tests/conftest.py; the larger worlds
built on it are the tests/*_world.py modules. A module states only where it
differs from these defaults (a case's domain, how long ago consent was given).
"""

from __future__ import annotations

import datetime
import io
import re

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from shegong.cases import services as case_services
from shegong.cases.models import Case
from shegong.clients import services as client_services
from shegong.clients.models import Resident

# --- Days ------------------------------------------------------------------------


def today() -> datetime.date:
    """Today in the project's time zone (Asia/Shanghai), as the services see it."""
    return timezone.localdate()


def day(offset: int) -> datetime.date:
    """Today plus `offset` days (negative: in the past)."""
    return today() + datetime.timedelta(days=offset)


def days_ago(n: int) -> datetime.date:
    return day(-n)


# --- Refusals --------------------------------------------------------------------


def _raised(call, args, kwargs, exception) -> Exception:
    with translation.override("en"), pytest.raises(exception) as caught:
        call(*args, **kwargs)
    return caught.value


def _messages(error: Exception, by_field: bool) -> dict | list[str]:
    with translation.override("en"):
        if not isinstance(error, ValidationError):
            return [str(error)]
        if by_field and hasattr(error, "error_dict"):
            return {
                field: [str(message) for message in messages]
                for field, messages in error.message_dict.items()
            }
        return [str(message) for message in error.messages]


def refusal(call, exception=ValidationError, **kwargs) -> list[str]:
    """The English messages of the refusal `call(**kwargs)` raises (a
    ValidationError unless `exception` says otherwise), all fields together."""
    return _messages(_raised(call, (), kwargs, exception), by_field=False)


def refusal_by_field(call, *args, exception=ValidationError, **kwargs) -> dict | list[str]:
    """The English messages of the refusal `call(*args, **kwargs)` raises, per
    field ({field: [messages]}) when the error names fields, else as a list."""
    return _messages(_raised(call, args, kwargs, exception), by_field=True)


# --- Residents and cases ---------------------------------------------------------


def register_resident(
    world,
    name: str = "陈秀英",
    *,
    station=None,
    actor=None,
    born: datetime.date = datetime.date(1980, 1, 1),
    consented: int | None = 0,
    sharing: bool = False,
    classify: str | None = None,
    priority: bool = False,
    **details,
) -> Resident:
    """A woman registered at `station` (A) by `actor` (A's worker), with a consent
    recorded `consented` days ago (None: no consent; `sharing`: it covers sharing
    with a referral's receiver) and, with `classify`, classified in that domain
    (a hardship family when `priority`) from the same day."""
    actor = actor or world["worker"]
    resident = client_services.resident_register(
        actor=actor,
        station=station or world.station_a,
        name=name,
        gender=details.pop("gender", "female"),
        birth_date=born,
        allow_similar=details.pop("allow_similar", True),
        **details,
    )
    if consented is not None:
        client_services.consent_record(
            actor=actor,
            resident=resident,
            recorded_on=days_ago(consented),
            covers_referral_sharing=sharing,
        )
    if classify is not None:
        client_services.client_classify(
            actor=actor,
            resident=resident,
            domain=classify,
            category="priority" if priority else "general",
            priority_kind="hardship_family" if priority else "",
            started_on=days_ago(consented or 0),
        )
    return resident


def open_case(
    world,
    client: Resident,
    *,
    actor=None,
    workers=None,
    domain: str = "family",
    source: str = "walk_in",
    opened_on: datetime.date | None = None,
) -> Case:
    """A case of `client` opened by `actor` (A's director) on `opened_on` (today),
    assigned to `workers` (A's worker)."""
    return case_services.case_open(
        actor=actor or world["director"],
        client=client,
        domain=domain,
        source=source,
        opened_on=opened_on or today(),
        workers=[world["worker"]] if workers is None else workers,
    )


# --- Exported workbooks ------------------------------------------------------------


def workbook_of(source) -> openpyxl.Workbook:
    """A workbook from a response (streamed or not: read once, kept on it), bytes
    or a path."""
    if hasattr(source, "streaming_content"):
        if not hasattr(source, "_read_content"):
            source._read_content = b"".join(source.streaming_content)
        source = source._read_content
    elif hasattr(source, "content"):
        source = source.content
    return openpyxl.load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source)


def xlsx_table(source) -> list[tuple]:
    """The table of an exported workbook, its header row first: the rows from the
    frozen header down, below the title block (core.exports)."""
    sheet = workbook_of(source).active
    first = int(re.sub(r"\D", "", sheet.freeze_panes)) - 1 if sheet.freeze_panes else 1
    return list(sheet.iter_rows(min_row=first, values_only=True))


def xlsx_title_block(source) -> tuple[str, dict[str, str]]:
    """(title, {label: value}) of an exported workbook's title block."""
    sheet = workbook_of(source).active
    first = int(re.sub(r"\D", "", sheet.freeze_panes)) - 1 if sheet.freeze_panes else 1
    rows = list(sheet.iter_rows(max_row=first - 1, values_only=True))
    title = rows[0][0] if rows else ""
    return title, {r[0]: r[1] for r in rows[1:] if r and r[0]}
