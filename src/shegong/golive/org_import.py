"""Organisation import 组织架构导入: one Excel workbook with a sheet per level of the
tree (districts, streets/towns, communities, agencies, stations, service points
社工点, special projects, contracts), Chinese headers, keyed by codes: the
statistical division codes (统计用区划代码) for districts, streets and communities,
the city's own codes for stations, service points, special projects and contracts,
the unified social credit code for agencies.

Like the service-record import (delivery.importing) the workbook is validated as a
whole and loaded all or nothing, with a row-by-row report; every row goes through
the model's own `full_clean()`. Re-importing updates by code and never deletes:
units missing from a sheet are listed, and deactivated with a date
(`OrgUnitRecord.deactivated_on`; a station or a service point also loses
`is_active`) only when the import is confirmed with `deactivate_missing`. A
service point names its station by code and its community (one point per
community) by division code; its staff are assigned by the station's director,
not imported.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core import audit
from shegong.core.exports import neutralise
from shegong.core.models import Domain
from shegong.core.scope import CHANGE, CREATE, may
from shegong.golive.models import OrgUnitKind, OrgUnitRecord
from shegong.org.models import (
    Agency,
    City,
    Community,
    Contract,
    District,
    ServicePoint,
    SpecialProject,
    Station,
    Street,
)

MAX_FILE_SIZE = 20 * 1024 * 1024
SUFFIXES = (".xlsx",)
MAX_ERRORS = 5_000
REPORT_HEADERS = ["工作表", "行号", "列", "问题"]
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_OWN_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool = False


@dataclass(frozen=True)
class Sheet:
    kind: str  # OrgUnitKind
    title: str  # the sheet's name in the workbook
    model: type[models.Model]
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


SHEETS = (
    Sheet(
        OrgUnitKind.DISTRICT,
        "区",
        District,
        (Column("code", "区划代码", True), Column("name", "名称", True)),
    ),
    Sheet(
        OrgUnitKind.STREET,
        "街道镇",
        Street,
        (
            Column("code", "区划代码", True),
            Column("name", "名称", True),
            Column("district", "所属区代码", True),
            Column("kind", "类型"),
        ),
    ),
    Sheet(
        OrgUnitKind.COMMUNITY,
        "社区",
        Community,
        (
            Column("code", "区划代码", True),
            Column("name", "名称", True),
            Column("street", "所属街道代码", True),
        ),
    ),
    Sheet(
        OrgUnitKind.AGENCY,
        "社工机构",
        Agency,
        (
            Column("code", "统一社会信用代码", True),
            Column("name", "名称", True),
            Column("phone", "电话"),
            Column("address", "地址"),
        ),
    ),
    Sheet(
        OrgUnitKind.STATION,
        "社工站",
        Station,
        (
            Column("code", "站点编码", True),
            Column("name", "名称", True),
            Column("district", "所属区代码", True),
            Column("street", "所属街道代码", True),
            Column("agency", "运营机构信用代码"),
            Column("address", "地址"),
            Column("phone", "电话"),
            Column("opened_on", "开办日期"),
        ),
    ),
    Sheet(
        OrgUnitKind.SERVICE_POINT,
        "社工点",
        ServicePoint,
        (
            Column("code", "社工点编码", True),
            Column("name", "名称", True),
            Column("station", "社工站编码", True),
            Column("community", "所在社区代码"),
            Column("opened_on", "开办日期"),
        ),
    ),
    Sheet(
        OrgUnitKind.SPECIAL_PROJECT,
        "专项",
        SpecialProject,
        (
            Column("code", "项目编码", True),
            Column("name", "名称", True),
            Column("agency", "运营机构信用代码", True),
            Column("domain", "领域", True),
            Column("description", "简介"),
        ),
    ),
    Sheet(
        OrgUnitKind.CONTRACT,
        "合同",
        Contract,
        (
            Column("code", "合同编号", True),
            Column("buyer", "购买方", True),
            Column("agency", "承接机构信用代码", True),
            Column("station", "社工站编码"),
            Column("project", "专项编码"),
            Column("starts_on", "开始日期", True),
            Column("ends_on", "结束日期", True),
            Column("amount", "金额（元）", True),
        ),
    ),
)
SHEET_BY_KIND = {sheet.kind: sheet for sheet in SHEETS}
SHEET_BY_TITLE = {sheet.title: sheet for sheet in SHEETS}


@dataclass(frozen=True)
class RowError:
    sheet: str  # the sheet's title; "" for the workbook
    row: int | None  # as numbered in Excel (the header is row 1)
    column: str
    message: str


@dataclass
class SheetCounts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Missing:
    kind: str
    code: str
    name: str


@dataclass
class OrgImportResult:
    sheets: dict[str, SheetCounts] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    missing: list[Missing] = field(default_factory=list)
    deactivated: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class WorkbookError(Exception):
    """The file as a whole cannot be read."""


class _Rollback(Exception):
    pass


# --- Reading -------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_workbook(file: IO[bytes]) -> dict[str, list[list[Any]]]:
    """Every sheet's rows (raw cell values), by sheet title. Formulas are read as
    written (data_only=False), so that a cell starting with '=' can be refused."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise WorkbookError(_("The file cannot be read as an Excel workbook (.xlsx).")) from None
    try:
        return {
            sheet.title.strip(): [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in workbook.worksheets
        }
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise WorkbookError(_("The file cannot be read as an Excel workbook (.xlsx).")) from None
    finally:
        workbook.close()


def _parse_date(text: str) -> datetime.date | None:
    match = _DATE.match(text)
    if match is None:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _choice_words(choices: type[models.TextChoices]) -> dict[str, str]:
    """A choice by its Chinese label, its English label or its value."""
    words = {value: value for value in choices.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            words.update({str(label): value for value, label in choices.choices})
    return words


# --- Checking and loading --------------------------------------------------------------


@dataclass
class _Row:
    sheet: Sheet
    number: int
    values: dict[str, str]

    @property
    def code(self) -> str:
        return self.values["code"]


class _OrgImporter:
    def __init__(self, *, actor: User, city: City, deactivate_missing: bool):
        self.actor = actor
        self.city = city
        self.deactivate_missing = deactivate_missing
        self.result = OrgImportResult()
        self.rows: dict[str, list[_Row]] = {}
        self.today = timezone.localdate()
        # code → saved object, per kind, filled as the sheets load in order
        self.saved: dict[str, dict[str, models.Model]] = {sheet.kind: {} for sheet in SHEETS}
        self.touched: dict[str, set[int]] = {sheet.kind: set() for sheet in SHEETS}
        self.records = {
            (record.kind, record.object_id): record for record in OrgUnitRecord.objects.all()
        }
        self.by_code = {(record.kind, record.code): record for record in self.records.values()}

    def error(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.result.error_count += 1
        if len(self.result.errors) < MAX_ERRORS:
            self.result.errors.append(RowError(sheet, row, column, message))

    def row_error(self, row: _Row, field_name: str, message: str) -> None:
        header = next((c.header for c in row.sheet.columns if c.field == field_name), "")
        self.error(row.sheet.title, row.number, header, message)

    # Reading the sheets into rows of text

    def read(self, workbook: dict[str, list[list[Any]]]) -> None:
        known = [title for title in workbook if title in SHEET_BY_TITLE]
        if not known:
            self.error(
                "",
                None,
                "",
                _("The workbook has none of the sheets %(sheets)s.")
                % {"sheets": "、".join(SHEET_BY_TITLE)},
            )
            return
        for title in known:
            sheet = SHEET_BY_TITLE[title]
            self.rows[sheet.kind] = self._sheet_rows(sheet, workbook[title])
            self.result.sheets[sheet.kind] = SheetCounts(rows=len(self.rows[sheet.kind]))

    def _sheet_rows(self, sheet: Sheet, raw: list[list[Any]]) -> list[_Row]:
        if not raw:
            return []
        header = [_cell_text(cell).lstrip("\ufeff") for cell in raw[0]]
        positions: dict[str, int] = {}
        for column in sheet.columns:
            if column.header in header:
                positions[column.field] = header.index(column.header)
            elif column.required:
                self.error(sheet.title, 1, column.header, _("The column is missing."))
        rows = []
        for number, cells in enumerate(raw[1:], start=2):
            if all(_cell_text(cell) == "" for cell in cells):
                continue
            values = {}
            for column in sheet.columns:
                position = positions.get(column.field)
                cell = cells[position] if position is not None and position < len(cells) else None
                if isinstance(cell, str) and cell.lstrip().startswith("="):
                    self.error(
                        sheet.title,
                        number,
                        column.header,
                        _("The cell holds a formula; type the value itself."),
                    )
                    cell = None
                values[column.field] = _cell_text(cell)
            row = _Row(sheet, number, values)
            for column in sheet.columns:
                if column.required and not values[column.field]:
                    self.row_error(row, column.field, _("This cell is required."))
            rows.append(row)
        return rows

    # Whole-workbook checks: codes, duplicates, the tree's consistency

    def check(self) -> None:
        for kind, rows in self.rows.items():
            first: dict[str, int] = {}
            for row in rows:
                if not row.code:
                    continue
                if row.code in first:
                    self.row_error(
                        row,
                        "code",
                        _("Code %(code)s appears twice in the sheet (also row %(row)d).")
                        % {"code": row.code, "row": first[row.code]},
                    )
                else:
                    first[row.code] = row.number
                problem = self._code_problem(kind, row.code)
                if problem:
                    self.row_error(row, "code", problem)

    def _code_problem(self, kind: str, code: str) -> str | None:
        prefix = self.city.code[:4]
        if kind == OrgUnitKind.DISTRICT:
            if not re.fullmatch(r"\d{6}(\d{6})?", code):
                return _("%(code)s is not a 6- or 12-digit statistical division code.") % {
                    "code": code
                }
            if not code.startswith(prefix) or code[4:6] == "00":
                return _("Division code %(code)s is not a district of %(city)s.") % {
                    "code": code,
                    "city": self.city.name,
                }
        elif kind in (OrgUnitKind.STREET, OrgUnitKind.COMMUNITY):
            pattern = r"\d{9}(\d{3})?" if kind == OrgUnitKind.STREET else r"\d{12}"
            if not re.fullmatch(pattern, code):
                message = (
                    _("%(code)s is not a 9- or 12-digit statistical division code.")
                    if kind == OrgUnitKind.STREET
                    else _("%(code)s is not a 12-digit statistical division code.")
                )
                return message % {"code": code}
            if not code.startswith(prefix):
                return _("Division code %(code)s is not in %(city)s.") % {
                    "code": code,
                    "city": self.city.name,
                }
        elif kind == OrgUnitKind.AGENCY:
            if not _CREDIT_CODE.match(code):
                return _("%(code)s is not an 18-character unified social credit code.") % {
                    "code": code
                }
        else:
            limit = SHEET_BY_KIND[kind].model._meta.get_field("code").max_length
            if not _OWN_CODE.match(code) or len(code) > limit:
                return _("%(code)s is not a code: letters, digits, - and _, at most %(limit)d.") % {
                    "code": code,
                    "limit": limit,
                }
        return None

    # Finding what a code names: in this workbook (saved earlier in this run) or
    # already in the database.

    def find(self, kind: str, code: str) -> models.Model | None:
        if code in self.saved[kind]:
            return self.saved[kind][code]
        record = self.by_code.get((kind, code))
        sheet = SHEET_BY_KIND[kind]
        if record is not None:
            return sheet.model._default_manager.filter(pk=record.object_id).first()
        lookups = {
            OrgUnitKind.DISTRICT: {"code": code, "city": self.city},
            OrgUnitKind.AGENCY: {"credit_code": code},
            OrgUnitKind.STATION: {"code": code},
            OrgUnitKind.SERVICE_POINT: {"code": code},
            OrgUnitKind.SPECIAL_PROJECT: {"code": code},
            OrgUnitKind.CONTRACT: {"code": code},
        }
        if kind in lookups:
            return sheet.model._default_manager.filter(**lookups[kind]).first()
        return None

    def _reference(self, row: _Row, field_name: str, kind: str) -> models.Model | None:
        code = row.values[field_name]
        if not code:
            return None
        found = self.find(kind, code)
        if found is None:
            self.row_error(
                row,
                field_name,
                _("No %(kind)s with code %(code)s, in this workbook or on file.")
                % {"kind": OrgUnitKind(kind).label, "code": code},
            )
        return found

    # Loading, sheet by sheet in the tree's order

    def load(self) -> None:
        for sheet in SHEETS:
            for row in self.rows.get(sheet.kind, []):
                if not row.code:
                    continue
                try:
                    obj, before = self._build(row)
                except _RowProblem:
                    continue
                self._save(row, obj, before)

    def _build(self, row: _Row) -> tuple[models.Model, dict[str, Any] | None]:
        """The row's unit with the row's values set, and its fields as they were
        (None: a new unit)."""
        values = row.values
        kind = row.sheet.kind
        existing = self.find(kind, row.code)
        before = _fields(existing) if existing is not None else None
        obj = existing or row.sheet.model()
        problems = self.result.error_count
        if kind == OrgUnitKind.DISTRICT:
            obj.city, obj.code, obj.name = self.city, row.code, values["name"]
        elif kind == OrgUnitKind.STREET:
            district = self._reference(row, "district", OrgUnitKind.DISTRICT)
            if district is not None and not row.code.startswith(district.code[:6]):
                self.row_error(
                    row,
                    "code",
                    _("Division code %(code)s is not inside district %(district)s.")
                    % {"code": row.code, "district": district.code},
                )
            obj.district, obj.name = district, values["name"]
            words = _choice_words(Street.Kind)
            if values["kind"]:
                if values["kind"] not in words:
                    self.row_error(row, "kind", _("The kind is 街道 (street) or 镇 (town)."))
                obj.kind = words.get(values["kind"], Street.Kind.STREET)
            elif existing is None:
                obj.kind = Street.Kind.TOWN if values["name"].endswith("镇") else Street.Kind.STREET
        elif kind == OrgUnitKind.COMMUNITY:
            street = self._reference(row, "street", OrgUnitKind.STREET)
            code = self._record_code(OrgUnitKind.STREET, street)
            if street is not None and code and not row.code.startswith(code[:9]):
                self.row_error(
                    row,
                    "code",
                    _("Division code %(code)s is not inside street %(street)s.")
                    % {"code": row.code, "street": code},
                )
            obj.street, obj.name = street, values["name"]
        elif kind == OrgUnitKind.AGENCY:
            obj.city, obj.credit_code, obj.name = self.city, row.code, values["name"]
            obj.phone, obj.address = values["phone"], values["address"]
        elif kind == OrgUnitKind.STATION:
            district = self._reference(row, "district", OrgUnitKind.DISTRICT)
            street = self._reference(row, "street", OrgUnitKind.STREET)
            if district is not None and street is not None and street.district_id != district.pk:
                self.row_error(
                    row,
                    "street",
                    _("Street %(street)s belongs to %(other)s, not to district %(district)s.")
                    % {
                        "street": values["street"],
                        "other": street.district.name,
                        "district": values["district"],
                    },
                )
            obj.code, obj.name, obj.street = row.code, values["name"], street
            obj.agency = self._reference(row, "agency", OrgUnitKind.AGENCY)
            obj.address, obj.phone = values["address"], values["phone"]
            obj.opened_on = self._date(row, "opened_on")
            obj.is_active = True
        elif kind == OrgUnitKind.SERVICE_POINT:
            obj.code, obj.name = row.code, values["name"]
            obj.station = self._reference(row, "station", OrgUnitKind.STATION)
            obj.community = self._reference(row, "community", OrgUnitKind.COMMUNITY)
            obj.opened_on = self._date(row, "opened_on")
            obj.is_active = True
        elif kind == OrgUnitKind.SPECIAL_PROJECT:
            obj.city, obj.code, obj.name = self.city, row.code, values["name"]
            obj.agency = self._reference(row, "agency", OrgUnitKind.AGENCY)
            domains = _choice_words(Domain)
            if values["domain"] and values["domain"] not in domains:
                self.row_error(
                    row,
                    "domain",
                    _("Unknown domain %(domain)s: one of %(choices)s.")
                    % {"domain": values["domain"], "choices": "、".join(map(str, Domain.labels))},
                )
            obj.domain = domains.get(values["domain"], "")
            obj.description = values["description"]
        elif kind == OrgUnitKind.CONTRACT:
            obj.code, obj.buyer = row.code, values["buyer"]
            obj.agency = self._reference(row, "agency", OrgUnitKind.AGENCY)
            obj.station = self._reference(row, "station", OrgUnitKind.STATION)
            obj.special_project = self._reference(row, "project", OrgUnitKind.SPECIAL_PROJECT)
            obj.starts_on = self._date(row, "starts_on")
            obj.ends_on = self._date(row, "ends_on")
            try:
                obj.amount = (
                    Decimal(values["amount"].replace(",", "")) if values["amount"] else None
                )
            except InvalidOperation:
                self.row_error(row, "amount", _("The amount is not a number."))
                obj.amount = None
        if existing is None:
            # Units typed in by hand before any import: matched by their name.
            found = self._unregistered_match(kind, obj)
            if found is not None:
                before = _fields(found)
                _copy_fields(obj, found)
                obj = found
        if self.result.error_count > problems:
            raise _RowProblem
        return obj, before

    def _unregistered_match(self, kind: str, new: models.Model) -> models.Model | None:
        """The unit of the same name and parent that no import registered yet (a
        street has no code of its own; an agency may lack its credit code)."""
        if kind == OrgUnitKind.STREET and new.district_id:
            found = Street.objects.filter(district_id=new.district_id, name=new.name).first()
        elif kind == OrgUnitKind.COMMUNITY and new.street_id:
            found = Community.objects.filter(street_id=new.street_id, name=new.name).first()
        elif kind == OrgUnitKind.AGENCY:
            found = Agency.objects.filter(name=new.name, credit_code__isnull=True).first()
        else:
            return None
        if found is None or (kind, found.pk) in self.records:
            return None
        return found

    def _date(self, row: _Row, field_name: str) -> datetime.date | None:
        text = row.values[field_name]
        if not text:
            return None
        parsed = _parse_date(text)
        if parsed is None:
            self.row_error(row, field_name, _("Write the date as YYYY-MM-DD."))
        return parsed

    def _record_code(self, kind: str, obj: models.Model | None) -> str:
        if obj is None:
            return ""
        record = self.records.get((kind, obj.pk))
        return record.code if record is not None else ""

    def _save(self, row: _Row, obj: models.Model, before: dict[str, Any] | None) -> None:
        kind = row.sheet.kind
        counts = self.result.sheets[kind]
        try:
            obj.full_clean()
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                column = _MODEL_FIELD_COLUMN.get(kind, {}).get(field_name, field_name)
                self.row_error(row, column if column in row.values else "", messages[0])
            return
        if before is None:
            obj.save()
            counts.created += 1
        elif before != _fields(obj):
            obj.save()
            counts.updated += 1
        else:
            counts.unchanged += 1
        self.saved[kind][row.code] = obj
        self.touched[kind].add(obj.pk)
        self._register(kind, obj, row.code)

    def _register(self, kind: str, obj: models.Model, code: str) -> None:
        record = self.records.get((kind, obj.pk))
        clash = self.by_code.get((kind, code))
        if clash is not None and clash.object_id != obj.pk:
            # The code moved to another unit: the old unit keeps its record, renamed.
            clash.code = f"~{clash.object_id}"
            clash.save(update_fields=["code"])
            del self.by_code[(kind, code)]
            self.by_code[(kind, clash.code)] = clash
        if record is None:
            record = OrgUnitRecord.objects.create(kind=kind, object_id=obj.pk, code=code)
            self.records[(kind, obj.pk)] = record
        elif record.code != code or record.deactivated_on is not None:
            self.by_code.pop((kind, record.code), None)
            record.code, record.deactivated_on = code, None
            record.save(update_fields=["code", "deactivated_on"])
        self.by_code[(kind, code)] = record

    # What disappeared

    def missing(self) -> None:
        for kind in self.rows:
            sheet = SHEET_BY_KIND[kind]
            for obj in _city_units(kind, self.city).exclude(pk__in=self.touched[kind]):
                record = self.records.get((kind, obj.pk))
                if record is not None and record.deactivated_on is not None:
                    continue
                code = record.code if record is not None else _own_code(kind, obj)
                self.result.missing.append(Missing(kind, code or "", str(obj)))
                if not self.deactivate_missing:
                    continue
                if record is None:
                    record = OrgUnitRecord(kind=kind, object_id=obj.pk, code=code or f"~{obj.pk}")
                    if (kind, record.code) in self.by_code:
                        record.code = f"~{obj.pk}"
                record.deactivated_on = self.today
                record.save()
                if sheet.model in (Station, ServicePoint) and obj.is_active:
                    obj.is_active = False
                    obj.save(update_fields=["is_active", "updated_at"])
                self.result.deactivated += 1


class _RowProblem(Exception):
    pass


# The model fields whose validation message belongs to a column of the sheet.
_MODEL_FIELD_COLUMN = {
    OrgUnitKind.DISTRICT: {"code": "code", "name": "name", "__all__": "name"},
    OrgUnitKind.STREET: {"name": "name", "district": "district", "__all__": "name"},
    OrgUnitKind.COMMUNITY: {"name": "name", "street": "street", "__all__": "name"},
    OrgUnitKind.AGENCY: {"credit_code": "code", "name": "name", "phone": "phone"},
    OrgUnitKind.STATION: {"code": "code", "name": "name", "street": "street", "__all__": "name"},
    OrgUnitKind.SERVICE_POINT: {
        "code": "code",
        "name": "name",
        "station": "station",
        "community": "community",
        "__all__": "name",
    },
    OrgUnitKind.SPECIAL_PROJECT: {"code": "code", "name": "name", "agency": "agency"},
    OrgUnitKind.CONTRACT: {
        "code": "code",
        "buyer": "buyer",
        "agency": "agency",
        "starts_on": "starts_on",
        "ends_on": "ends_on",
        "amount": "amount",
    },
}


def _fields(obj: models.Model) -> dict[str, Any]:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.name not in {"id", "created_at", "updated_at"}
    }


def _copy_fields(source: models.Model, target: models.Model) -> None:
    for f in source._meta.concrete_fields:
        if f.name not in {"id", "created_at", "updated_at"}:
            setattr(target, f.attname, getattr(source, f.attname))


def _own_code(kind: str, obj: models.Model) -> str:
    if kind == OrgUnitKind.AGENCY:
        return obj.credit_code or ""
    return getattr(obj, "code", "") or ""


def _city_units(kind: str, city: City) -> models.QuerySet:
    """The units of `kind` that belong to `city`."""
    return {
        OrgUnitKind.DISTRICT: District.objects.filter(city=city),
        OrgUnitKind.STREET: Street.objects.filter(district__city=city).select_related(),
        OrgUnitKind.COMMUNITY: Community.objects.filter(street__district__city=city),
        OrgUnitKind.AGENCY: Agency.objects.filter(city=city),
        OrgUnitKind.STATION: Station.objects.filter(street__district__city=city),
        OrgUnitKind.SERVICE_POINT: ServicePoint.objects.filter(
            station__street__district__city=city
        ),
        OrgUnitKind.SPECIAL_PROJECT: SpecialProject.objects.filter(city=city),
        OrgUnitKind.CONTRACT: Contract.objects.filter(
            models.Q(station__street__district__city=city) | models.Q(special_project__city=city)
        ),
    }[kind].order_by("pk")


def require_org_import(actor: User) -> None:
    """403 unless the actor may create and change every kind of unit the workbook
    holds: the organisation's own tables, which only administrators write."""
    for sheet in SHEETS:
        if not (may(actor, CREATE, sheet.model) and may(actor, CHANGE, sheet.model)):
            raise PermissionDenied(_("Only administrators import the organisation."))


def org_import(
    *,
    actor: User,
    city: City,
    file: IO[bytes],
    deactivate_missing: bool = False,
    progress: Callable[[int], None] | None = None,
) -> OrgImportResult:
    """Check the whole workbook, then load it in one transaction: every row or none.
    `deactivate_missing` confirms the deactivation of the units the workbook no
    longer lists (otherwise they are only listed)."""
    require_org_import(actor)
    importer = _OrgImporter(actor=actor, city=city, deactivate_missing=deactivate_missing)
    try:
        workbook = read_workbook(file)
    except WorkbookError as error:
        importer.error("", None, "", str(error))
        return importer.result
    importer.read(workbook)
    importer.check()
    if not importer.result.ok:
        return importer.result
    try:
        with transaction.atomic(), audit.acting_as(actor):
            importer.load()
            if progress is not None:
                progress(sum(len(rows) for rows in importer.rows.values()))
            if not importer.result.ok:
                raise _Rollback
            importer.missing()
            audit.record(
                "import",
                object_type="org.organisation",
                object_repr=city.name,
                user=actor,
                detail={
                    "sheets": {
                        kind: vars(counts) for kind, counts in importer.result.sheets.items()
                    },
                    "missing": len(importer.result.missing),
                    "deactivated": importer.result.deactivated,
                },
            )
    except _Rollback:
        for counts in importer.result.sheets.values():
            counts.created = counts.updated = counts.unchanged = 0
    except IntegrityError:
        importer.error(
            "",
            None,
            "",
            _("The organisation changed while the workbook was loading; nothing was loaded."),
        )
    return importer.result


# --- Files for people -----------------------------------------------------------------


def _export_rows(kind: str, city: City, codes: dict[tuple[str, int], str]) -> Iterator[list]:
    def code(k: str, obj: models.Model | None) -> str:
        if obj is None:
            return ""
        return codes.get((k, obj.pk)) or _own_code(k, obj)

    units = _city_units(kind, city)
    if kind == OrgUnitKind.DISTRICT:
        for d in units:
            yield [code(kind, d), d.name]
    elif kind == OrgUnitKind.STREET:
        for s in units.select_related("district"):
            yield [
                code(kind, s),
                s.name,
                code(OrgUnitKind.DISTRICT, s.district),
                s.get_kind_display(),
            ]
    elif kind == OrgUnitKind.COMMUNITY:
        for c in units.select_related("street"):
            yield [code(kind, c), c.name, code(OrgUnitKind.STREET, c.street)]
    elif kind == OrgUnitKind.AGENCY:
        for a in units:
            yield [a.credit_code or "", a.name, a.phone, a.address]
    elif kind == OrgUnitKind.STATION:
        for s in units.select_related("street__district", "agency"):
            yield [
                s.code,
                s.name,
                code(OrgUnitKind.DISTRICT, s.street.district),
                code(OrgUnitKind.STREET, s.street),
                code(OrgUnitKind.AGENCY, s.agency),
                s.address,
                s.phone,
                s.opened_on.isoformat() if s.opened_on else "",
            ]
    elif kind == OrgUnitKind.SERVICE_POINT:
        for p in units.select_related("station", "community"):
            yield [
                p.code,
                p.name,
                code(OrgUnitKind.STATION, p.station),
                code(OrgUnitKind.COMMUNITY, p.community),
                p.opened_on.isoformat() if p.opened_on else "",
            ]
    elif kind == OrgUnitKind.SPECIAL_PROJECT:
        for p in units.select_related("agency"):
            yield [
                p.code,
                p.name,
                code(OrgUnitKind.AGENCY, p.agency),
                p.get_domain_display(),
                p.description,
            ]
    elif kind == OrgUnitKind.CONTRACT:
        for c in units.select_related("agency", "station", "special_project"):
            yield [
                c.code,
                c.buyer,
                code(OrgUnitKind.AGENCY, c.agency),
                code(OrgUnitKind.STATION, c.station),
                code(OrgUnitKind.SPECIAL_PROJECT, c.special_project),
                c.starts_on.isoformat(),
                c.ends_on.isoformat(),
                str(c.amount),
            ]


def _street_codes(city: City, codes: dict[tuple[str, int], str]) -> None:
    """Streets and communities typed in by hand have no division code yet: give
    each one in its parent's range after the codes in use (district 440103 →
    440103001000, …), so that the exported workbook imports back."""
    used = set(codes.values())
    for district in District.objects.filter(city=city).order_by("code"):
        number = 0
        for street in district.streets.order_by("pk"):
            if (OrgUnitKind.STREET, street.pk) in codes:
                continue
            while True:
                number += 1
                candidate = f"{district.code[:6]}{number:03d}000"
                if candidate not in used:
                    break
            codes[(OrgUnitKind.STREET, street.pk)] = candidate
            used.add(candidate)
    for street in Street.objects.filter(district__city=city).order_by("pk"):
        number = 0
        for community in street.communities.order_by("pk"):
            if (OrgUnitKind.COMMUNITY, community.pk) in codes:
                continue
            while True:
                number += 1
                candidate = f"{codes[(OrgUnitKind.STREET, street.pk)][:9]}{number:03d}"
                if candidate not in used:
                    break
            codes[(OrgUnitKind.COMMUNITY, community.pk)] = candidate
            used.add(candidate)


def export_workbook(city: City | None, path_or_file) -> None:
    """The city's organisation in the import's format (the template when `city`
    is None: headers and nothing else)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    codes = {
        (record.kind, record.object_id): record.code
        for record in OrgUnitRecord.objects.filter(deactivated_on__isnull=True)
    }
    if city is not None:
        _street_codes(city, codes)
    for sheet in SHEETS:
        ws = workbook.create_sheet(title=sheet.title)
        ws.append(sheet.headers)
        if city is None:
            continue
        for row in _export_rows(sheet.kind, city, codes):
            ws.append([neutralise(value) for value in row])
    workbook.save(path_or_file)


def report_rows(errors: Iterable[RowError]) -> Iterator[list]:
    for error in errors:
        yield [error.sheet, "" if error.row is None else error.row, error.column, error.message]
