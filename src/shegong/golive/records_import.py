"""Records from the previous system 历史数据导入: a city going live brings years of
records from the system it used before: households, residents (with their ID
numbers, encrypted on the way in), client classifications with their start dates,
volunteers, group memberships and open cases with their current step, assigned
workers and a summary of their history.

One Excel workbook with a sheet per kind (or one CSV file per sheet), Chinese
headers, keyed by the station's code and each record's code in the previous system.
Like the organisation and staff imports the file is checked as a whole and loaded
all or nothing, with a row-by-row report. Every row goes through the same rules as
the platform's forms: the services' checks (`clients.services.resident_check`,
`consent_check`, `classification_check`, `community.services.volunteer_check`,
`cases.services.case_open_check`, `delivery.services.check_attendees`), without
their permission, which is the import's own (`MigratedRecord`'s Scope: district
and city officers, administrators, for the stations of their scope).

Importing again adds nothing twice: the register `MigratedRecord` remembers the
record each code became; a resident already on file (typed in by hand, or under
another code) is found by the registration's duplicate rule (the keyed hash of the
ID number, or name + birth date + mobile) and updated, not registered again.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseAction,
    CaseEvent,
    CaseSource,
    CaseStatus,
    RiskLevel,
)
from shegong.cases.services import case_open_check
from shegong.clients import identity
from shegong.clients.models import (
    BASIC_DOMAINS,
    ClientCategory,
    ClientStatus,
    Consent,
    Gender,
    Household,
    PriorityKind,
    Resident,
)
from shegong.clients.services import (
    DuplicateResident,
    classification_check,
    consent_check,
    resident_check,
)
from shegong.community.models import Volunteer
from shegong.community.services import volunteer_check
from shegong.core import audit
from shegong.core.models import Domain
from shegong.core.scope import CREATE, can_at, may
from shegong.delivery.models import Group
from shegong.delivery.services import check_attendees
from shegong.golive.models import MigratedKind, MigratedRecord, OrgUnitKind, OrgUnitRecord
from shegong.golive.org_import import (
    RowError,
    SheetCounts,
    WorkbookError,
    _cell_text,
    _choice_words,
    _parse_date,
    read_workbook,
)
from shegong.org.models import Community, Station
from shegong.stats.rollups import clients_served_refresh

MAX_FILE_SIZE = 20 * 1024 * 1024
SUFFIXES = (".xlsx", ".csv")
MAX_ERRORS = 5_000
_CODE = re.compile(r"^[\w\-./]{1,40}$")
_SEPARATORS = re.compile(r"[、,，;；\s]+")


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool = False


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    name: str  # the English file name stem of its CSV (households.csv …)
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def header_of(self, field_name: str) -> str:
        return next((c.header for c in self.columns if c.field == field_name), "")


STATION = Column("station", "站点编码", True)
SHEETS = (
    Sheet(
        "households",
        "家庭",
        "households",
        (
            STATION,
            Column("code", "家庭编号", True),
            Column("name", "家庭名称", True),
            Column("address", "地址"),
        ),
    ),
    Sheet(
        "residents",
        "居民",
        "residents",
        (
            STATION,
            Column("code", "居民编号", True),
            Column("name", "姓名", True),
            Column("gender", "性别", True),
            Column("birth_date", "出生日期", True),
            Column("id_number", "身份证号"),
            Column("phone", "手机号"),
            Column("address", "地址"),
            Column("household", "家庭编号"),
            Column("household_role", "家庭关系"),
            Column("community", "社区代码"),
            Column("consent_on", "知情同意日期"),
            Column("guardian", "监护人姓名"),
        ),
    ),
    Sheet(
        "statuses",
        "服务对象分类",
        "classifications",
        (
            STATION,
            Column("resident", "居民编号", True),
            Column("domain", "领域", True),
            Column("category", "类别", True),
            Column("priority_kind", "重点类型"),
            Column("started_on", "开始日期", True),
            Column("ended_on", "结束日期"),
        ),
    ),
    Sheet(
        "volunteers",
        "义工",
        "volunteers",
        (
            STATION,
            Column("code", "义工编号", True),
            Column("name", "姓名", True),
            Column("phone", "手机号"),
            Column("skills", "技能"),
            Column("party", "党员"),
            Column("registered_on", "登记日期", True),
            Column("consent_on", "知情同意日期", True),
        ),
    ),
    Sheet(
        "memberships",
        "小组成员",
        "group-members",
        (STATION, Column("group", "小组名称", True), Column("resident", "居民编号", True)),
    ),
    Sheet(
        "cases",
        "个案",
        "cases",
        (
            STATION,
            Column("code", "个案编号", True),
            Column("resident", "居民编号", True),
            Column("domain", "领域", True),
            Column("source", "来源"),
            Column("opened_on", "开案日期", True),
            Column("status", "当前阶段", True),
            Column("workers", "负责社工", True),
            Column("risk_level", "风险等级"),
            Column("last_contact_on", "最近联系日期"),
            Column("summary", "历史摘要"),
        ),
    ),
)
SHEET_BY_KEY = {sheet.key: sheet for sheet in SHEETS}
SHEET_BY_TITLE = {sheet.title: sheet for sheet in SHEETS}
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


class RecordsFileError(Exception):
    """The file as a whole cannot be read."""


class _Rollback(Exception):
    pass


# --- Reading ----------------------------------------------------------------------


def _decode_csv(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        raise RecordsFileError(
            _("The CSV file is not UTF-8 text. Save it as “CSV UTF-8”, or upload the .xlsx file.")
        ) from None
    raise RecordsFileError(
        _(
            "The CSV file is in the GBK (GB 18030) encoding, not UTF-8: in Excel save it as "
            "“CSV UTF-8 (comma delimited)”, or upload the .xlsx workbook. Nothing was loaded."
        )
    )


def _csv_sheet(filename: str, header: list[str]) -> Sheet | None:
    """The sheet a CSV file holds: named by its file name (居民.csv, residents.csv),
    else the one whose required columns its header has (the most of them)."""
    stem = Path(filename).stem.strip().lower()
    for sheet in SHEETS:
        if stem in (sheet.title, sheet.name) or stem.endswith(("-" + sheet.name, "_" + sheet.name)):
            return sheet
    cells = {cell.strip().lstrip("\ufeff") for cell in header}
    fitting = [
        sheet for sheet in SHEETS if all(c.header in cells for c in sheet.columns if c.required)
    ]
    return max(fitting, key=lambda s: sum(c.required for c in s.columns), default=None)


def read_file(file: IO[bytes], filename: str) -> dict[str, list[list[Any]]]:
    """The file's sheets, by title: every sheet of a workbook, or the one sheet of a
    CSV file. Formulas are read as written, so that they can be refused."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        try:
            return read_workbook(file)
        except WorkbookError as error:
            raise RecordsFileError(str(error)) from None
    if suffix != ".csv":
        raise RecordsFileError(_("Only .xlsx workbooks and .csv files can be imported."))
    text = _decode_csv(file.read(MAX_FILE_SIZE + 1))
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise RecordsFileError(_("The file cannot be read as CSV.")) from None
    if not rows:
        raise RecordsFileError(_("The file is empty."))
    sheet = _csv_sheet(filename, rows[0])
    if sheet is None:
        raise RecordsFileError(
            _(
                "Which records does this CSV file hold? Name it after its sheet "
                "(%(names)s) or give it that sheet's column headers."
            )
            % {"names": "、".join(f"{s.title}.csv" for s in SHEETS)}
        )
    return {sheet.title: rows}


