"""The going-live imports' pages, declared on core's import mechanism
(core.imports): the organisation (administrators), the staff accounts (city
officers and administrators) and the previous system's records (district and city
officers, administrators). Each brings its form, its permission (the module's
`require_*`), its loader (all or nothing), its template and its counts; the pages
are core.import_views with the kind's name.

The staff import's result holds the new accounts' one-time activation links. The
job keeps their tokens encrypted (clients.identity) until the result page is
first opened, which shows them and removes them from the job: shown once."""

from __future__ import annotations

import io
from typing import IO

from django import forms
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from shegong.clients import identity
from shegong.core import audit, imports, jobs
from shegong.core.models import Job
from shegong.core.uploads import validate_upload
from shegong.delivery.import_jobs import ROW_COLUMNS
from shegong.delivery.importing import REPORT_HEADERS
from shegong.golive import org_import, records_import, staff_import
from shegong.org.models import City

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_COLUMNS = (
    gettext_lazy("Sheet"),
    gettext_lazy("Row"),
    gettext_lazy("Column"),
    gettext_lazy("Problem"),
)


def xlsx_response(fill, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    fill(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_only(message):
    """A form's `clean_file` accepting the form's `suffixes`, else `message`."""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(
            upload,
            suffixes=self.suffixes,
            max_bytes=org_import.MAX_FILE_SIZE,
            type_message=str(message),
        )
        return upload

    return clean_file


def _sheet_errors(errors) -> list[list]:
    return [[e.sheet, e.row, e.column, str(e.message)] for e in errors]


# --- The organisation -----------------------------------------------------------------


class OrgImportForm(forms.Form):
    suffixes = org_import.SUFFIXES
    city = forms.ModelChoiceField(label=gettext_lazy("City"), queryset=City.objects.none())
    file = forms.FileField(
        label=gettext_lazy("Workbook"),
        help_text=gettext_lazy("The organisation workbook (.xlsx) of at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    deactivate_missing = forms.BooleanField(
        label=gettext_lazy("Deactivate the units this workbook no longer lists"),
        required=False,
    )
    clean_file = _xlsx_only(gettext_lazy("Only .xlsx workbooks can be imported."))

    def __init__(self, *args, user, permit=None, **kwargs):
        super().__init__(*args, **kwargs)
        cities = City.objects.visible_to(user)
        self.fields["city"].queryset = cities
        self.fields["city"].initial = cities.first()


def _org_load(job: Job, file: IO[bytes], progress: jobs.Progress) -> dict:
    city = City.objects.visible_to(job.owner).get(pk=job.params["city"])
    result = org_import.org_import(
        actor=job.owner,
        city=city,
        file=file,
        deactivate_missing=job.params["deactivate_missing"],
        progress=progress.add,
    )
    return {
        "city": city.name,
        "deactivate_missing": job.params["deactivate_missing"],
        "sheets": [
            [org_import.SHEET_BY_KIND[kind].title, vars(counts)]
            for kind, counts in result.sheets.items()
        ],
        "error_count": result.error_count,
        "errors": _sheet_errors(result.errors),
        "missing": [
            [org_import.SHEET_BY_KIND[m.kind].title, m.code, m.name] for m in result.missing
        ],
    }


def org_workbook_response(city: City | None, basename: str) -> HttpResponse:
    """The city's organisation as a workbook (None: the empty template)."""
    filename = f"{basename}-{timezone.localdate().isoformat()}.xlsx"
    response = xlsx_response(lambda buffer: org_import.export_workbook(city, buffer), filename)
    if city is not None:
        audit.record("export", object_repr=filename, detail={"title": "组织架构"})
    return response


def _org_template(request, permit) -> HttpResponse:
    return org_workbook_response(None, "organisation-template")


ORG_IMPORT = imports.ImportKind(
    name="org_import",
    label=gettext_lazy("Import the organisation"),
    permit=org_import.require_org_import,
    form=OrgImportForm,
    load=_org_load,
    params=lambda data: {
        "city": data["city"].pk,
        "deactivate_missing": data["deactivate_missing"],
    },
    upload_context=lambda request, permit, form: {"sheets": org_import.SHEETS},
    upload_template="golive/org_import.html",
    summary_template="golive/_org_import_summary.html",
    template=_org_template,
    upload_url="golive:org-import",
    report_url="golive:org-import-report",
    error_columns=SHEET_COLUMNS,
    report_headers=org_import.REPORT_HEADERS,
    report_name="organisation-import-problems",
    report_title_block=False,
    noun="workbook",
)


# --- Staff accounts -------------------------------------------------------------------


class StaffImportForm(forms.Form):
    suffixes = (".xlsx",)
    file = forms.FileField(
        label=gettext_lazy("Sheet"),
        help_text=gettext_lazy("The staff sheet (.xlsx) of at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    deactivate_leavers = forms.BooleanField(
        label=gettext_lazy("Deactivate the accounts of my scope this sheet no longer lists"),
        required=False,
    )
    clean_file = _xlsx_only(gettext_lazy("Only .xlsx workbooks can be imported."))

    def __init__(self, *args, user=None, permit=None, **kwargs):
        super().__init__(*args, **kwargs)


def _staff_load(job: Job, file: IO[bytes], progress: jobs.Progress) -> dict:
    result = staff_import.staff_import(
        actor=job.owner, file=file, deactivate_leavers=job.params["deactivate_leavers"]
    )
    progress.add(result.rows)
    return {
        "deactivate_leavers": job.params["deactivate_leavers"],
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "leavers": result.leavers,
        # Kept encrypted until the result is first shown, then removed.
        "activations": [
            [a.username, a.full_name, identity.encrypt(a.token)] for a in result.activations
        ],
        "error_count": result.error_count,
        "errors": [[e.row, e.column, str(e.message)] for e in result.errors],
    }


def _staff_result(job: Job, request) -> dict:
    """The activation links, this once: the job forgets their tokens now."""
    result = job.result
    activations = result.get("activations") or []
    if not activations:
        return {"links": [], "links_shown": result.get("links_shown", 0)}
    links = [
        (
            username,
            full_name,
            request.build_absolute_uri(reverse("golive:activate", args=[identity.decrypt(token)])),
        )
        for username, full_name, token in activations
    ]
    Job.objects.filter(pk=job.pk).update(
        result={**result, "activations": [], "links_shown": len(activations)}
    )
    return {"links": links, "links_shown": 0}


def _staff_template(request, permit) -> HttpResponse:
    def fill(buffer):
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=staff_import.SHEET_TITLE)
        sheet.append(staff_import.HEADERS)
        workbook.save(buffer)

    return xlsx_response(fill, "staff-template.xlsx")


STAFF_IMPORT = imports.ImportKind(
    name="staff_import",
    label=gettext_lazy("Import staff accounts"),
    permit=staff_import.require_staff_import,
    form=StaffImportForm,
    load=_staff_load,
    params=lambda data: {"deactivate_leavers": data["deactivate_leavers"]},
    upload_context=lambda request, permit, form: {"columns": staff_import.COLUMNS},
    upload_template="golive/staff_import.html",
    summary_template="golive/_staff_import_summary.html",
    result_context=_staff_result,
    template=_staff_template,
    upload_url="golive:staff-import",
    report_url="golive:staff-import-report",
    error_columns=ROW_COLUMNS,
    report_headers=REPORT_HEADERS,
    report_name="staff-import-problems",
    report_title_block=False,
    noun="sheet",
)


# --- Records of the previous system ---------------------------------------------------


class RecordsImportForm(forms.Form):
    suffixes = records_import.SUFFIXES
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "The records workbook (.xlsx), or one sheet as a .csv file (UTF-8), of at most 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    clean_file = _xlsx_only(gettext_lazy("Only .xlsx workbooks and .csv files can be imported."))

    def __init__(self, *args, user=None, permit=None, **kwargs):
        super().__init__(*args, **kwargs)


def _records_load(job: Job, file: IO[bytes], progress: jobs.Progress) -> dict:
    result = records_import.records_import(
        actor=job.owner,
        file=file,
        filename=job.params["filename"],
        progress=progress.add,
        total=progress.total,
    )
    return {
        "sheets": [
            [records_import.SHEET_BY_KEY[key].title, vars(counts)]
            for key, counts in result.sheets.items()
        ],
        "error_count": result.error_count,
        "errors": _sheet_errors(result.errors),
    }


RECORDS_IMPORT = imports.ImportKind(
    name="records_import",
    label=gettext_lazy("Import records from the previous system"),
    permit=records_import.require_records_import,
    form=RecordsImportForm,
    load=_records_load,
    upload_context=lambda request, permit, form: {"sheets": records_import.SHEETS},
    upload_template="golive/records_import.html",
    summary_template="golive/_records_import_summary.html",
    template=lambda request, permit: xlsx_response(
        records_import.template_workbook, "records-template.xlsx"
    ),
    upload_url="golive:records-import",
    report_url="golive:records-import-report",
    error_columns=SHEET_COLUMNS,
    report_headers=org_import.REPORT_HEADERS,
    report_name="records-import-problems",
    report_title_block=False,
)


def register() -> None:
    for kind in (ORG_IMPORT, STAFF_IMPORT, RECORDS_IMPORT):
        imports.register(kind)
