"""Pages of the staff accounts import (city officers and administrators) and of the
previous system's records import (district and city officers, administrators):
upload, result, template, problem report. The imports themselves are
`golive.staff_import` and `golive.records_import`."""

from __future__ import annotations

import io
from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.core import audit
from shegong.core.exports import neutralise
from shegong.core.forms import bootstrap
from shegong.core.uploads import validate_upload
from shegong.golive import org_import, records_import, staff_import

RECORDS_SESSION_KEY = "records_import"
ERRORS_ON_PAGE = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(fill, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    fill(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Staff accounts -------------------------------------------------------------------


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Sheet"),
        help_text=gettext_lazy("The staff sheet (.xlsx) of at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    deactivate_leavers = forms.BooleanField(
        label=gettext_lazy("Deactivate the accounts of my scope this sheet no longer lists"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(
            upload,
            suffixes=(".xlsx",),
            max_bytes=org_import.MAX_FILE_SIZE,
            type_message=_("Only .xlsx workbooks can be imported."),
        )
        return upload


@login_required
def staff_import_upload(request):
    """The result is answered to the POST itself, not kept: it holds the new
    accounts' one-time activation links, shown this once."""
    staff_import.require_staff_import(request.user)
    form = bootstrap(StaffImportForm(request.POST or None, request.FILES or None))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = staff_import.staff_import(
            actor=request.user,
            file=upload,
            deactivate_leavers=form.cleaned_data["deactivate_leavers"],
        )
        links = [
            (
                activation.username,
                activation.full_name,
                request.build_absolute_uri(reverse("golive:activate", args=[activation.token])),
            )
            for activation in result.activations
        ]
        response = render(
            request,
            "golive/staff_import_result.html",
            {
                "result": result,
                "filename": Path(upload.name).name,
                "links": links,
                "deactivate_leavers": form.cleaned_data["deactivate_leavers"],
                "errors": result.errors[:ERRORS_ON_PAGE],
                "more_errors": result.error_count - min(ERRORS_ON_PAGE, len(result.errors)),
            },
            status=200 if result.ok else 400,
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "golive/staff_import.html",
        {"form": form, "columns": staff_import.COLUMNS},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def staff_template(request):
    staff_import.require_staff_import(request.user)

    def fill(buffer):
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=staff_import.SHEET_TITLE)
        sheet.append(staff_import.HEADERS)
        workbook.save(buffer)

    return _xlsx_response(fill, "staff-template.xlsx")


# --- Records of the previous system ---------------------------------------------------


class RecordsImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "The records workbook (.xlsx), or one sheet as a .csv file (UTF-8), of at most 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(
            upload,
            suffixes=records_import.SUFFIXES,
            max_bytes=records_import.MAX_FILE_SIZE,
            type_message=_("Only .xlsx workbooks and .csv files can be imported."),
        )
        return upload


@login_required
def records_import_upload(request):
    records_import.require_records_import(request.user)
    form = bootstrap(RecordsImportForm(request.POST or None, request.FILES or None))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        filename = Path(upload.name).name
        result = records_import.records_import(actor=request.user, file=upload, filename=filename)
        request.session[RECORDS_SESSION_KEY] = {
            "filename": filename,
            "sheets": [
                [records_import.SHEET_BY_KEY[key].title, vars(counts)]
                for key, counts in result.sheets.items()
            ],
            "error_count": result.error_count,
            "errors": [[e.sheet, e.row, e.column, e.message] for e in result.errors],
        }
        return redirect("golive:records-import-result")
    return render(
        request,
        "golive/records_import.html",
        {"form": form, "sheets": records_import.SHEETS},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def records_import_result(request):
    records_import.require_records_import(request.user)
    result = request.session.get(RECORDS_SESSION_KEY)
    if result is None:
        return redirect("golive:records-import")
    return render(
        request,
        "golive/records_import_result.html",
        {
            "result": result,
            "errors": result["errors"][:ERRORS_ON_PAGE],
            "more_errors": result["error_count"] - min(ERRORS_ON_PAGE, len(result["errors"])),
        },
    )


@login_required
def records_template(request):
    records_import.require_records_import(request.user)
    return _xlsx_response(records_import.template_workbook, "records-template.xlsx")


@login_required
def records_import_report(request):
    records_import.require_records_import(request.user)
    result = request.session.get(RECORDS_SESSION_KEY)
    if not result or not result["error_count"]:
        raise Http404(_("No import problems to download."))

    def fill(buffer):
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title="导入问题")
        sheet.append(org_import.REPORT_HEADERS)
        for row in result["errors"]:
            sheet.append([neutralise("" if value is None else value) for value in row])
        workbook.save(buffer)

    audit.record("export", object_repr="records-import-problems.xlsx")
    return _xlsx_response(fill, "records-import-problems.xlsx")
