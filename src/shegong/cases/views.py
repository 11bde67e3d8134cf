"""Web pages for cases (个案), alerts (预警) and the access log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shegong.cases import documents, forms, scoring, selectors, services, signoffs
from shegong.cases.alerts import rule_settings
from shegong.cases.models import (
    ASSIGN,
    DELETE_ANY_DOCUMENT,
    OPEN_STATUSES,
    SIGN_OFF,
    WORK,
    Alert,
    AlertKind,
    AlertRule,
    Case,
    CaseDocument,
    CaseStatus,
    LibraryCase,
    RiskLevel,
    ServiceType,
    Signoff,
    keeps_own_caseload,
)
from shegong.clients.models import ClientCategory, Resident
from shegong.clients.pinyin import name_search
from shegong.core.access import get_visible_or_404, require, require_at
from shegong.core.forms import apply_service, bootstrap
from shegong.core.http import client_ip
from shegong.core.lists import Paginator
from shegong.core.models import AccessLog, Domain
from shegong.core.scope import CHANGE, CREATE, may, restrict

# The case page lists this many of the latest notes and history events.
CASE_PAGE_LATEST = 20

# step name → (form, service)
STEPS = {
    "assess": (forms.AssessForm, services.case_assess),
    "plan": (forms.PlanForm, services.case_plan),
    "note": (forms.NoteForm, services.case_note_add),
    "review": (forms.ReviewForm, services.case_review),
    "refer": (forms.ReferForm, services.case_refer),
    "close": (forms.CloseForm, services.case_close),
    "reopen": (forms.ReopenForm, services.case_reopen),
}
# Which steps the case page offers in each status. A referral is sent from
# its own page (referrals:referral-send, a partner of the directory), linked
# from the case page while the case is open after assessment.
OFFERED = {
    CaseStatus.INTAKE: ["assess", "close"],
    CaseStatus.ASSESSED: ["plan", "assess", "close"],
    CaseStatus.PLANNED: ["note", "plan", "close"],
    CaseStatus.IN_SERVICE: ["note", "review", "assess", "close"],
    CaseStatus.REVIEWED: ["note", "plan", "close"],
    CaseStatus.REFERRED: ["reopen"],
    CaseStatus.CLOSED: ["reopen"],
}
STEP_LABELS = {
    "assess": gettext_lazy("Assessment"),
    "plan": gettext_lazy("Service plan"),
    "note": gettext_lazy("Intervention note"),
    "review": gettext_lazy("Review"),
    "refer": gettext_lazy("Referral"),
    "close": gettext_lazy("Close the case"),
    "reopen": gettext_lazy("Reopen"),
}


# Bootstrap colours of the case list's badges.
STATUS_COLOURS = {
    CaseStatus.INTAKE: "info",
    CaseStatus.ASSESSED: "primary",
    CaseStatus.PLANNED: "primary",
    CaseStatus.IN_SERVICE: "success",
    CaseStatus.REVIEWED: "success",
    CaseStatus.REFERRED: "warning",
    CaseStatus.CLOSED: "secondary",
}
RISK_COLOURS = {
    RiskLevel.LOW: "success",
    RiskLevel.MEDIUM: "warning",
    RiskLevel.HIGH: "danger",
    RiskLevel.CRISIS: "dark",
}


def _case_filters(request, cases, user):
    """The case list's search and filters. The client's name and the risk level
    are case content: they are searched and filtered only among the cases the
    user may work on (the same mark that shows them in the list)."""
    workable = restrict(Case.objects.all(), user, WORK).values("pk")
    chosen = {
        "q": request.GET.get("q", "").strip()[:50],
        "status": request.GET.get("status", ""),
        "domain": request.GET.get("domain", ""),
        "risk": request.GET.get("risk", ""),
        "review": request.GET.get("review", ""),
    }
    if chosen["q"]:
        by_name = name_search(chosen["q"], "client") & Q(pk__in=workable)
        cases = cases.filter(Q(number__icontains=chosen["q"]) | by_name)
    if chosen["status"] in CaseStatus.values:
        cases = cases.filter(status=chosen["status"])
    if chosen["domain"] in Domain.values:
        cases = cases.filter(domain=chosen["domain"])
    if chosen["risk"] in RiskLevel.values:
        cases = cases.filter(risk_level=chosen["risk"], pk__in=workable)
    if chosen["review"] == "overdue":
        cases = cases.filter(
            review_due_on__lt=timezone.localdate(), status__in=OPEN_STATUSES, pk__in=workable
        )
    return cases, chosen


@login_required
def case_list(request):
    """My caseload (个案负荷); the director also sees every case of the station.
    Client, risk level and next review show for the cases the user may work on."""
    user = request.user
    show = request.GET.get("show", "mine")
    own_caseload = keeps_own_caseload(user)
    if show == "all" or not own_caseload:
        cases = selectors.cases_visible_to(user)
    else:
        cases = selectors.caseload(user)
    cases, chosen = _case_filters(request, cases, user)
    cases = selectors.with_work(cases.prefetch_related("workers"), user)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    for case in page:
        case.status_colour = STATUS_COLOURS.get(case.status, "secondary")
        case.risk_colour = RISK_COLOURS.get(case.risk_level, "secondary")
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "show": show,
            "own_caseload": own_caseload,
            "statuses": CaseStatus.choices,
            "domains": Domain.choices,
            "risks": RiskLevel.choices,
            "chosen": chosen,
            "today": timezone.localdate(),
            "needing_action": selectors.cases_needing_action(user)[:20],
        },
    )


@login_required
def case_open(request, resident_pk: int):
    client = get_visible_or_404(Resident, request.user, pk=resident_pk)
    # Readers of the resident who may not open cases get 403 before the form.
    require_at(request.user, CREATE, Case, None)
    form = bootstrap(forms.OpenCaseForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        case = apply_service(
            form, lambda: services.case_open(actor=request.user, client=client, **form.cleaned_data)
        )
        if case is not None:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect("cases:case-detail", pk=case.pk)
    return render(request, "cases/case_open.html", {"form": form, "client": client})


def _step_form(case: Case, step: str, version: int | None = None):
    form_class, _service = STEPS[step]
    initial = {"version": case.version if version is None else version}
    if step == "note":
        # Preselect a service type that fits the client's category today.
        category = services.client_category_on(case, timezone.localdate())
        if category == ClientCategory.PRIORITY:
            initial["service_type"] = ServiceType.EMOTIONAL_SUPPORT
        elif category == ClientCategory.GENERAL:
            initial["service_type"] = ServiceType.SUPPORTIVE
    return bootstrap(form_class(initial=initial, prefix=step))


def _step_forms(
    case: Case, bound_step: str | None = None, bound_form=None, shown: str | None = None
) -> list:
    """The steps offered in the case's status. Only the first step's form (and the
    one just submitted, or asked for with ?step=) is rendered with the page; the
    others are fetched when their section is opened (htmx), or shown by a link to
    the page with ?step= without JavaScript. Most visits write a note, the first
    step, and rendering every form cost most of the page's time."""
    steps = []
    for index, step in enumerate(OFFERED[case.status]):
        if step == bound_step:
            form = bound_form
        elif index == 0 or step == shown:
            form = _step_form(case, step)
        else:
            form = None
        steps.append(
            {
                "name": step,
                "label": STEP_LABELS[step],
                "form": form,
                "open": index == 0 or step in (bound_step, shown),
            }
        )
    return steps


