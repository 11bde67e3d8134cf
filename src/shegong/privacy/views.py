"""The pages of residents' personal data requests 个人信息权利请求: the station's
list, taking a request in from a resident's page, answering it, and the export
of everything held about the person (Excel to read, JSON for machines)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.clients.models import Resident
from shegong.core import audit
from shegong.core.access import get_visible_or_404, require, require_at
from shegong.core.exports import tabular_response
from shegong.core.forms import apply_service, bootstrap
from shegong.core.http import client_ip
from shegong.core.scope import CREATE, VIEW
from shegong.privacy import forms, requests
from shegong.privacy.models import ANSWER, RequestKind, SubjectRequest
from shegong.privacy.subject_data import as_json, as_table, subject_data


@login_required
def request_list(request):
    user = request.user
    require_at(user, VIEW, SubjectRequest, user.station)
    rows = (
        SubjectRequest.objects.visible_to(user)
        .select_related("resident", "station")
        .order_by("status", "due_on", "pk")
    )
    context = {"rows": rows, "today": timezone.localdate()}
    return render(request, "privacy/request_list.html", context)


@login_required
def request_create(request, resident: int):
    user = request.user
    person = get_visible_or_404(Resident, user, pk=resident)
    require_at(user, CREATE, SubjectRequest, person.station)
    form = bootstrap(forms.RequestForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        created = apply_service(
            form,
            lambda: requests.subject_request_open(actor=user, resident=person, **form.cleaned_data),
        )
        if created is not None:
            messages.success(
                request,
                _("Request taken in; it is due on %(day)s.")
                % {"day": f"{created.due_on:%Y-%m-%d}"},
            )
            return redirect("privacy:request-detail", created.pk)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "resident": person}
    return render(request, "privacy/request_form.html", context, status=status)


@login_required
def request_detail(request, pk: int):
    user = request.user
    item = get_visible_or_404(SubjectRequest, user, pk=pk)
    form = bootstrap(forms.AnswerForm(request.POST or None))
    if request.method == "POST":
        require(user, ANSWER, item)
        if form.is_valid():
            answered = apply_service(
                form,
                lambda: requests.subject_request_answer(
                    actor=user,
                    request=item,
                    outcome=form.cleaned_data["outcome"],
                    refuse=form.cleaned_data["refuse"],
                ),
            )
            if answered is not None:
                messages.success(request, _("Request answered."))
                return redirect("privacy:request-detail", item.pk)
    status = 400 if form.is_bound and form.errors else 200
    context = {
        "item": item,
        "form": form,
        "holds": requests.legal_holds(item.resident)
        if item.kind == RequestKind.DELETION and item.is_open
        else [],
        "today": timezone.localdate(),
    }
    return render(request, "privacy/request_detail.html", context, status=status)


@login_required
def request_export(request, pk: int, fmt: str):
    user = request.user
    item = get_visible_or_404(SubjectRequest, user, pk=pk)
    if fmt not in ("xlsx", "csv", "json"):
        raise Http404
    requests.subject_export_logged(actor=user, request=item, ip=client_ip(request))
    sections = subject_data(item.resident)
    basename = f"personal-data-{item.resident_id}"
    if fmt == "json":
        audit.record("export", object_repr=f"{basename}.json", detail={"request": item.pk})
        response = HttpResponse(
            json.dumps(as_json(sections), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{basename}.json"'
        return response
    return tabular_response(
        fmt,
        basename,
        _("Personal data held about %(name)s") % {"name": item.resident.name},
        [_("Kind of record"), _("Record no."), _("Field"), _("Value")],
        as_table(sections),
        scope=item.station.name,
    )
