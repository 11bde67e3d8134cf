"""Large exports as background jobs (core.jobs): a report built at city scale
(the statistics reports, the 113X targets, roster coverage) is asked for on its
page, built by a worker into an Excel file stored privately under
MEDIA_ROOT/exports/ (never served as a static file), and downloaded from the
job's page by the person who started it only (`Job.scope`, owner-only: anyone
else gets 404 for the job and for its file).

The domain apps register what they export (`register(name, label=, build=)` in
`AppConfig.ready()`); `build(user, params)` returns the `Table` the direct
download sends, so the job's file and the direct export are the same workbook.
The builder reads as the job's owner, through the same scope as the page."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy

from shegong.core import audit, jobs
from shegong.core.exports import export_filename, xlsx_file
from shegong.core.models import Job

KIND = "export"
EXPORT_DIR = "exports"
# A stored report is kept this long after its job finished, then deleted when the
# next export starts (the figures can always be prepared again).
KEEP_FILES_FOR = timedelta(days=7)
EXPIRE_BATCH = 100
# Progress is published every this many rows.
PROGRESS_EVERY = 200


@dataclass(frozen=True)
class Table:
    """What an export holds: file name, title block and rows."""

    basename: str
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    scope: str = ""
    period: str = ""


@dataclass(frozen=True)
class Export:
    name: str
    label: Any
    build: Callable[[Any, dict], Table]


_exports: dict[str, Export] = {}


def register(name: str, *, label: Any, build: Callable[[Any, dict], Table]) -> None:
    """Declare an export that may run as a job (from an app's `AppConfig.ready()`)."""
    _exports[name] = Export(name, label, build)


def export_start(*, actor: Any, name: str, params: dict) -> Job:
    """Queue the export `name` with `params` (already checked by the page) for `actor`."""
    if name not in _exports:
        raise ValueError(f"unknown export {name!r}")
    expire_old_files()
    return jobs.job_start(
        owner=actor,
        kind=KIND,
        station_id=getattr(actor, "station_id", None),
        params={"export": name, "params": params},
    )


def _counted(rows: Iterable[Sequence[Any]], progress: jobs.Progress) -> Iterator[Sequence[Any]]:
    pending = 0
    for row in rows:
        yield row
        pending += 1
        if pending == PROGRESS_EVERY:
            progress.add(pending)
            pending = 0
    if pending:
        progress.add(pending)


def run(job: Job, progress: jobs.Progress) -> dict:
    export = _exports[job.params["export"]]
    table = export.build(job.owner, job.params["params"])
    spool = xlsx_file(
        table.title,
        table.headers,
        _counted(table.rows, progress),
        scope=table.scope,
        period=table.period,
    )
    filename = export_filename(table.basename, "xlsx")
    # The trace every export leaves, as the direct download's; the file is stored
    # last, so a failure before leaves no file.
    audit.record("export", object_repr=filename, detail={"title": str(table.title), "job": job.pk})
    with spool:
        stored = default_storage.save(f"{EXPORT_DIR}/{uuid.uuid4().hex}.xlsx", File(spool))
    return {"file": stored, "filename": filename, "title": str(table.title), "rows": progress.done}


def expire_old_files(now=None) -> int:
    """Delete the files of export jobs finished more than KEEP_FILES_FOR ago (a
    batch at a time); their jobs keep their record, without the file."""
    cutoff = (now or timezone.now()) - KEEP_FILES_FOR
    old = Job.objects.filter(kind=KIND, status=Job.Status.DONE, finished_at__lt=cutoff)
    expired = 0
    for job in old.exclude(result__file="").order_by("finished_at")[:EXPIRE_BATCH]:
        if job.result and job.result.get("file"):
            default_storage.delete(job.result["file"])
        Job.objects.filter(pk=job.pk).update(result={**(job.result or {}), "file": ""})
        expired += 1
    return expired


def file_of(job: Job) -> tuple[str, str] | None:
    """(stored path, download name) of a finished export job, else None."""
    if job.kind != KIND or job.status != Job.Status.DONE or not job.result:
        return None
    if not job.result.get("file"):
        return None
    return job.result["file"], job.result["filename"]


def label_of(job: Job) -> Any:
    export = _exports.get((job.params or {}).get("export", ""))
    return export.label if export else jobs.kind_of(job).label


def register_kind() -> None:
    jobs.register(
        KIND,
        label=gettext_lazy("Report in Excel"),
        run=run,
        result_template="core/_export_result.html",
        result_context=lambda job, _request: {"result": job.result, "export_label": label_of(job)},
    )
