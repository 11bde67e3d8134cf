"""What an import tells people: its result and the problem report (row, column,
problem) as a download or a file."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from shegong.core.exports import neutralise, tabular_response

# The report keeps the first problems; past that, fix and import again.
MAX_ERRORS = 10_000
# The error report's headers are part of its format, like the import's own headers.
REPORT_HEADERS = ["行号", "列", "问题"]


@dataclass(frozen=True)
class RowError:
    row: int | None  # as numbered in the spreadsheet (the header is row 1); None: the file
    column: str  # the column's header as written in the file; "" for the row or the file
    message: str


@dataclass
class ImportResult:
    rows: int = 0  # data rows read; blank rows are not counted
    loaded_events: int = 0
    loaded_person_times: int = 0
    already_loaded: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_ERRORS
    error_count: int = 0  # every problem found

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def file_error(message: str, result: ImportResult | None = None) -> ImportResult:
    """A result that loaded nothing, for a problem of the whole file."""
    result = result or ImportResult()
    result.loaded_events = result.loaded_person_times = 0
    result.errors.append(RowError(None, "", message))
    result.error_count += 1
    return result


def report_rows(errors: Iterable[RowError | tuple], total: int | None = None) -> Iterator[list]:
    count = 0
    for error in errors:
        row, column, message = (
            (error.row, error.column, error.message) if isinstance(error, RowError) else error
        )
        count += 1
        yield ["" if row is None else row, column, message]
    if total is not None and total > count:
        yield ["", "", _("… and %(n)s more problems.") % {"n": total - count}]


def report_response(fmt: str, errors: Iterable[RowError | tuple], total: int | None = None):
    return tabular_response(
        fmt, "service-import-problems", "导入问题", REPORT_HEADERS, report_rows(errors, total)
    )


def write_report(path: Path, errors: Iterable[RowError], total: int | None = None) -> None:
    """The error report as a file, .xlsx or .csv by the path's suffix."""
    rows = report_rows(errors, total)
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(REPORT_HEADERS)
            writer.writerows([neutralise(value) for value in row] for row in rows)
        return
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="导入问题")
    sheet.append(REPORT_HEADERS)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    workbook.save(path)
