"""Pages of the organisation import for administrators: upload, result, the
template, the city's current organisation as a workbook, the problem report. The
import itself is `golive.org_import`; the last result is kept in the session."""

from __future__ import annotations

import io
from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.core import audit
from shegong.core.forms import bootstrap
from shegong.core.replicas import reads_from_replica
from shegong.core.uploads import validate_upload
from shegong.golive import org_import
from shegong.org.models import City

SESSION_KEY = "org_import"
ERRORS_ON_PAGE = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OrgImportForm(forms.Form):
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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cities = City.objects.visible_to(user)
        self.fields["city"].queryset = cities
        self.fields["city"].initial = cities.first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(
            upload,
            suffixes=org_import.SUFFIXES,
            max_bytes=org_import.MAX_FILE_SIZE,
            type_message=_("Only .xlsx workbooks can be imported."),
        )
        return upload


def _workbook_response(city: City | None, basename: str) -> HttpResponse:
    buffer = io.BytesIO()
    org_import.export_workbook(city, buffer)
    filename = f"{basename}-{timezone.localdate().isoformat()}.xlsx"
    if city is not None:
        audit.record("export", object_repr=filename, detail={"title": "组织架构"})
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def org_import_upload(request):
    org_import.require_org_import(request.user)
    form = bootstrap(OrgImportForm(request.POST or None, request.FILES or None, user=request.user))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = org_import.org_import(
            actor=request.user,
            city=form.cleaned_data["city"],
            file=upload,
            deactivate_missing=form.cleaned_data["deactivate_missing"],
        )
        request.session[SESSION_KEY] = {
            "filename": Path(upload.name).name,
            "city": form.cleaned_data["city"].name,
            "deactivate_missing": form.cleaned_data["deactivate_missing"],
            "sheets": [
                [org_import.SHEET_BY_KIND[kind].title, vars(counts)]
                for kind, counts in result.sheets.items()
            ],
            "error_count": result.error_count,
            "errors": [[e.sheet, e.row, e.column, e.message] for e in result.errors],
            "missing": [
                [org_import.SHEET_BY_KIND[m.kind].title, m.code, m.name] for m in result.missing
            ],
        }
        return redirect("golive:org-import-result")
    return render(
        request,
        "golive/org_import.html",
        {"form": form, "sheets": org_import.SHEETS},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def org_import_result(request):
    org_import.require_org_import(request.user)
    result = request.session.get(SESSION_KEY)
    if result is None:
        return redirect("golive:org-import")
    return render(
        request,
        "golive/org_import_result.html",
        {
            "result": result,
            "errors": result["errors"][:ERRORS_ON_PAGE],
            "more_errors": result["error_count"] - min(ERRORS_ON_PAGE, len(result["errors"])),
        },
    )


@login_required
def org_template(request):
    org_import.require_org_import(request.user)
    return _workbook_response(None, "organisation-template")


@reads_from_replica
@login_required
def org_export(request):
    org_import.require_org_import(request.user)
    city = City.objects.visible_to(request.user).first()
    if city is None:
        raise Http404(_("No city yet."))
    return _workbook_response(city, "organisation")


@login_required
def org_import_report(request):
    org_import.require_org_import(request.user)
    result = request.session.get(SESSION_KEY)
    if not result or not result["error_count"]:
        raise Http404(_("No import problems to download."))
    from openpyxl import Workbook

    from shegong.core.exports import neutralise

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="导入问题")
    sheet.append(org_import.REPORT_HEADERS)
    for row in result["errors"]:
        sheet.append([neutralise("" if value is None else value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit.record("export", object_repr="organisation-import-problems.xlsx")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="organisation-import-problems.xlsx"'
    return response


def activate(request, token: str):
    """An imported account's one-time link: set the first password (Django's
    validators), then log in. A used, replaced or expired link answers 404."""
    from django.contrib import messages
    from django.contrib.auth.forms import SetPasswordForm

    from shegong.golive import staff_import

    record = staff_import.activation_find(token)
    if record is None:
        return render(request, "golive/activation_invalid.html", status=404)
    form = bootstrap(SetPasswordForm(record.user, request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            staff_import.activation_use(token=token, password=form.cleaned_data["new_password1"])
        except ValidationError:
            return render(request, "golive/activation_invalid.html", status=404)
        messages.success(request, _("Your password is set. Log in with it."))
        return redirect("accounts:login")
    return render(
        request,
        "golive/activate.html",
        {"form": form, "account": record.user},
        status=400 if request.method == "POST" else 200,
    )
