"""The importer's frame: reading the sheets into rows of text, the whole-file
checks, the look-ups every loader shares (station within the actor's scope, the
register of previous-system codes, choices, dates) and the loading loop, each row
in a savepoint so that every row's problems are reported."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.cases.models import (
    OPEN_STATUSES,
    CaseSource,
    CaseStatus,
    RiskLevel,
)
from shegong.clients.models import (
    BASIC_DOMAINS,
    ClientCategory,
    Gender,
    PriorityKind,
    Resident,
)
from shegong.core.models import Domain
from shegong.core.scope import CREATE, can_at
from shegong.golive.models import MigratedKind, MigratedRecord
from shegong.golive.org_import import (
    RowError,
    SheetCounts,
    _cell_text,
    _choice_words,
    _parse_date,
)
from shegong.golive.records_import.sheets import SHEET_BY_TITLE, SHEETS, Sheet
from shegong.org.models import Station
from shegong.stats.rollups import clients_served_refresh

MAX_ERRORS = 5_000
_CODE = re.compile(r"^[\w\-./]{1,40}$")


# The model field a service's validation message names → the sheet's column.
_FIELD_COLUMN = {
    "household_role": "household_role",
    "recorded_on": "consent_on",
    "guardian_name": "guardian",
    "attendees": "resident",
    "opened_on": "opened_on",
    "workers": "workers",
    "priority_kind": "priority_kind",
    "started_on": "started_on",
    "ended_on": "ended_on",
}
_YES = {"是", "y", "yes", "true", "1", "党员"}
_NO = {"", "否", "n", "no", "false", "0"}
# The steps as the social workers name them (接案 预估 计划 介入 评估), beside the labels.
_STEP_WORDS = {
    "预估": CaseStatus.ASSESSED,
    "计划": CaseStatus.PLANNED,
    "服务计划": CaseStatus.PLANNED,
    "介入": CaseStatus.IN_SERVICE,
    "评估": CaseStatus.REVIEWED,
    "结案": CaseStatus.CLOSED,
    "转介": CaseStatus.REFERRED,
}
_CATEGORY_WORDS = {"重点": ClientCategory.PRIORITY, "一般": ClientCategory.GENERAL}


@dataclass
class RecordsImportResult:
    sheets: dict[str, SheetCounts] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def rows(self) -> int:
        return sum(counts.rows for counts in self.sheets.values())


class _Rollback(Exception):
    pass


@dataclass
class _Row:
    sheet: Sheet
    number: int
    values: dict[str, str]


class _RowProblem(Exception):
    pass


def _words(choices, extra: dict | None = None, allowed: Iterable[str] | None = None):
    words = _choice_words(choices)
    words.update(extra or {})
    if allowed is not None:
        allowed = set(allowed)
        words = {word: value for word, value in words.items() if value in allowed}
    return words


class ImporterBase:
    def __init__(self, actor: User, progress: Callable[[int], None] | None):
        self.actor = actor
        self.progress = progress
        self.result = RecordsImportResult()
        self.rows: dict[str, list[_Row]] = {}
        # Rows with a problem found before loading (a formula, a missing cell, a
        # code given twice) are not loaded: their other problems would be noise.
        self.bad_rows: set[tuple[str, int]] = set()
        self.stations: dict[str, Station | None] = {}
        self.register: dict[tuple[int, str, str], int] = {}
        self.claimed: dict[int, int] = {}  # resident pk → the row that took it in this run
        self.served: dict[int, set[int]] = defaultdict(set)  # station → residents re-counted
        self.genders = _words(Gender)
        self.basic_domains = _words(Domain, allowed=BASIC_DOMAINS)
        self.domains = _words(Domain)
        self.categories = _words(ClientCategory, _CATEGORY_WORDS)
        self.priority_kinds = _words(PriorityKind)
        self.sources = _words(CaseSource)
        self.all_steps = _words(CaseStatus, _STEP_WORDS)
        self.steps = _words(CaseStatus, _STEP_WORDS, allowed=OPEN_STATUSES)
        self.risks = _words(RiskLevel)

    # Problems

    def error(self, sheet: Sheet | None, row: int | None, column: str, message: str) -> None:
        self.result.error_count += 1
        if len(self.result.errors) < MAX_ERRORS:
            title = sheet.title if sheet is not None else ""
            self.result.errors.append(RowError(title, row, column, str(message)))

    def row_error(self, row: _Row, field_name: str, message: str) -> None:
        self.bad_rows.add((row.sheet.key, row.number))
        self.error(row.sheet, row.number, row.sheet.header_of(field_name), message)

    def validation_error(self, row: _Row, error: ValidationError, default: str) -> None:
        fields = {c.field for c in row.sheet.columns}
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                column = _FIELD_COLUMN.get(name, name)
                self.row_error(row, column if column in fields else default, messages[0])
        else:
            for message in error.messages:
                self.row_error(row, default, message)

    # Reading the sheets into rows of text

    def read(self, sheets: dict[str, list[list[Any]]]) -> None:
        known = [title for title in sheets if title in SHEET_BY_TITLE]
        if not known:
            self.error(
                None,
                None,
                "",
                _("The workbook has none of the sheets %(sheets)s.")
                % {"sheets": "、".join(SHEET_BY_TITLE)},
            )
            return
        for title in known:
            sheet = SHEET_BY_TITLE[title]
            self.rows[sheet.key] = self._sheet_rows(sheet, sheets[title])
            self.result.sheets[sheet.key] = SheetCounts(rows=len(self.rows[sheet.key]))

    def _sheet_rows(self, sheet: Sheet, raw: list[list[Any]]) -> list[_Row]:
        if not raw:
            return []
        header = [_cell_text(cell).lstrip("\ufeff") for cell in raw[0]]
        positions: dict[str, int] = {}
        for column in sheet.columns:
            if column.header in header:
                positions[column.field] = header.index(column.header)
            elif column.required:
                self.error(sheet, 1, column.header, _("The column is missing."))
        rows = []
        for number, cells in enumerate(raw[1:], start=2):
            if all(_cell_text(cell) == "" for cell in cells):
                continue
            values = {}
            formulas: list[str] = []
            for column in sheet.columns:
                position = positions.get(column.field)
                cell = cells[position] if position is not None and position < len(cells) else None
                formula = isinstance(cell, str) and cell.lstrip().startswith("=")
                values[column.field] = "" if formula else _cell_text(cell)
                if formula:
                    formulas.append(column.field)
            row = _Row(sheet, number, values)
            for name in formulas:
                self.row_error(row, name, _("The cell holds a formula; type the value itself."))
            for column in sheet.columns:
                if column.required and not values[column.field] and column.field not in formulas:
                    self.row_error(row, column.field, _("This cell is required."))
            rows.append(row)
        return rows

    # Whole-file checks: codes and the same record twice

    def check(self) -> None:
        keys = {
            "households": ("station", "code"),
            "residents": ("station", "code"),
            "volunteers": ("station", "code"),
            "cases": ("station", "code"),
            "statuses": ("station", "resident", "domain", "started_on"),
            "memberships": ("station", "group", "resident"),
        }
        for key, rows in self.rows.items():
            first: dict[tuple, int] = {}
            for row in rows:
                code = row.values.get("code")
                if code and not _CODE.match(code):
                    self.row_error(
                        row,
                        "code",
                        _("%(code)s is not a code: letters, digits, - _ . /, at most 40.")
                        % {"code": code},
                    )
                if key == "cases" and code and len(code) > 20:
                    self.row_error(row, "code", _("A case number has at most 20 characters."))
                identity_key = tuple(row.values[name] for name in keys[key])
                if not all(identity_key):
                    continue
                if identity_key in first:
                    self.row_error(
                        row,
                        keys[key][-1] if key in ("statuses", "memberships") else "code",
                        _("The same record as row %(row)d.") % {"row": first[identity_key]},
                    )
                else:
                    first[identity_key] = row.number

    # Looking things up

    def station(self, row: _Row) -> Station:
        code = row.values["station"]
        if code not in self.stations:
            found = Station.objects.visible_to(self.actor).filter(code=code).first()
            if found is not None and not can_at(self.actor, CREATE, MigratedRecord, found):
                found = None
            self.stations[code] = found
            if found is not None:
                for record in MigratedRecord.objects.filter(station=found):
                    self.register[(found.pk, record.kind, record.code)] = record.object_id
        station = self.stations[code]
        if station is None:
            if Station.objects.filter(code=code).exists():
                message = _("Station %(code)s is outside your scope.")
            else:
                message = _("No station with code %(code)s.")
            self.row_error(row, "station", message % {"code": code})
            raise _RowProblem
        return station

    def registered(self, kind: str, station: Station, code: str, model) -> models.Model | None:
        pk = self.register.get((station.pk, kind, code))
        found = None if pk is None else model._default_manager.filter(pk=pk).first()
        # A resident merged on the platform since: the kept record is the person.
        while isinstance(found, Resident) and found.merged_into_id is not None:
            found = Resident.objects.filter(pk=found.merged_into_id).first()
        return found

    def remember(self, kind: str, station: Station, code: str, obj: models.Model) -> None:
        known = self.register.get((station.pk, kind, code))
        if known == obj.pk:
            return
        if known is None:
            MigratedRecord.objects.create(station=station, kind=kind, code=code, object_id=obj.pk)
        else:
            MigratedRecord.objects.filter(station=station, kind=kind, code=code).update(
                object_id=obj.pk
            )
        self.register[(station.pk, kind, code)] = obj.pk

    def resident(self, row: _Row, station: Station) -> Resident:
        code = row.values["resident"]
        found = self.registered(MigratedKind.RESIDENT, station, code, Resident)
        if found is None:
            self.row_error(
                row,
                "resident",
                _(
                    "No resident with code %(code)s at station %(station)s (in the sheet "
                    "居民 or an earlier import)."
                )
                % {"code": code, "station": station.code},
            )
            raise _RowProblem
        return found

    def choice(self, row: _Row, field_name: str, words: dict[str, str], default=None) -> str:
        text = row.values[field_name]
        if not text and default is not None:
            return default
        if not text:
            self.row_error(row, field_name, _("This cell is required."))
            raise _RowProblem
        value = words.get(text) or words.get(text.lower())
        if value is None:
            labels = sorted({w for w in words if re.search(r"[\u4e00-\u9fff]", w)})
            self.row_error(
                row,
                field_name,
                _("Unknown value %(value)s: one of %(choices)s.")
                % {"value": text, "choices": "、".join(labels)},
            )
            raise _RowProblem
        return value

    def date(self, row: _Row, field_name: str) -> datetime.date | None:
        text = row.values[field_name]
        if not text:
            return None
        parsed = _parse_date(text)
        if parsed is None:
            self.row_error(row, field_name, _("Write the date as YYYY-MM-DD."))
            raise _RowProblem
        return parsed

    def count(self, row: _Row, outcome: str) -> None:
        counts = self.result.sheets[row.sheet.key]
        setattr(counts, outcome, getattr(counts, outcome) + 1)

    # Loading

    def load(self) -> None:
        order = [sheet.key for sheet in SHEETS if sheet.key in self.rows]
        for key in order:
            rows = self.rows[key]
            if key == "statuses":
                # Periods in the order they began, so that each ends the one before.
                rows = sorted(
                    rows,
                    key=lambda r: (
                        r.values["station"],
                        r.values["resident"],
                        r.values["domain"],
                        _parse_date(r.values["started_on"]) or datetime.date.min,
                    ),
                )
            loader = getattr(self, f"_load_{key}")
            for row in rows:
                if (key, row.number) in self.bad_rows:
                    if self.progress is not None:
                        self.progress(1)
                    continue
                try:
                    with transaction.atomic():
                        before = self.result.error_count
                        loader(row)
                        if self.result.error_count > before:
                            raise _RowProblem
                except _RowProblem:
                    pass
                except ValidationError as error:
                    # A message about the whole row: on the record it is about.
                    default = "resident" if "resident" in row.values else "code"
                    self.validation_error(row, error, default)
                if self.progress is not None:
                    self.progress(1)
        for station_id, resident_ids in self.served.items():
            clients_served_refresh(resident_ids=resident_ids, station_id=station_id)
