"""Web pages of evaluation (评估) and supervision (监督检查): rounds with their
indicator system, assignments and results (with the Excel/CSV export), a station's
sheet for scoring and replies, evidence downloads, inspections and their
rectification items. Every write goes through `evaluation.services` (rounds and
scoring) or `evaluation.inspections`."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import get_visible_or_404
from shegong.core.exports import FORMATS, tabular_response
from shegong.core.forms import add_errors, apply_service, bootstrap
from shegong.core.pdf import pdf_response
from shegong.core.replicas import reads_from_replica
from shegong.core.roles import scope_name
from shegong.core.scope import CHANGE, CREATE, VIEW, can, may, may_create
from shegong.evaluation import forms, inspections, selectors, services, tree
from shegong.evaluation.city_system import round_add_city_system
from shegong.evaluation.models import (
    ClientSample,
    EvaluationRound,
    Evidence,
    IndicatorGroup,
    Inspection,
    Method,
    Rectification,
    RectificationStatus,
    RoundAssignment,
    RoundStatus,
    Scorer,
    SheetStatus,
    StationEvaluation,
    System,
)


def _status(*forms_) -> int:
    return 400 if any(f is not None and f.is_bound and f.errors for f in forms_) else 200


def _flash_service(request, call, success: str) -> bool:
    """Run a service from a button; its refusal becomes an error message."""
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


# --- Rounds ------------------------------------------------------------------------


@login_required
def round_list(request):
    user = request.user
    if not may(user, VIEW, EvaluationRound):
        raise PermissionDenied(_("Evaluation results are for the station director."))
    rounds = selectors.rounds_visible_to(user).order_by("-year", "-pk")
    # Those who score sheets or answer them have sheets of their own to list.
    scorer = may(user, "score", StationEvaluation) or may(user, "score_buyer", StationEvaluation)
    context = {
        "rounds": rounds,
        "can_create": may_create(user, EvaluationRound),
        "scorer": scorer,
        "my_sheets": (
            selectors.evaluations_visible_to(user).order_by("round", "station__code")
            if scorer or may(user, "reply", StationEvaluation)
            else None
        ),
        "overdue": selectors.overdue_rectifications(user)[:20],
    }
    return render(request, "evaluation/round_list.html", context)


@login_required
def round_create(request):
    user = request.user
    if not may_create(user, EvaluationRound):
        raise PermissionDenied(_("Only the city officer creates rounds."))
    form = bootstrap(forms.RoundForm(request.POST or None, user=user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        standard = data.pop("standard_system")
        data["system"] = data.get("system") or System.WEIGHTED

        def create():
            round = services.round_create(actor=user, **data)
            if standard and round.system == System.POINTS:
                round_add_city_system(actor=user, round=round)
            elif standard:
                services.round_add_standard_system(actor=user, round=round)
            return round

        round = apply_service(form, create)
        if round is not None:
            messages.success(request, _("The round was created."))
            return redirect("evaluation:round-detail", pk=round.pk)
    context = {"form": form, "title": _("New evaluation round")}
    return render(request, "evaluation/simple_form.html", context, status=_status(form))


def _round_context(request, round, **forms_):
    user = request.user
    groups = selectors.groups_of(round)
    may_change = can(user, CHANGE, round)
    context = {
        "round": round,
        "groups": groups,
        "weight_total": sum(g.weight or 0 for g in groups),
        "points": round.system == System.POINTS,
        "may_change": may_change,
        "is_draft": round.status == RoundStatus.DRAFT,
        "is_open": round.status == RoundStatus.OPEN,
        "results": selectors.round_results(user, round),
        "sheets": selectors.evaluations_visible_to(user)
        .filter(round=round)
        .order_by("station__code"),
        "formats": FORMATS,
    }
    if may_change:
        context["assignments"] = selectors.assignments_of(round)
        if round.status == RoundStatus.DRAFT:
            group_form, indicator_form = (
                (forms.TreeGroupForm, forms.TreeIndicatorForm)
                if round.system == System.POINTS
                else (forms.GroupForm, forms.IndicatorForm)
            )
            context["group_form"] = forms_.get("group_form") or bootstrap(group_form())
            context["indicator_form"] = forms_.get("indicator_form") or bootstrap(
                indicator_form(groups=groups)
            )
        if round.status != RoundStatus.FINALISED:
            context["assign_form"] = forms_.get("assign_form") or bootstrap(
                forms.AssignForm(round=round, user=user)
            )
    return context


def _visible_round(request, pk: int) -> EvaluationRound:
    return get_visible_or_404(selectors.rounds_visible_to(request.user), request.user, pk=pk)


@login_required
def round_detail(request, pk: int):
    round = _visible_round(request, pk)
    return render(request, "evaluation/round_detail.html", _round_context(request, round))


def _require_round_change(request, round) -> None:
    if not can(request.user, CHANGE, round):
        raise PermissionDenied(_("You may view this record but not change it."))


@login_required
@require_POST
def round_transition(request, pk: int, action: str):
    round = _visible_round(request, pk)
    _require_round_change(request, round)
    calls = {
        "open": (services.round_open, _("The round is open for scoring.")),
        "finalise": (services.round_finalise, _("The round is finalised.")),
        "compute": (services.round_compute, _("Computed indicators were refreshed.")),
    }
    if action not in calls:
        raise Http404
    service, success = calls[action]
    _flash_service(request, lambda: service(actor=request.user, round=round), success)
    return redirect("evaluation:round-detail", pk=round.pk)


@login_required
@require_POST
def round_group_add(request, pk: int):
    round = _visible_round(request, pk)
    _require_round_change(request, round)
    points = round.system == System.POINTS
    form = bootstrap((forms.TreeGroupForm if points else forms.GroupForm)(request.POST))
    if form.is_valid():
        position = IndicatorGroup.objects.filter(round=round).count()
        add = tree.tree_group_add if points else services.indicator_group_add
        done = apply_service(
            form,
            lambda: add(actor=request.user, round=round, position=position, **form.cleaned_data),
        )
        if done is not None:
            return redirect("evaluation:round-detail", pk=round.pk)
    context = _round_context(request, round, group_form=form)
    return render(request, "evaluation/round_detail.html", context, status=400)


@login_required
@require_POST
def round_indicator_add(request, pk: int):
    round = _visible_round(request, pk)
    _require_round_change(request, round)
    groups = selectors.groups_of(round)
    points = round.system == System.POINTS
    form_class = forms.TreeIndicatorForm if points else forms.IndicatorForm
    form = bootstrap(form_class(request.POST, groups=groups))
    if form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("group")
        group = next(g for g in groups if str(g.pk) == chosen)
        add = services.indicator_add
        if points:
            add = tree.tree_indicator_add
            parent = data.pop("parent")
            data["parent"] = next((i for i in group.tree if str(i.pk) == parent), None)
            if parent and data["parent"] is None:
                data["parent"] = next(i for g in groups for i in g.tree if str(i.pk) == parent)
            data["veto"] = data.get("veto") or ""
        done = apply_service(
            form,
            lambda: add(
                actor=request.user,
                group=group,
                position=len(group.indicators.all()),
                **data,
            ),
        )
        if done is not None:
            return redirect("evaluation:round-detail", pk=round.pk)
    context = _round_context(request, round, indicator_form=form)
    return render(request, "evaluation/round_detail.html", context, status=400)


@login_required
@require_POST
def round_assign(request, pk: int):
    round = _visible_round(request, pk)
    _require_round_change(request, round)
    form = bootstrap(forms.AssignForm(request.POST, round=round, user=request.user))
    if form.is_valid():
        done = apply_service(
            form,
            lambda: services.round_assign(actor=request.user, round=round, **form.cleaned_data),
        )
        if done is not None:
            messages.success(request, _("The evaluator was assigned."))
            return redirect("evaluation:round-detail", pk=round.pk)
    context = _round_context(request, round, assign_form=form)
    return render(request, "evaluation/round_detail.html", context, status=400)


@login_required
@require_POST
def assignment_remove(request, pk: int):
    assignment = get_visible_or_404(RoundAssignment, request.user, pk=pk)
    round = assignment.evaluation.round
    _require_round_change(request, round)
    _flash_service(
        request,
        lambda: services.round_unassign(actor=request.user, assignment=assignment),
        _("The assignment was removed."),
    )
    return redirect("evaluation:round-detail", pk=round.pk)


@reads_from_replica
@login_required
def round_export(request, pk: int):
    """评估结果: rank, district rank, district, station, each group, total, grade."""
    round = _visible_round(request, pk)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        raise Http404(_("Unknown export format."))
    groups = selectors.groups_of(round)
    results = selectors.round_results(request.user, round)
    headers = [
        _("Rank"),
        _("District rank"),
        _("District"),
        _("Station"),
        *[g.name for g in groups],
        _("Total score"),
        _("Grade"),
    ]
    rows = (
        [
            r.rank_round,
            r.rank_district,
            r.station.street.district.name,
            r.station.name,
            *[Decimal(f"{value:.2f}") for _group, value in r.groups],
            Decimal(f"{r.total:.2f}"),
            str(r.grade_label),
        ]
        for r in results
    )
    return tabular_response(
        fmt,
        f"evaluation-{round.pk}",
        round.name,
        headers,
        rows,
        scope=scope_name(request.user),
        period=str(round.name),
    )


# --- A station's sheet -------------------------------------------------------------


def _sheet_context(request, sheet, score_errors=None):
    user = request.user
    round = sheet.round
    scores = selectors.sheet_scores(sheet)
    assigned = RoundAssignment.objects.filter(evaluation=sheet, evaluator=user).exists()
    is_open = round.status == RoundStatus.OPEN and sheet.status == SheetStatus.SCORING
    points = round.system == System.POINTS
    # The branches this user scores (weighted groups: the assigned evaluators, all).
    if points:
        branches = tree.branches_of(user, sheet) if is_open else set()
    else:
        branches = {Scorer.PROFESSIONAL} if may(user, "score", StationEvaluation) else set()
    may_submit = is_open and assigned and may(user, "score", StationEvaluation)
    may_score = is_open and bool(branches) and (points or assigned)
    may_reply = can(user, "reply", sheet) and round.status == RoundStatus.FINALISED
    rows = []
    for group in selectors.groups_of(round):
        indicators = list(group.indicators.all())
        parents = {i.parent_id for i in indicators if i.parent_id}
        for indicator in group.tree:
            row = scores.get(indicator.pk)
            leaf = indicator.pk not in parents
            rows.append(
                {
                    "group": group,
                    "indicator": indicator,
                    "score": row,
                    "leaf": leaf,
                    "mine": group.scorer in branches,
                    "scored": indicator.method == Method.SCORED
                    and leaf
                    and group.scorer in branches,
                    "error": (score_errors or {}).get(indicator.pk),
                }
            )
    results = [r for r in selectors.round_results(user, round) if r.evaluation.pk == sheet.pk]
    return {
        "sheet": sheet,
        "round": round,
        "rows": rows,
        "result": results[0] if results else None,
        "may_score": may_score,
        "may_submit": may_submit,
        "may_attach": may_score and may(user, CREATE, Evidence),
        "may_view_sample": may(user, VIEW, ClientSample),
        "evidence_kept_until": selectors.evidence_kept_until(round),
        "points": points,
        "may_reply": may_reply,
        "reply_form": bootstrap(forms.ReplyForm()),
        "evidence_form": bootstrap(forms.EvidenceForm()),
    }


def _visible_sheet(request, pk: int):
    return get_visible_or_404(selectors.evaluations_visible_to(request.user), request.user, pk=pk)


@login_required
def sheet_detail(request, pk: int):
    sheet = _visible_sheet(request, pk)
    return render(request, "evaluation/sheet_detail.html", _sheet_context(request, sheet))


@login_required
def sheet_pdf(request, pk: int):
    """A station's evaluation result on paper: every indicator's score, the
    groups, the total and grade, the station's comment."""
    sheet = _visible_sheet(request, pk)
    context = _sheet_context(request, sheet)
    return pdf_response(
        request,
        "evaluation/sheet_pdf.html",
        context,
        filename=f"evaluation-{sheet.round_id}-{sheet.station.code}.pdf",
        title=f"{sheet.station.name} · {sheet.round.name}",
    )


