"""The pages of personal-data exports 个人信息导出: asking for one with a reason,
the list of one's own and (for approvers) the station's, deciding a large one,
downloading an approved one (watermarked), and a case file's PDF taken with a
reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.cases import selectors as cases
from shegong.core.access import get_visible_or_404, require, require_at
from shegong.core.exports import FORMATS, tabular_response
from shegong.core.forms import add_errors, apply_service, bootstrap
from shegong.core.http import client_ip
from shegong.core.pdf import pdf_response
from shegong.core.scope import CREATE, VIEW, can, may_create
from shegong.privacy import personal_exports as service
from shegong.privacy import selectors
from shegong.privacy.export_kinds import KINDS, rows_of
from shegong.privacy.forms import DecisionForm, ExportForm, ReasonForm
from shegong.privacy.models import APPROVE, ExportKind, ExportStatus, PersonalExport


@login_required
def export_list(request):
    user = request.user
    require_at(user, VIEW, PersonalExport, user.station)
    rows = (
        PersonalExport.objects.visible_to(user)
        .exclude(kind=ExportKind.CASE_FILE)
        .select_related("requested_by", "decided_by", "station")
    )
    context = {
        "rows": rows[:200],
        "waiting": list(selectors.exports_waiting(user)),
        "can_create": may_create(user, PersonalExport),
        "threshold": service.settings.PERSONAL_EXPORT_APPROVAL_ROWS,
    }
    return render(request, "privacy/export_list.html", context)


@login_required
def export_create(request):
    user = request.user
    require_at(user, CREATE, PersonalExport, user.station)
    initial = {name: request.GET.get(name, "") for name in ("kind", "survey", "month", "funder")}
    form = bootstrap(ExportForm(request.POST or None, user=user, initial=initial))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = apply_service(
            form,
            lambda: service.personal_export_request(
                actor=user, kind=data["kind"], filters=data, reason=data["reason"]
            ),
        )
        if created is not None:
            if created.status == ExportStatus.APPROVED:
                messages.success(request, _("Export ready: download it below."))
            else:
                messages.info(
                    request,
                    _(
                        "%(rows)s records are more than %(max)s: the export waits for the "
                        "director's or the district officer's approval."
                    )
                    % {
                        "rows": f"{created.rows:,}",
                        "max": service.settings.PERSONAL_EXPORT_APPROVAL_ROWS,
                    },
                )
            return redirect("privacy:export-detail", created.pk)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "threshold": service.settings.PERSONAL_EXPORT_APPROVAL_ROWS}
    return render(request, "privacy/export_form.html", context, status=status)


@login_required
def export_detail(request, pk: int):
    user = request.user
    export = get_visible_or_404(
        PersonalExport.objects.select_related("requested_by", "decided_by", "station"), user, pk=pk
    )
    form = bootstrap(DecisionForm(request.POST or None))
    if request.method == "POST":
        require(user, APPROVE, export)
        if form.is_valid():
            decided = apply_service(
                form,
                lambda: service.personal_export_decide(
                    actor=user,
                    export=export,
                    approve=form.cleaned_data["approve"],
                    comment=form.cleaned_data["comment"],
                ),
            )
            if decided is not None:
                messages.success(request, _("Decision recorded."))
                return redirect("privacy:export-detail", export.pk)
    status = 400 if form.is_bound and form.errors else 200
    context = {
        "export": export,
        "form": form,
        "may_decide": export.status == ExportStatus.PENDING
        and export.requested_by_id != user.pk
        and can(user, APPROVE, export),
        "mine": export.requested_by_id == user.pk,
        "expires_at": service.expires_at(export),
        "now": timezone.now(),
        "formats": FORMATS,
    }
    return render(request, "privacy/export_detail.html", context, status=status)


@login_required
def export_download(request, pk: int, fmt: str):
    user = request.user
    export = get_visible_or_404(PersonalExport, user, pk=pk)
    if fmt not in FORMATS or export.kind not in KINDS:
        raise Http404(_("No such record."))
    try:
        mark = service.personal_export_download(actor=user, export=export, ip=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("privacy:export-detail", export.pk)
    spec = KINDS[export.kind]
    return tabular_response(
        fmt,
        f"personal-{export.kind}-{export.number}",
        spec.title(export.params),
        spec.headers(),
        rows_of(export.kind, user, export.record_ids, export.params),
        scope=export.station.name,
        watermark=mark,
    )


@login_required
def case_pdf(request, pk: int):
    """The whole case file on paper (PDF), for those who may read its content
    (404 for anyone else, as for a case they cannot see). Taking it out needs a
    reason (GET: the form; POST: the file): it is recorded as a personal-data
    export, logged like reading the file, and each page carries the watermark of
    who took it, when and why."""
    user = request.user
    case = get_visible_or_404(cases.cases_visible_to(user), user, pk=pk)
    if not cases.may_work(user, case):
        raise Http404(_("No such record."))
    form = bootstrap(ReasonForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            mark = service.case_file_export(
                actor=user, case=case, reason=form.cleaned_data["reason"], ip=client_ip(request)
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            case_file = cases.case_file_open(user, case, ip=client_ip(request))
            return pdf_response(
                request,
                "cases/case_file_pdf.html",
                {"case": case, "file": case_file, "watermark": mark},
                filename=f"case-{case.number}.pdf",
                title=_("Case file %(number)s") % {"number": case.number},
            )
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "privacy/case_pdf_form.html", {"case": case, "form": form}, status=status
    )
