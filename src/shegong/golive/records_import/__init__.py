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

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core import audit
from shegong.core.scope import CREATE, may
from shegong.golive.models import MigratedRecord
from shegong.golive.org_import import RowError
from shegong.golive.records_import.base import RecordsImportResult, _Rollback
from shegong.golive.records_import.cases import CaseLoaders
from shegong.golive.records_import.people import PeopleLoaders
from shegong.golive.records_import.reading import RecordsFileError, read_file
from shegong.golive.records_import.sheets import (
    MAX_FILE_SIZE,
    SHEET_BY_KEY,
    SHEET_BY_TITLE,
    SHEETS,
    SUFFIXES,
    Column,
    Sheet,
    template_workbook,
)

__all__ = [
    "MAX_FILE_SIZE",
    "SHEETS",
    "SHEET_BY_KEY",
    "SHEET_BY_TITLE",
    "SUFFIXES",
    "Column",
    "RecordsFileError",
    "RecordsImportResult",
    "Sheet",
    "read_file",
    "records_import",
    "report_rows",
    "require_records_import",
    "template_workbook",
]


class _RecordsImporter(PeopleLoaders, CaseLoaders):
    """Every sheet's loader on the shared frame."""


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