def _indicator_of(sheet, value):
    from shegong.evaluation.models import Indicator

    try:
        return Indicator.objects.get(pk=int(value), group__round=sheet.round)
    except (Indicator.DoesNotExist, TypeError, ValueError):
        raise Http404(_("No such record.")) from None


def _indicator_post(request, pk: int, form_class, save, success: str):
    """A scoring evaluator's POST about one indicator of a sheet (a score, an
    evidence file): access first, then the indicator, then the form and `save`."""
    sheet = _visible_sheet(request, pk)
    services.require_sheet_scorer(request.user, sheet)
    if not request.POST.get("indicator"):
        messages.error(request, _("Choose an indicator."))
        return render(
            request, "evaluation/sheet_detail.html", _sheet_context(request, sheet), status=400
        )
    indicator = _indicator_of(sheet, request.POST.get("indicator"))
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            save(sheet, indicator, form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
    if form.errors:
        errors = [str(m) for messages_ in form.errors.values() for m in messages_]
        context = _sheet_context(request, sheet, score_errors={indicator.pk: errors})
        return render(request, "evaluation/sheet_detail.html", context, status=400)
    messages.success(request, success)
    return redirect("evaluation:sheet-detail", pk=sheet.pk)


@login_required
@require_POST
def sheet_score(request, pk: int):
    return _indicator_post(
        request,
        pk,
        forms.ScoreForm,
        lambda sheet, indicator, data: services.score_set(
            actor=request.user, evaluation=sheet, indicator=indicator, **data
        ),
        _("The score was saved."),
    )


@login_required
@require_POST
def sheet_evidence(request, pk: int):
    return _indicator_post(
        request,
        pk,
        forms.EvidenceForm,
        lambda sheet, indicator, data: services.evidence_add(
            actor=request.user, evaluation=sheet, indicator=indicator, file=data["file"]
        ),
        _("The file was attached."),
    )


@login_required
@require_POST
def sheet_submit(request, pk: int):
    sheet = _visible_sheet(request, pk)
    _flash_service(
        request,
        lambda: services.evaluation_submit(actor=request.user, evaluation=sheet),
        _("The station's scores were submitted."),
    )
    return redirect("evaluation:sheet-detail", pk=sheet.pk)


@login_required
@require_POST
def sheet_reply(request, pk: int):
    sheet = _visible_sheet(request, pk)
    indicator = None
    if request.POST.get("indicator"):
        indicator = _indicator_of(sheet, request.POST.get("indicator"))
    _flash_service(
        request,
        lambda: services.evaluation_reply(
            actor=request.user,
            evaluation=sheet,
            indicator=indicator,
            text=request.POST.get("text", ""),
        ),
        _("Your comment was saved."),
    )
    return redirect("evaluation:sheet-detail", pk=sheet.pk)


def _attachment(field_file, name: str, content_type: str) -> FileResponse:
    """Always a download, with the checked type: never rendered by the browser."""
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def evidence_download(request, pk: int):
    evidence = get_visible_or_404(selectors.evidence_visible_to(request.user), request.user, pk=pk)
    return _attachment(evidence.file, evidence.original_name, evidence.content_type)


# --- Inspection ------------------------------------------------------------------


@login_required
def inspection_list(request):
    user = request.user
    # Evaluators read neither inspections nor rectifications.
    if not may(user, VIEW, Rectification):
        raise PermissionDenied(_("Inspections are not part of an evaluator's work."))
    context = {
        "inspections": selectors.inspections_visible_to(user).order_by("-visited_on", "-pk")[:100],
        "rectifications": selectors.rectifications_visible_to(user)
        .exclude(status=RectificationStatus.CLOSED)
        .order_by("due_on", "pk")[:100],
        "overdue": selectors.overdue_rectifications(user),
        "can_create": may_create(user, Inspection),
    }
    return render(request, "evaluation/inspection_list.html", context)


@login_required
def inspection_create(request):
    user = request.user
    if not may_create(user, Inspection):
        raise PermissionDenied(_("Inspections are recorded by district and city officers."))
    form = bootstrap(forms.InspectionForm(request.POST or None, user=user))
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("station", "visited_on", "findings")}
        inspection = apply_service(
            form, lambda: inspections.inspection_record(actor=user, checks=form.checks(), **data)
        )
        if inspection is not None:
            messages.success(request, _("The inspection was recorded."))
            return redirect("evaluation:inspection-detail", pk=inspection.pk)
    context = {"form": form, "title": _("Record an inspection")}
    return render(request, "evaluation/simple_form.html", context, status=_status(form))


