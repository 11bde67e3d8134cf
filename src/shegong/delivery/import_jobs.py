"""The web import of service records, declared on core's import mechanism
(core.imports): the upload form (plan year and file), the permission (the
station's own staff), the loader `importing.service_events_import` (all or
nothing, as the command `import_services` does synchronously), the template and
the result's counts. The pages are core.import_views with kind "service_import"."""

from __future__ import annotations

from typing import IO, Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.core import imports, jobs
from shegong.core.models import Job
from shegong.core.uploads import validate_upload
from shegong.delivery import importing, services
from shegong.plans.models import AnnualPlan

KIND = "service_import"
ROW_COLUMNS = (gettext_lazy("Row"), gettext_lazy("Column"), gettext_lazy("Problem"))


class ImportForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Plan year"), coerce=int)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A .csv (UTF-8) or .xlsx file of at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(importing.SUFFIXES)}),
    )

    def __init__(self, *args, permit: list[int], user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in permit]
        self.fields["year"].initial = _default_year(permit)

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


def permit(user: Any) -> list[int]:
    """The plan years the user may import into; 403 for anyone but station staff."""
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


def template(request, years: list[int]):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = _default_year(years) or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404
    return importing.template_response(request.user, year)


def load(job: Job, file: IO[bytes], progress: jobs.Progress) -> dict:
    params = job.params
    result = importing.service_events_import(
        actor=job.owner,
        file=file,
        filename=params["filename"],
        year=params["year"],
        progress=progress.add,
        batch_size=importing.BATCH_SIZE,
    )
    return {
        "year": params["year"],
        "rows": result.rows,
        "loaded_events": result.loaded_events,
        "loaded_person_times": result.loaded_person_times,
        "already_loaded": result.already_loaded,
        "error_count": result.error_count,
        "errors": [[e.row, e.column, str(e.message)] for e in result.errors],
    }


SERVICE_IMPORT = imports.ImportKind(
    name=KIND,
    label=gettext_lazy("Import service records"),
    permit=permit,
    form=ImportForm,
    load=load,
    params=lambda data: {"year": data["year"]},
    station=lambda user: user.station_id,
    upload_context=lambda request, years, form: {"years": years},
    upload_template="delivery/import_upload.html",
    summary_template="delivery/_import_summary.html",
    template=template,
    upload_url="imports:upload",
    report_url="imports:report",
    error_columns=ROW_COLUMNS,
    report_headers=importing.REPORT_HEADERS,
    report_name="service-import-problems",
    estimate_rows=True,
)


def service_import_start(*, actor: Any, upload: Any, year: int) -> Job:
    """Store the uploaded file and queue its import for `actor`'s station."""
    return imports.import_start(
        kind=SERVICE_IMPORT, actor=actor, upload=upload, params={"year": year}
    )


def register() -> None:
    imports.register(SERVICE_IMPORT)