def template_workbook(path_or_file) -> None:
    """The empty template: one sheet per kind, its headers in the first row."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for sheet in SHEETS:
        ws = workbook.create_sheet(title=sheet.title)
        ws.append(sheet.headers)
    workbook.save(path_or_file)


# --- Checking and loading -----------------------------------------------------------


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


class _RecordsImporter:
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

    def _load_households(self, row: _Row) -> None:
        station = self.station(row)
        values = row.values
        household = self.registered(MigratedKind.HOUSEHOLD, station, values["code"], Household)
        fields = {"name": values["name"].strip(), "address": values["address"]}
        if household is None:
            household = Household(station=station, **fields)
            household.full_clean()
            household.save()
            self.count(row, "created")
        elif {k: getattr(household, k) for k in fields} != fields:
            for key, value in fields.items():
                setattr(household, key, value)
            household.full_clean()
            household.save()
            self.count(row, "updated")
        else:
            self.count(row, "unchanged")
        self.remember(MigratedKind.HOUSEHOLD, station, values["code"], household)

    def _community(self, row: _Row, station: Station) -> Community | None:
        code = row.values["community"]
        if not code:
            return None
        record = OrgUnitRecord.objects.filter(kind=OrgUnitKind.COMMUNITY, code=code).first()
        community = (
            Community.objects.filter(pk=record.object_id, street_id=station.street_id).first()
            if record is not None
            else None
        )
        if community is None:
            self.row_error(
                row,
                "community",
                _("No community with code %(code)s in the station's street.") % {"code": code},
            )
            raise _RowProblem
        return community

    def _load_residents(self, row: _Row) -> None:
        station = self.station(row)
        values = row.values
        gender = self.choice(row, "gender", self.genders)
        birth_date = self.date(row, "birth_date")
        household = None
        if values["household"]:
            household = self.registered(
                MigratedKind.HOUSEHOLD, station, values["household"], Household
            )
            if household is None:
                self.row_error(
                    row,
                    "household",
                    _(
                        "No household with code %(code)s at station %(station)s (in the "
                        "sheet 家庭 or an earlier import)."
                    )
                    % {"code": values["household"], "station": station.code},
                )
                raise _RowProblem
        community = self._community(row, station)
        consent_on = self.date(row, "consent_on")
        details = {
            "station": station,
            "name": values["name"],
            "gender": gender,
            "birth_date": birth_date,
            "id_number": values["id_number"],
            "phone": values["phone"],
            "address": values["address"],
            "household": household,
            "household_role": values["household_role"],
            "community": community,
            "created_by": self.actor,
        }
        existing = self.registered(MigratedKind.RESIDENT, station, values["code"], Resident)
        new = None
        if existing is None:
            new, existing = self._same_person(row, details)
        if new is not None:
            resident = new
            resident.save()
            outcome = "created"
        else:
            resident, outcome = self._update_resident(row, existing, details)
        self.claimed[resident.pk] = row.number
        if consent_on is not None and self._consent(row, resident, consent_on):
            outcome = "updated" if outcome == "unchanged" else outcome
        self.count(row, outcome)
        self.remember(MigratedKind.RESIDENT, station, values["code"], resident)

    def _same_person(self, row: _Row, details: dict) -> tuple[Resident | None, Resident | None]:
        """(the new resident, checked and unsaved, or None; the resident on file this
        row describes, or None), by the registration's duplicate rule: the same ID
        number (its keyed hash), or the same name, birth date and mobile where the ID
        numbers do not differ."""
        try:
            return resident_check(**details), None
        except DuplicateResident as duplicate:
            matches = duplicate.matches
        number = identity.normalise_id_number(details["id_number"])
        id_hash = identity.lookup_hash(number) if number else ""
        same = next((m for m in matches if id_hash and m.id_number_hash == id_hash), None)
        if same is None:
            same = next((m for m in matches if not (id_hash and m.id_number_hash)), None)
        if same is not None and same.pk in self.claimed:
            self.row_error(
                row,
                "id_number" if id_hash else "name",
                _("The same person as row %(row)d (ID number, or name, birth date and mobile).")
                % {"row": self.claimed[same.pk]},
            )
            raise _RowProblem
        if same is None:
            return resident_check(**details, allow_similar=True), None
        return None, same

    def _update_resident(self, row: _Row, resident: Resident, details: dict):
        try:
            checked = resident_check(**details, allow_similar=True, exclude_pk=resident.pk)
        except DuplicateResident:
            self.row_error(
                row,
                "id_number",
                _("A resident with this ID number is already registered at the station."),
            )
            raise _RowProblem from None
        if not checked.id_number_hash and resident.id_number_encrypted:
            # The form's rule: a birth date agrees with the ID number on file.
            stored = identity.decrypt(resident.id_number_encrypted)
            if identity.id_birth_date(stored) != checked.birth_date:
                self.row_error(row, "birth_date", _("The birth date does not match the ID number."))
                raise _RowProblem
        fields = ["name", "gender", "birth_date"]
        # Empty cells leave what is on file as it is.
        for name in ("phone", "address", "household_id", "household_role", "community_id"):
            if getattr(checked, name):
                fields.append(name)
        if checked.id_number_hash and checked.id_number_hash != resident.id_number_hash:
            fields += ["id_number_hash", "id_number_encrypted", "id_number_masked"]
        changed = [name for name in fields if getattr(resident, name) != getattr(checked, name)]
        if not changed:
            return resident, "unchanged"
        for name in changed:
            setattr(resident, name, getattr(checked, name))
        resident.version += 1
        resident.full_clean()
        resident.save()
        return resident, "updated"

    def _consent(self, row: _Row, resident: Resident, consent_on: datetime.date) -> bool:
        if resident.consents.filter(recorded_on=consent_on, withdrawn_on__isnull=True).exists():
            return False
        guardian = row.values["guardian"].strip()
        consent = consent_check(
            resident=resident,
            recorded_on=consent_on,
            recorded_by=self.actor,
            given_by=Consent.GivenBy.GUARDIAN if guardian else Consent.GivenBy.SELF,
            guardian_name=guardian,
        )
        consent.save()
        return True

    def _load_statuses(self, row: _Row) -> None:
        station = self.station(row)
        resident = self.resident(row, station)
        domain = self.choice(row, "domain", self.basic_domains)
        category = self.choice(row, "category", self.categories)
        priority_kind = ""
        if category == ClientCategory.PRIORITY:
            priority_kind = self.choice(row, "priority_kind", self.priority_kinds)
        started_on = self.date(row, "started_on")
        ended_on = self.date(row, "ended_on")
        classification_check(domain=domain, category=category, priority_kind=priority_kind)
        fields = {"category": category, "priority_kind": priority_kind, "ended_on": ended_on}
        statuses = ClientStatus.objects.filter(resident=resident, station=station, domain=domain)
        status = statuses.filter(started_on=started_on).first()
        if status is not None and ended_on is None:
            # An empty end date leaves the period as it is on file: ended by the
            # next period (which the import itself does) or on the platform.
            del fields["ended_on"]
        if status is not None:
            if {k: getattr(status, k) for k in fields} == fields:
                self.count(row, "unchanged")
                return
            for key, value in fields.items():
                setattr(status, key, value)
            status.full_clean()
            status.save()
            self.count(row, "updated")
        else:
            current = statuses.filter(ended_on__isnull=True).first()
            if current is not None:
                if started_on <= current.started_on and (
                    ended_on is None or ended_on >= current.started_on
                ):
                    self.row_error(
                        row,
                        "started_on",
                        _("The new classification must start after the current one."),
                    )
                    raise _RowProblem
                if started_on > current.started_on:
                    current.ended_on = started_on - datetime.timedelta(days=1)
                    current.save(update_fields=["ended_on", "updated_at"])
            status = ClientStatus(
                resident=resident, station=station, domain=domain, started_on=started_on, **fields
            )
            status.full_clean()
            status.save()
            self.count(row, "created")
        self.served[station.pk].add(resident.pk)

    def _load_volunteers(self, row: _Row) -> None:
        station = self.station(row)
        values = row.values
        party = values["party"].strip().lower()
        if party not in _YES | _NO:
            self.row_error(row, "party", _("Write 是 or 否."))
            raise _RowProblem
        checked = volunteer_check(
            station=station,
            name=values["name"],
            consent_on=self.date(row, "consent_on"),
            registered_on=self.date(row, "registered_on"),
            phone=values["phone"],
            skills=values["skills"],
            is_party_member=party in _YES,
        )
        volunteer = self.registered(MigratedKind.VOLUNTEER, station, values["code"], Volunteer)
        fields = ["name", "phone", "skills", "is_party_member", "registered_on", "consent_on"]
        if volunteer is None:
            volunteer = checked
            volunteer.save()
            self.count(row, "created")
        else:
            changed = [f for f in fields if getattr(volunteer, f) != getattr(checked, f)]
            for name in changed:
                setattr(volunteer, name, getattr(checked, name))
            if changed:
                volunteer.full_clean()
                volunteer.save()
            self.count(row, "updated" if changed else "unchanged")
        self.remember(MigratedKind.VOLUNTEER, station, values["code"], volunteer)

    def _load_memberships(self, row: _Row) -> None:
        station = self.station(row)
        resident = self.resident(row, station)
        name = row.values["group"].strip()
        groups = list(Group.objects.filter(station=station, name=name)[:2])
        if len(groups) != 1:
            message = (
                _("No group named %(name)s at station %(station)s: create it on the platform.")
                if not groups
                else _("Station %(station)s has several groups named %(name)s.")
            )
            self.row_error(row, "group", message % {"name": name, "station": station.code})
            raise _RowProblem
        group = groups[0]
        check_attendees(station.pk, [resident])
        if group.members.filter(pk=resident.pk).exists():
            self.count(row, "unchanged")
            return
        group.members.add(resident)
        self.count(row, "created")

    def _workers(self, row: _Row, station: Station) -> list[User]:
        names = [name for name in _SEPARATORS.split(row.values["workers"]) if name]
        found = {u.username: u for u in User.objects.filter(username__in=names)}
        unknown = [name for name in names if name not in found]
        if unknown:
            self.row_error(
                row,
                "workers",
                _("No staff account %(names)s.") % {"names": "、".join(unknown)},
            )
            raise _RowProblem
        return [found[name] for name in dict.fromkeys(names)]

    def _load_cases(self, row: _Row) -> None:
        station = self.station(row)
        values = row.values
        client = self.resident(row, station)
        domain = self.choice(row, "domain", self.domains)
        source = self.choice(row, "source", self.sources, default=CaseSource.WALK_IN)
        if self.all_steps.get(values["status"]) in (CaseStatus.CLOSED, CaseStatus.REFERRED):
            self.row_error(
                row,
                "status",
                _(
                    "Only open cases are imported (接案, 预估, 计划, 介入 or 评估); leave closed "
                    "and referred cases in the previous system's archive."
                ),
            )
            raise _RowProblem
        status = self.choice(row, "status", self.steps)
        risk_level = self.choice(row, "risk_level", self.risks, default="")
        opened_on = self.date(row, "opened_on")
        last_contact_on = self.date(row, "last_contact_on")
        workers = self._workers(row, station)
        case_open_check(client=client, domain=domain, opened_on=opened_on, workers=workers)
        fields = {
            "client": client,
            "domain": domain,
            "source": source,
            "status": status,
            "risk_level": risk_level,
            "opened_on": opened_on,
            "last_contact_on": last_contact_on,
        }
        detail = {
            "migrated": True,
            "number": values["code"],
            "step": status,
            "summary": values["summary"],
            "workers": sorted(w.pk for w in workers),
        }
        case = self.registered(MigratedKind.CASE, station, values["code"], Case)
        if case is None:
            if Case.objects.filter(station=station, number=values["code"]).exists():
                self.row_error(row, "code", _("This case number is already used at the station."))
                raise _RowProblem
            case = Case(station=station, number=values["code"], **fields)
            # The station and client were just read, the number checked above.
            case.full_clean(exclude=["station", "client"])
            case.save()
            case.workers.set(workers)
            CaseEvent.objects.create(
                case=case, actor=self.actor, action=CaseAction.MIGRATED, detail=detail
            )
            self.count(row, "created")
        elif case.events.exclude(action=CaseAction.MIGRATED).exists():
            # Worked on here since it came over: the platform's record is the
            # case's own now, and the previous system's row no longer changes it.
            self.count(row, "unchanged")
        else:
            event = case.events.filter(action=CaseAction.MIGRATED).first()
            changed = [k for k, v in fields.items() if getattr(case, k) != v]
            same_workers = sorted(case.workers.values_list("pk", flat=True)) == detail["workers"]
            if not changed and same_workers and event is not None and event.detail == detail:
                self.count(row, "unchanged")
            else:
                for key in changed:
                    setattr(case, key, fields[key])
                case.version += 1
                case.full_clean()
                case.save()
                case.workers.set(workers)
                if event is None:
                    CaseEvent.objects.create(
                        case=case, actor=self.actor, action=CaseAction.MIGRATED, detail=detail
                    )
                else:
                    event.detail = detail
                    event.save(update_fields=["detail"])
                self.count(row, "updated")
        self.remember(MigratedKind.CASE, station, values["code"], case)


def require_records_import(actor: User) -> None:
    """403 unless the actor's role imports the previous system's records (district
    and city officers, administrators); each row's station is checked in turn."""
    if not may(actor, CREATE, MigratedRecord):
        raise PermissionDenied(
            _("Only district and city officers and administrators import records.")
        )


