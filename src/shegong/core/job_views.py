"""The page of a background job (core.jobs): a progress bar polled by htmx every
second while it runs, then the result its kind renders. Visible to the person who
started the job only (`Job.scope`); anyone else gets 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core import export_jobs, jobs
from shegong.core.access import get_visible_or_404
from shegong.core.models import Job


def _context(job: Job) -> dict:
    done, total = jobs.progress_of(job)
    percent = min(100, round(100 * done / total)) if total else None
    return {
        "job": job,
        "kind": jobs.kind_of(job),
        "done": done,
        "total": total,
        "percent": percent,
        "retryable": jobs.retryable(job),
    }


def _page_context(job: Job, request) -> dict:
    context = _context(job)
    if job.status == Job.Status.DONE:
        kind = context["kind"]
        context["result_template"] = kind.result_template
        context.update(kind.result_context(job, request))
    return context


# The list shows the latest jobs only: a job's page is its record.
LIST_LIMIT = 100


@login_required
def job_list(request):
    """The latest jobs the user may see: their own; for administrators also the
    system's (the scheduled alert rules and purge), with status, tries and progress."""
    visible = Job.objects.visible_to(request.user).select_related("owner")
    rows = [_context(job) for job in visible.order_by("-created_at", "-pk")[:LIST_LIMIT]]
    return render(request, "core/job_list.html", {"rows": rows})


@login_required
def job_detail(request, pk: int):
    job = get_visible_or_404(Job, request.user, pk=pk)
    response = render(request, "core/job_detail.html", _page_context(job, request))
    # A result may show what must not be kept (the staff import's one-time links).
    response["Cache-Control"] = "no-store"
    return response


@login_required
def job_progress(request, pk: int):
    """The polled fragment; once the job has finished, the whole page reloads."""
    job = get_visible_or_404(Job, request.user, pk=pk)
    response = render(request, "core/_job_progress.html", _context(job))
    if job.finished and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def job_retry(request, pk: int):
    job = get_visible_or_404(Job, request.user, pk=pk)
    try:
        jobs.job_retry(actor=request.user, job=job)
    except ValidationError as error:
        context = _page_context(job, request)
        context["retry_error"] = error.messages[0]
        return render(request, "core/job_detail.html", context, status=409)
    return redirect("core:job-detail", pk=job.pk)


@login_required
def job_file(request, pk: int):
    """The file a finished export job stored: for the job's owner only (404 else)."""
    job = get_visible_or_404(Job, request.user, pk=pk)
    found = export_jobs.file_of(job)
    if found is None or not default_storage.exists(found[0]):
        raise Http404(_("No such file."))
    path, filename = found
    return FileResponse(
        default_storage.open(path, "rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
