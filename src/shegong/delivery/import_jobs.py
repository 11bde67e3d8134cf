"""The web import of service records as a background job (core.jobs): the page
stores the upload under MEDIA_ROOT/imports/ and starts a "service_import" job;
the job runs `importing.service_events_import` (all or nothing, as the command
`import_services` does synchronously) and keeps the same result as the page showed
before: counts and the row-by-row problems."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy

from shegong.core import jobs
from shegong.core.models import Job
from shegong.delivery import importing

KIND = "service_import"
UPLOAD_DIR = "imports"
# Shown on the page; the downloadable report has up to importing.MAX_ERRORS.
ERRORS_ON_PAGE = 200


def service_import_start(*, actor: Any, upload: Any, year: int) -> Job:
    """Store the uploaded file and queue its import for `actor`'s station."""
    filename = Path(upload.name).name
    suffix = Path(filename).suffix.lower()
    stored = default_storage.save(f"{UPLOAD_DIR}/{uuid.uuid4().hex}{suffix}", upload)
    return jobs.job_start(
        owner=actor,
        kind=KIND,
        station_id=actor.station_id,
        params={"file": stored, "filename": filename, "year": year},
        total=_estimated_rows(stored, suffix),
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


def run(job: Job, progress: jobs.Progress) -> dict:
    params = job.params
    with default_storage.open(params["file"], "rb") as file:
        result = importing.service_events_import(
            actor=job.owner,
            file=file,
            filename=params["filename"],
            year=params["year"],
            progress=progress.add,
            batch_size=importing.BATCH_SIZE,
        )
    return {
        "filename": params["filename"],
        "year": params["year"],
        "rows": result.rows,
        "loaded_events": result.loaded_events,
        "loaded_person_times": result.loaded_person_times,
        "already_loaded": result.already_loaded,
        "error_count": result.error_count,
        "errors": [[e.row, e.column, str(e.message)] for e in result.errors],
    }


def result_context(job: Job) -> dict:
    result = job.result
    return {
        "result": result,
        "errors": result["errors"][:ERRORS_ON_PAGE],
        "more_errors": result["error_count"] - min(ERRORS_ON_PAGE, len(result["errors"])),
    }


def cleanup(job: Job) -> None:
    """The stored upload goes once its import has finished."""
    default_storage.delete(job.params["file"])


def register() -> None:
    jobs.register(
        KIND,
        label=gettext_lazy("Import of service records"),
        run=run,
        result_template="delivery/_import_result.html",
        result_context=result_context,
        cleanup=cleanup,
    )