def records_import(
    *,
    actor: User,
    file: IO[bytes],
    filename: str,
    progress: Callable[[int], None] | None = None,
    total: Callable[[int], None] | None = None,
) -> RecordsImportResult:
    """Check the whole file, then load it in one transaction: every row or none.
    `total(rows)` is told the number of rows once read, `progress(n)` each row."""
    require_records_import(actor)
    importer = _RecordsImporter(actor, progress)
    try:
        sheets = read_file(file, filename)
    except RecordsFileError as error:
        importer.error(None, None, "", str(error))
        return importer.result
    importer.read(sheets)
    if not importer.rows:
        return importer.result
    importer.check()
    if total is not None:
        total(importer.result.rows)
    try:
        with transaction.atomic(), audit.acting_as(actor):
            importer.load()
            if not importer.result.ok:
                raise _Rollback
            audit.record(
                "import",
                object_type="golive.migratedrecord",
                object_repr=Path(filename).name,
                user=actor,
                detail={key: vars(counts) for key, counts in importer.result.sheets.items()},
            )
    except _Rollback:
        for counts in importer.result.sheets.values():
            counts.created = counts.updated = counts.unchanged = 0
    except IntegrityError:
        importer.error(
            None, None, "", _("The records changed while the file was loading; nothing was loaded.")
        )
        for counts in importer.result.sheets.values():
            counts.created = counts.updated = counts.unchanged = 0
    return importer.result


def report_rows(errors: Iterable[RowError]) -> Iterator[list]:
    for error in errors:
        yield [error.sheet, "" if error.row is None else error.row, error.column, error.message]
