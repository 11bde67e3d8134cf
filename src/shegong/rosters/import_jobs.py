"""The roster import's page, declared on core's import mechanism (core.imports):
the form (month, source, file), the permission (district and city officers), the
loader `importing.roster_import` (all or nothing), the template and the result's
counts. The pages are core.import_views with kind "roster_import"."""

from __future__ import annotations

from typing import IO, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.core import imports, jobs
from shegong.core.access import require_at
from shegong.core.models import Job
from shegong.core.scope import CREATE
from shegong.core.uploads import validate_upload
from shegong.delivery.import_jobs import ROW_COLUMNS
from shegong.delivery.importing import REPORT_HEADERS
from shegong.rosters import importing, selectors
from shegong.rosters.models import RosterImport

KIND = "roster_import"


class ImportForm(forms.Form):
    month = forms.CharField(
        label=gettext_lazy("Roster month"),
        help_text=gettext_lazy("YYYY-MM"),
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=200,
        help_text=gettext_lazy("Who supplied the lists, e.g. the district civil-affairs bureau."),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A .csv (UTF-8) or .xlsx file of at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(importing.SUFFIXES)}),
    )

    def __init__(self, *args, user=None, permit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["month"] = timezone.localdate().strftime("%Y-%m")

    def clean_month(self):
        return importing.month_of(self.cleaned_data["month"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(
            upload,
            suffixes=importing.SUFFIXES,
            max_bytes=importing.MAX_FILE_SIZE,
            type_message=_("Only .csv and .xlsx files can be imported."),
        )
        return upload


def permit(user: Any) -> None:
    require_at(
        user, CREATE, RosterImport, None, _("Only district and city officers import rosters.")
    )


def load(job: Job, file: IO[bytes], progress: jobs.Progress) -> dict:
    params = job.params
    result = importing.roster_import(
        actor=job.owner,
        file=file,
        filename=params["filename"],
        month=importing.month_of(params["month"]),
        source=params["source"],
        progress=progress.add,
    )
    return {
        "month": params["month"],
        "rows": result.rows,
        "new": result.new,
        "still": result.still,
        "left": result.left,
        "not_placed": result.not_placed,
        "residents_created": result.residents_created,
        "by_station": [
            [name, c.new, c.still, c.left] for name, c in sorted(result.by_station.items())
        ],
        "unplaced": sorted(result.unplaced.items()),
        "error_count": result.error_count,
        "errors": [[e.row, e.column, str(e.message)] for e in result.errors],
    }


ROSTER_IMPORT = imports.ImportKind(
    name=KIND,
    label=gettext_lazy("Import rosters"),
    permit=permit,
    form=ImportForm,
    load=load,
    params=lambda data: {"month": f"{data['month']:%Y-%m}", "source": data["source"]},
    upload_context=lambda request, permit, form: {
        "columns": importing.COLUMNS,
        "imports": selectors.imports_for(request.user)[:12],
    },
    upload_template="rosters/import_upload.html",
    summary_template="rosters/_import_summary.html",
    template=lambda request, permit: importing.template_response(),
    upload_url="rosters:import",
    report_url="rosters:import-report",
    error_columns=ROW_COLUMNS,
    report_headers=REPORT_HEADERS,
    report_name="roster-import-problems",
    estimate_rows=True,
)


def register() -> None:
    imports.register(ROSTER_IMPORT)
