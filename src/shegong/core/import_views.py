"""The pages of every import (core.imports): upload, the latest result, the
template, the problem report. An app's urls.py points at them with the kind's
name, e.g. `path("import/", import_views.import_upload, {"kind": "roster_import"})`.
The upload starts a job and redirects to its page (core.job_views), which shows
the progress and then the result; the result is kept on the job."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shegong.core import imports
from shegong.core.access import get_visible_or_404
from shegong.core.forms import bootstrap
from shegong.core.models import Job


@login_required
def import_upload(request, kind: str):
    kind = imports.kind_named(kind)
    permit = kind.permit(request.user)
    form = bootstrap(
        kind.form(request.POST or None, request.FILES or None, user=request.user, permit=permit)
    )
    if request.method == "POST" and form.is_valid():
        job = imports.import_start(
            kind=kind,
            actor=request.user,
            upload=form.cleaned_data["file"],
            params=kind.params(form.cleaned_data),
        )
        return redirect("core:job-detail", pk=job.pk)
    context = {"form": form, "import_kind": kind, **kind.upload_context(request, permit, form)}
    return render(
        request,
        kind.upload_template,
        context,
        status=400 if request.method == "POST" else 200,
    )


def _last_import(request, kind: imports.ImportKind) -> Job | None:
    """The import job the request names (`?job=`), else the user's latest."""
    jobs = Job.objects.visible_to(request.user).filter(kind=kind.name)
    if "job" in request.GET:
        return get_visible_or_404(jobs, request.user, pk=request.GET["job"])
    return jobs.order_by("-created_at", "-pk").first()


@login_required
def import_result(request, kind: str):
    """The latest import's page (its job), or the upload form before any."""
    kind = imports.kind_named(kind)
    kind.permit(request.user)
    job = _last_import(request, kind)
    if job is None:
        return redirect(kind.upload_url)
    return redirect("core:job-detail", pk=job.pk)


@login_required
def import_template(request, kind: str):
    kind = imports.kind_named(kind)
    return kind.template(request, kind.permit(request.user))


@login_required
def import_report(request, kind: str, fmt: str):
    kind = imports.kind_named(kind)
    kind.permit(request.user)
    job = _last_import(request, kind)
    result = job.result if job is not None else None
    if fmt not in kind.report_formats or not result or not result.get("error_count"):
        raise Http404(_("No import problems to download."))
    return imports.report_response(kind, fmt, result["errors"], result["error_count"])
