"""The import file: its columns, the template to fill in, and reading a file
(CSV or XLSX streamed as rows of text cells, the header mapped to the columns:
Chinese headers or their English equivalents, in any order; extra columns are
ignored)."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.exports import tabular_response
from shegong.delivery.importing.report import RowError
from shegong.plans.models import PlanProject

MAX_FILE_SIZE = 20 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as in the template
    aliases: tuple[str, ...]  # English equivalents, matched case-insensitively
    required: bool


COLUMNS = (
    Column("import_key", "记录编号", ("record_id", "row_id", "record_no", "import_key"), True),
    Column("held_on", "日期", ("date", "held_on"), True),
    Column("project", "项目", ("project",), True),
    Column("kind", "服务类型", ("kind", "service_type", "type"), True),
    Column("title", "名称", ("title", "name"), True),
    Column("attendees", "参与居民", ("residents", "attendees", "participants"), False),
    Column("headcount", "人数", ("headcount", "head_count"), False),
    Column("workers", "社工", ("workers", "social_workers"), False),
    # 社工点: the code or the name of one of the station's service points.
    Column("point", "社工点", ("point", "service_point"), False),
    # 开始时间 / 结束时间: HH:MM, both or neither (the workers' service hours).
    Column("starts_at", "开始时间", ("starts_at", "start_time", "start"), False),
    Column("ends_at", "结束时间", ("ends_at", "end_time", "end"), False),
)
HEADERS = [column.header for column in COLUMNS]


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, encoding, no header)."""


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


def _csv_rows(file: IO[bytes]) -> Iterator[list[str]]:
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    try:
        yield from csv.reader(text)
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The CSV file is not UTF-8 text. Save it as “CSV UTF-8”, or upload the .xlsx file.")
        ) from None
    except csv.Error:
        raise ImportFileError(_("The file cannot be read as CSV.")) from None
    finally:
        # The caller owns and closes the file; a generator left unfinished by an
        # error may be closed only after it (a job's stored upload).
        if not file.closed:
            text.detach()


def _xlsx_rows(file: IO[bytes]) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFileError(_("The file cannot be read as an Excel workbook (.xlsx).")) from None
    try:
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise ImportFileError(_("The file cannot be read as an Excel workbook (.xlsx).")) from None
    finally:
        workbook.close()


def read_rows(file: IO[bytes], filename: str) -> Iterator[list[str]]:
    """The file's rows as lists of text cells, the header first."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return _csv_rows(file)
    if suffix == ".xlsx":
        return _xlsx_rows(file)
    raise ImportFileError(_("Only .csv and .xlsx files can be imported."))


def _header_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lstrip("\ufeff").lower())


_HEADER_FIELDS = {
    _header_key(name): column.field
    for column in COLUMNS
    for name in (column.header, *column.aliases)
}


def map_header(cells: list[str]) -> tuple[dict[str, int], dict[str, str], list[RowError]]:
    """Column positions and names as written, by field; errors for missing columns."""
    positions: dict[str, int] = {}
    names: dict[str, str] = {}
    errors = []
    for position, cell in enumerate(cells):
        name = cell.strip().lstrip("\ufeff")
        field_name = _HEADER_FIELDS.get(_header_key(name))
        if field_name is None:
            continue  # extra columns (e.g. remarks) are allowed and ignored
        if field_name in positions:
            errors.append(RowError(1, name, _("The column appears twice.")))
            continue
        positions[field_name] = position
        names[field_name] = name
    for column in COLUMNS:
        names.setdefault(column.field, column.header)
        if column.required and column.field not in positions:
            errors.append(RowError(1, column.header, _("The column is missing.")))
    return positions, names, errors


def batches(rows: Iterator[list[str]], size: int) -> Iterator[list[tuple[int, list[str]]]]:
    """The data rows (numbered as in the spreadsheet, blank ones left out) in lists
    of `size`."""
    batch = []
    for number, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        batch.append((number, cells))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- The template ------------------------------------------------------------------


def template_rows(actor: User, year: int) -> list[list[Any]]:
    """The template's one example row, with a project of the actor's plan if any."""
    project = (
        PlanProject.objects.filter(plan__station_id=actor.station_id, plan__year=year)
        .order_by("kind", "name")
        .values_list("name", flat=True)
        .first()
    )
    return [
        [
            f"{year}-0001",
            min(datetime.date(year, 3, 5), timezone.localdate()).isoformat(),
            project or "长者服务",
            "社区活动",
            "长者中秋游园会",
            "",
            30,
            actor.username,
            "",
            "14:30",
            "16:30",
        ]
    ]


def template_response(actor: User, year: int):
    return tabular_response(
        "xlsx",
        "service-import-template",
        "服务记录",
        HEADERS,
        template_rows(actor, year),
        title_block=False,  # read back by the import: headers on the first row
    )