def case_queryset(user):
    # Whether the user may work on the file is read with the case; the page
    # lists the assigned workers: fetched once.
    return selectors.with_work(selectors.cases_visible_to(user), user).prefetch_related("workers")


def require_work(user, case: Case) -> None:
    """403 for a reader of the case who may not work on its file (the case was
    read through the scope, and with `selectors.with_work`: no query)."""
    if not selectors.may_work(user, case):
        raise PermissionDenied(str(services.WORK_REFUSED))


@login_required
def case_detail(request, pk: int):
    user = request.user
    case = get_visible_or_404(case_queryset(user), user, pk=pk)
    step = request.GET.get("step")
    if step is not None and step not in OFFERED[case.status]:
        step = None
    if step is not None and request.htmx:
        return _step_fragment(request, case, step)
    return render_case(request, case, shown=step)


def _step_fragment(request, case: Case, step: str):
    """One step's form, for a section of the case page opened by the user. The
    form carries the version of the case the page showed (?version=), so that a
    change made by someone else since then is still refused as a conflict."""
    require_work(request.user, case)
    version = request.GET.get("version", "")
    form = _step_form(case, step, int(version) if version.isdigit() else None)
    return render(
        request,
        "cases/_step_form.html",
        {"case": case, "step": {"name": step, "label": STEP_LABELS[step], "form": form}},
    )