def _inspection_context(request, inspection, form=None):
    may_change = can(request.user, CHANGE, inspection)
    return {
        "inspection": inspection,
        "checks": inspection.checks.order_by("pk"),
        "rectifications": selectors.rectifications_visible_to(request.user).filter(
            inspection=inspection
        ),
        "may_change": may_change,
        "form": form
        or (bootstrap(forms.RectificationForm(inspection=inspection)) if may_change else None),
    }


@login_required
def inspection_detail(request, pk: int):
    inspection = get_visible_or_404(
        selectors.inspections_visible_to(request.user), request.user, pk=pk
    )
    return render(
        request, "evaluation/inspection_detail.html", _inspection_context(request, inspection)
    )


@login_required
def inspection_pdf(request, pk: int):
    """An inspection with its checklist, findings and rectifications, on paper."""
    inspection = get_visible_or_404(
        selectors.inspections_visible_to(request.user), request.user, pk=pk
    )
    return pdf_response(
        request,
        "evaluation/inspection_pdf.html",
        _inspection_context(request, inspection),
        filename=f"inspection-{inspection.pk}.pdf",
        title=_("Inspection") + f" · {inspection.station.name}",
    )


@login_required
@require_POST
def rectification_add(request, pk: int):
    inspection = get_visible_or_404(
        selectors.inspections_visible_to(request.user), request.user, pk=pk
    )
    if not can(request.user, CHANGE, inspection):
        raise PermissionDenied(_("You may view this record but not change it."))
    form = bootstrap(forms.RectificationForm(request.POST, inspection=inspection))
    if form.is_valid():
        done = apply_service(
            form,
            lambda: inspections.rectification_add(
                actor=request.user, inspection=inspection, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("The rectification item was added."))
            return redirect("evaluation:inspection-detail", pk=inspection.pk)
    context = _inspection_context(request, inspection, form=form)
    return render(request, "evaluation/inspection_detail.html", context, status=400)


def _visible_rectification(request, pk: int) -> Rectification:
    return get_visible_or_404(
        selectors.rectifications_visible_to(request.user), request.user, pk=pk
    )


def _rectification_context(request, item, submit_form=None):
    user = request.user
    may_submit = item.status == RectificationStatus.OPEN and can(user, "submit", item)
    may_decide = (
        item.status == RectificationStatus.SUBMITTED
        and can(user, "decide", item)
        and can(user, CHANGE, item)
    )
    return {
        "item": item,
        "may_submit": may_submit,
        "may_decide": may_decide,
        "submit_form": submit_form or bootstrap(forms.RectificationSubmitForm()),
        "decision_form": bootstrap(forms.DecisionForm()),
    }


@login_required
def rectification_detail(request, pk: int):
    item = _visible_rectification(request, pk)
    return render(
        request, "evaluation/rectification_detail.html", _rectification_context(request, item)
    )


@login_required
@require_POST
def rectification_submit(request, pk: int):
    item = _visible_rectification(request, pk)
    inspections.require_submitter(request.user, item)
    form = bootstrap(forms.RectificationSubmitForm(request.POST, request.FILES))
    if form.is_valid():
        done = apply_service(
            form,
            lambda: inspections.rectification_submit(
                actor=request.user,
                rectification=item,
                response=form.cleaned_data["response"],
                evidence=form.cleaned_data.get("evidence"),
            ),
        )
        if done is not None:
            messages.success(request, _("Submitted for acceptance."))
            return redirect("evaluation:rectification-detail", pk=item.pk)
    context = _rectification_context(request, item, submit_form=form)
    return render(request, "evaluation/rectification_detail.html", context, status=400)


@login_required
@require_POST
def rectification_decide(request, pk: int, decision: str):
    item = _visible_rectification(request, pk)
    note = request.POST.get("note", "")
    if decision == "accept":
        call, success = inspections.rectification_accept, _("The item was accepted and closed.")
    elif decision == "reject":
        call, success = inspections.rectification_reject, _("The item was sent back.")
    else:
        raise Http404
    _flash_service(
        request, lambda: call(actor=request.user, rectification=item, note=note), success
    )
    return redirect("evaluation:rectification-detail", pk=item.pk)


@login_required
def rectification_evidence(request, pk: int):
    item = _visible_rectification(request, pk)
    if not item.evidence:
        raise Http404(_("No such record."))
    return _attachment(item.evidence, item.evidence_name, item.evidence_type)
