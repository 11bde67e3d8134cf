"""Web pages of the bulk import of service records: upload, the template and the
error report. The import itself is `delivery.importing`, run as a background job
(`delivery.import_jobs`): the upload redirects to the job's page (core.job_views),
which shows its progress and then the result; the result is kept on the job."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.core.access import get_visible_or_404
from shegong.core.forms import bootstrap
from shegong.core.models import Job
from shegong.core.uploads import validate_upload
from shegong.delivery import import_jobs, importing, services
from shegong.plans.models import AnnualPlan


class ImportForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Plan year"), coerce=int)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A .csv (UTF-8) or .xlsx file of at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(importing.SUFFIXES)}),
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]
        self.fields["year"].initial = _default_year(years)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(
            upload,
            suffixes=importing.SUFFIXES,
            max_bytes=importing.MAX_FILE_SIZE,
            type_message=_("Only .csv and .xlsx files can be imported."),
        )
        return upload


def _default_year(years: list[int]) -> int | None:
    this_year = timezone.localdate().year
    if this_year in years:
        return this_year
    return years[0] if years else None


def _importer(request) -> list[int]:
    """The plan years the user may import into; 403 for anyone but station staff."""
    user = request.user
    refusal = _("Only a station's own staff import its service records.")
    if user.station_id is None:
        raise PermissionDenied(refusal)
    services.require_recorder_at(user, user.station_id, message=refusal)
    return list(
        AnnualPlan.objects.visible_to(user)
        .filter(station_id=user.station_id)
        .order_by("-year")
        .values_list("year", flat=True)
    )


@login_required
def import_upload(request):
    years = _importer(request)
    form = bootstrap(ImportForm(request.POST or None, request.FILES or None, years=years))
    if request.method == "POST" and form.is_valid():
        job = import_jobs.service_import_start(
            actor=request.user, upload=form.cleaned_data["file"], year=form.cleaned_data["year"]
        )
        return redirect("core:job-detail", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "delivery/import_upload.html",
        {"form": form, "years": years, "columns": importing.COLUMNS},
        status=status,
    )


def _last_import(request) -> Job | None:
    """The import job the request names (`?job=`), else the user's latest."""
    jobs = Job.objects.visible_to(request.user).filter(kind=import_jobs.KIND)
    if "job" in request.GET:
        return get_visible_or_404(jobs, request.user, pk=request.GET["job"])
    return jobs.order_by("-created_at", "-pk").first()


@login_required
def import_result(request):
    """The latest import's page (its job), or the upload form before any."""
    _importer(request)
    job = _last_import(request)
    if job is None:
        return redirect("imports:upload")
    return redirect("core:job-detail", pk=job.pk)


@login_required
def import_template(request):
    years = _importer(request)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = _default_year(years) or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404
    return importing.template_response(request.user, year)


@login_required
def import_report(request, fmt: str):
    _importer(request)
    job = _last_import(request)
    result = job.result if job is not None else None
    if fmt not in ("xlsx", "csv") or not result or not result["error_count"]:
        raise Http404(_("No import problems to download."))
    return importing.report_response(fmt, result["errors"], result["error_count"])