def render_case(
    request, case, bound_step=None, bound_form=None, status=200, shown=None, document_form=None
):
    # The latest notes and history events; the whole history on request (?all=1).
    latest = None if request.GET.get("all") == "1" else CASE_PAGE_LATEST
    case_file = selectors.case_file_open(request.user, case, ip=client_ip(request), latest=latest)
    # The case was read through the scope, and assigning it or nominating it
    # (the entry's create) has the anchor of reading it: the role's right
    # decides, without a query.
    can_nominate = may(request.user, CREATE, LibraryCase)
    context = {
        "case": case,
        "file": case_file,
        # The scored tools: the client's scores over time, and the tools to score.
        "score_tables": scoring.score_history(request.user, case) if case_file else [],
        "tools": list(scoring.instruments_for(case)) if case_file and case.is_open else [],
        "steps": _step_forms(case, bound_step, bound_form, shown) if case_file else [],
        "can_assign": may(request.user, ASSIGN, Case),
        "can_nominate": can_nominate,
        "library_entry": LibraryCase.objects.filter(case=case).only("pk").first()
        if can_nominate
        else None,
        # The case's sign-offs and documents are its content: read with the file.
        "signoffs": signoffs.signoffs_of(request.user, case) if case_file else [],
        "may_sign_off": may(request.user, SIGN_OFF, Signoff),
        "documents": documents.documents_of(request.user, case) if case_file else [],
        "may_delete_any_document": may(request.user, DELETE_ANY_DOCUMENT, CaseDocument),
        "decision_form": bootstrap(forms.SignoffDecisionForm()),
        "document_form": bootstrap(forms.DocumentForm(prefix="document"))
        if document_form is None
        else document_form,
    }
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
@require_POST
def case_step(request, pk: int, step: str):
    case = get_visible_or_404(case_queryset(request.user), request.user, pk=pk)
    if step not in STEPS:
        return redirect("cases:case-detail", pk=case.pk)
    require_work(request.user, case)
    form_class, service = STEPS[step]
    form = bootstrap(form_class(request.POST, prefix=step))
    if form.is_valid():
        data = dict(form.cleaned_data)
        if apply_service(form, lambda: service(actor=request.user, case=case, **data)):
            messages.success(request, _("Saved."))
            return redirect("cases:case-detail", pk=case.pk)
    case.refresh_from_db()
    return render_case(request, case, bound_step=step, bound_form=form, status=400)


@login_required
def case_assign(request, pk: int):
    case = get_visible_or_404(selectors.cases_visible_to(request.user), request.user, pk=pk)
    require(request.user, ASSIGN, case, message=_("Only the station director assigns cases."))
    form = bootstrap(
        forms.AssignForm(
            request.POST or None,
            station=case.station,
            initial={"version": case.version, "workers": list(case.workers.all())},
        )
    )
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: services.case_assign(
                actor=request.user,
                case=case,
                workers=form.cleaned_data["workers"],
                version=form.cleaned_data["version"],
            ),
        )
        if done:
            messages.success(request, _("Assignment saved."))
            return redirect("cases:case-detail", pk=case.pk)
    return render(request, "cases/case_assign.html", {"form": form, "case": case})


@login_required
def alert_list(request):
    alerts = selectors.open_alerts(request.user)
    if request.GET.get("status") == "resolved":
        alerts = (
            Alert.objects.visible_to(request.user)
            .filter(status="resolved")
            .select_related("resident", "case", "resolved_by")
            .order_by("-resolved_at")
        )
    page = Paginator(alerts, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/alert_list.html",
        {
            "page": page,
            "resolve_form": bootstrap(forms.ResolveForm()),
            "showing_resolved": request.GET.get("status") == "resolved",
            # Superusers read the alerts; the station's staff handle them.
            "may_handle": may(request.user, CHANGE, Alert),
            "may_set_rules": may(request.user, CHANGE, AlertRule),
        },
    )


@login_required
@require_POST
def alert_acknowledge(request, pk: int):
    alert = get_visible_or_404(Alert, request.user, pk=pk)
    require(request.user, CHANGE, alert)
    form = forms.ResolveForm()
    if apply_service(form, lambda: services.alert_acknowledge(actor=request.user, alert=alert)):
        messages.success(request, _("Alert acknowledged."))
    else:
        messages.error(request, " ".join(form.non_field_errors()))
    return redirect("cases:alert-list")


@login_required
@require_POST
def alert_resolve(request, pk: int):
    alert = get_visible_or_404(Alert, request.user, pk=pk)
    require(request.user, CHANGE, alert)
    form = forms.ResolveForm(request.POST)
    if form.is_valid() and apply_service(
        form, lambda: services.alert_resolve(actor=request.user, alert=alert, **form.cleaned_data)
    ):
        messages.success(request, _("Alert resolved."))
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
    return redirect("cases:alert-list")


@login_required
def alert_rules(request):
    """The director's settings of the station's alert rules."""
    user = request.user
    require_at(
        user,
        CHANGE,
        AlertRule,
        user.station,
        message=_("Only the station director configures alert rules."),
    )
    if request.method == "POST":
        form = forms.AlertRuleForm(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: services.alert_rule_set(actor=user, station=user.station, **form.cleaned_data),
        ):
            messages.success(request, _("Rule saved."))
        else:
            messages.error(request, _("Please check the form."))
        return redirect("cases:alert-rules")
    settings = rule_settings(user.station_id)
    rows = [
        {
            "label": AlertKind(kind).label,
            "form": bootstrap(
                forms.AlertRuleForm(
                    initial={
                        "kind": kind,
                        "threshold_days": s.threshold_days,
                        "enabled": s.enabled,
                    },
                    auto_id=f"id_{kind}_%s",
                )
            ),
        }
        for kind, s in settings.items()
    ]
    return render(request, "cases/alert_rules.html", {"rows": rows})


@login_required
def access_log(request):
    """Who read which priority client's file, or revealed an ID number."""
    entries = AccessLog.objects.visible_to(request.user).select_related("user", "station")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "cases/access_log.html", {"page": page})
