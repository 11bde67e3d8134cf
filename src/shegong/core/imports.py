"""Imports from a file, one mechanism for all of them: an upload form, a background
job (core.jobs) with its progress bar, a result page with the row-by-row report,
the problem report as .xlsx or .csv, and the template download.

A domain app declares each of its imports once, in `AppConfig.ready()`:

    imports.register(ImportKind(name="roster_import", label=..., permit=...,
                                form=..., load=..., ...))

and points its URLs at the views of core.import_views with `{"kind": name}`.
core imports none of the apps; the kind brings what differs (its parser and
loader, its permission, its form, its template and its messages).

The page stores the upload under MEDIA_ROOT/imports/ and starts the job; the job
opens the stored file and runs the kind's `load(job, file, progress)`, which
returns the result as JSON: at least `filename`, `error_count` and `errors` (each
error a list of cells, as the kind's `error_columns` name them). The loaders are
all or nothing; the job runs them inside one transaction as well, so a worker
killed mid-way leaves nothing. The stored upload is deleted once the job is done.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from shegong.core import jobs
from shegong.core.exports import tabular_response
from shegong.core.models import Job

UPLOAD_DIR = "imports"
# Shown on the page; the downloadable report has every problem the import kept.
ERRORS_ON_PAGE = 200
RESULT_TEMPLATE = "core/_import_result.html"


@dataclass(frozen=True)
class ImportKind:
    # The job kind, e.g. "roster_import".
    name: str
    # The title of the upload page and of the job page.
    label: Any
    # `permit(user)` raises PermissionDenied (403) unless the user may import, through
    # core.access.require / require_at; what it returns is handed to the form.
    permit: Callable[[Any], Any]
    # `form(data, files, user=, permit=)`: the upload form, with a `file` field.
    form: Callable[..., Any]
    # `load(job, file, progress)`: reads and loads the stored file for job.owner, with
    # job.params; returns the result payload (JSON).
    load: Callable[[Job, IO[bytes], jobs.Progress], dict]
    # The upload page: extends core/import_upload.html (blocks: notes, about).
    upload_template: str
    # The result's own part when nothing went wrong (counts, lists).
    summary_template: str
    # `template(request, permit)`: the downloadable template file.
    template: Callable[[HttpRequest, Any], HttpResponse]
    # URL names of the upload page and of the problem report (which takes `fmt`).
    upload_url: str
    report_url: str
    # The headings of an error's cells on the page, and in the downloaded report.
    error_columns: Sequence[Any]
    report_headers: Sequence[str]
    report_name: str
    report_formats: tuple[str, ...] = ("xlsx", "csv")
    # The xlsx report opens with the exports' title block (core.exports).
    report_title_block: bool = True
    # The form's other fields as the job's parameters (JSON).
    params: Callable[[dict], dict] = lambda data: {}
    # The station the job is recorded for, if any.
    station: Callable[[Any], int | None] = lambda user: None
    # More context for the upload page: `upload_context(request, permit, form)`.
    upload_context: Callable[..., dict] = lambda request, permit, form: {}
    # More context for the result: `result_context(job, request)`.
    result_context: Callable[[Job, HttpRequest], dict] | None = None
    # What the result page calls the upload: "file", "workbook" or "sheet".
    noun: str = "file"
    # Count a CSV's lines for the progress bar before the job starts.
    estimate_rows: bool = False


_kinds: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> None:
    """Declare an import (from a domain app's `AppConfig.ready()`); it runs as a job
    of the same name."""
    _kinds[kind.name] = kind
    jobs.register(
        kind.name,
        label=kind.label,
        run=lambda job, progress: _run(kind, job, progress),
        result_template=RESULT_TEMPLATE,
        result_context=lambda job, request: result_context(kind, job, request),
        cleanup=_cleanup,
    )


def kind_named(name: str) -> ImportKind:
    return _kinds[name]


def import_start(*, kind: str | ImportKind, actor: Any, upload: Any, params: dict) -> Job:
    """Store the uploaded file and queue its import for `actor`."""
    kind = kind if isinstance(kind, ImportKind) else _kinds[kind]
    filename = Path(upload.name).name
    suffix = Path(filename).suffix.lower()
    stored = default_storage.save(f"{UPLOAD_DIR}/{uuid.uuid4().hex}{suffix}", upload)
    return jobs.job_start(
        owner=actor,
        kind=kind.name,
        station_id=kind.station(actor),
        params={**params, "file": stored, "filename": filename},
        total=_estimated_rows(stored, suffix) if kind.estimate_rows else None,
    )


def _estimated_rows(stored: str, suffix: str) -> int | None:
    """The data rows of a CSV (its lines but the header), for the progress bar;
    None for XLSX, whose rows are only known by reading it."""
    if suffix != ".csv":
        return None
    lines = 0
    last = b"\n"
    with default_storage.open(stored, "rb") as file:
        while chunk := file.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    lines += last != b"\n"
    return max(lines - 1, 0)


def _run(kind: ImportKind, job: Job, progress: jobs.Progress) -> dict:
    with default_storage.open(job.params["file"], "rb") as file:
        result = kind.load(job, file, progress)
    result.setdefault("filename", job.params["filename"])
    return result


def _cleanup(job: Job) -> None:
    """The stored upload goes once its import has finished."""
    default_storage.delete(job.params["file"])


def result_context(kind: ImportKind, job: Job, request: HttpRequest) -> dict:
    result = job.result
    errors = result.get("errors") or []
    context = {
        "import_kind": kind,
        "result": result,
        "errors": errors[:ERRORS_ON_PAGE],
        "more_errors": result.get("error_count", 0) - min(ERRORS_ON_PAGE, len(errors)),
    }
    if kind.result_context is not None:
        context.update(kind.result_context(job, request))
    return context


def report_response(kind: ImportKind, fmt: str, errors: Iterable[Sequence], total: int):
    """The problem report of a finished import, as .xlsx or .csv."""
    return tabular_response(
        fmt,
        kind.report_name,
        "导入问题",
        list(kind.report_headers),
        _report_rows(errors, total, len(kind.report_headers)),
        title_block=kind.report_title_block,
    )


def _report_rows(errors: Iterable[Sequence], total: int, width: int):
    count = 0
    for error in errors:
        count += 1
        yield ["" if value is None else value for value in error]
    if total > count:
        yield [""] * (width - 1) + [_("… and %(n)s more problems.") % {"n": total - count}]
