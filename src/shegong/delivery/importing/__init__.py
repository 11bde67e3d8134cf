"""Bulk import of a station's service records (批量导入服务记录) from CSV or XLSX.

One row is one service event. Every row is held to the rules of
`services.service_event_record` by calling the same check functions, and the file is
loaded all or nothing: if any row is invalid, nothing is written and the result is a
row-by-row report (row, column, problem). A row whose 记录编号 was loaded before, at
the same station, is skipped and counted as already loaded, so re-importing a file
never duplicates records (the key is the model's unique (station, import_key)).

Built for a million rows: the file is streamed and handled in batches of BATCH_SIZE.
Each batch costs a fixed handful of queries (already-loaded keys, residents by ID
hash, users by name) and, while every row so far is valid, is written at once:
events, then their attendance and workers, each with one executemany or COPY (see
`core.bulk.insert_rows` for why not bulk_create). The whole import is one transaction, rolled
back at the end if any row was invalid, so the common case (a valid file) is read
and validated once, without holding the rows in memory.

The package: `reading` (the columns, the template, reading a file), `rows` (the
row check), `writing` (the bulk writes and the rollups), `report` (the result
and the problem report); this module runs an import through them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core import audit
from shegong.core.access import ensure_visible
from shegong.delivery import services
from shegong.delivery.importing.reading import (
    COLUMNS,
    HEADERS,
    MAX_FILE_SIZE,
    SUFFIXES,
    Column,
    ImportFileError,
    batches,
    map_header,
    read_rows,
    template_response,
    template_rows,
)
from shegong.delivery.importing.report import (
    MAX_ERRORS,
    REPORT_HEADERS,
    ImportResult,
    RowError,
    file_error,
    report_response,
    report_rows,
    write_report,
)
from shegong.delivery.importing.rows import (
    CASEWORK_WORDS,
    IMPORTED_KIND_WORDS,
    KIND_WORDS,
    RowChecker,
)
from shegong.delivery.importing.writing import write_events
from shegong.delivery.models import ServiceEvent
from shegong.plans.models import AnnualPlan

__all__ = [
    "BATCH_SIZE",
    "CASEWORK_WORDS",
    "COLUMNS",
    "HEADERS",
    "IMPORTED_KIND_WORDS",
    "KIND_WORDS",
    "MAX_ERRORS",
    "MAX_FILE_SIZE",
    "REPORT_HEADERS",
    "SUFFIXES",
    "Column",
    "ImportFileError",
    "ImportResult",
    "RowError",
    "read_rows",
    "report_response",
    "report_rows",
    "service_events_import",
    "template_response",
    "template_rows",
    "write_report",
]

BATCH_SIZE = 2000


class _Rollback(Exception):
    pass


def service_events_import(
    *,
    actor: User,
    file: IO[bytes],
    filename: str,
    year: int,
    progress: Callable[[int], Any] | None = None,
    max_errors: int = MAX_ERRORS,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Import `file` (CSV or XLSX, told by `filename`) into the actor's station, under
    the station's plan for `year`: every new row or none. Raises PermissionDenied
    for anyone but the station's own staff; everything else is in the result."""
    services.require_recorder_at(actor, actor.station_id)
    plan = AnnualPlan.objects.filter(station_id=actor.station_id, year=year).first()
    if plan is None:
        return file_error(_("The station has no plan for %(year)s.") % {"year": year})
    ensure_visible(actor, plan)
    try:
        rows = read_rows(file, filename)
        header = next(rows, None)
        if header is None:
            return file_error(_("The file is empty."))
        positions, names, header_errors = map_header(header)
        if header_errors:
            return ImportResult(errors=header_errors, error_count=len(header_errors))
        result = ImportResult()
        checker = RowChecker(actor, plan, positions, names, max_errors, result)
        try:
            with transaction.atomic():
                for batch in batches(rows, batch_size):
                    events = checker.check_batch(batch)
                    if result.ok and events:
                        write_events(actor, plan.station_id, events, first=not result.loaded_events)
                        result.loaded_events += len(events)
                        result.loaded_person_times += sum(e.person_times for e in events)
                    if progress is not None:
                        progress(len(batch))
                if not result.ok:
                    raise _Rollback
        except _Rollback:
            result.loaded_events = result.loaded_person_times = 0
        except IntegrityError:
            # Only a concurrent change (e.g. someone importing the same rows) gets
            # past the checks; the transaction has undone everything.
            return file_error(
                _(
                    "The records changed while the file was loading (was the same file "
                    "imported twice at once?); nothing was loaded. Import the file again."
                ),
                result,
            )
        if result.rows == 0 and result.ok:
            return file_error(_("The file has no rows under its header."))
        if result.loaded_events:
            # The rows bypass the per-row audit signals (executemany): one entry
            # records the whole import.
            audit.record(
                "import",
                object_type=ServiceEvent._meta.label_lower,
                object_repr=Path(filename).name,
                station_id=plan.station_id,
                user=actor,
                detail={
                    "year": year,
                    "rows": result.rows,
                    "events": result.loaded_events,
                    "person_times": result.loaded_person_times,
                    "already_loaded": result.already_loaded,
                },
            )
        return result
    except ImportFileError as error:
        return file_error(str(error))
