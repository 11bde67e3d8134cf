"""Reading the file: every sheet of a workbook, or the one sheet of a CSV file
(UTF-8 only: a GBK file is named as such and refused)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from shegong.golive.org_import import (
    WorkbookError,
    read_workbook,
)
from shegong.golive.records_import.sheets import MAX_FILE_SIZE, SHEETS, Sheet


class RecordsFileError(Exception):
    """The file as a whole cannot be read."""


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
