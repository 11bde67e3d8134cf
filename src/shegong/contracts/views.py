"""Web pages of tenders and contracts: the list of tenders and contracts in scope
(with an Excel/CSV export of the contracts' ledgers), a tender with its bids
ranked and the award, and a contract's ledger with its instalments, results,
payments, spending and renewal decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.contracts import forms, selectors, services
from shegong.contracts.models import (
    ACCEPT,
    AWARD,
    DECIDE,
    PAY,
    RECORD_RESULT,
    SPEND,
    ContractTerms,
    Milestone,
    RenewalDecision,
    Tender,
    TenderStatus,
)
from shegong.core.access import get_visible_or_404, require, require_at
from shegong.core.exports import FORMATS, tabular_response
from shegong.core.forms import apply_service, bootstrap
from shegong.core.roles import scope_name
from shegong.core.scope import CHANGE, CREATE, VIEW, can, may
from shegong.evaluation.models import RoundStatus, StationEvaluation
from shegong.org.models import Agency, Contract, Station


def _status(*forms_) -> int:
    return 400 if any(f is not None and f.is_bound and f.errors for f in forms_) else 200


@login_required
def overview(request):
    """The tenders and the contracts with recorded terms in the user's scope."""
    user = request.user
    require_tenders_readable(user)
    context = {
        "tenders": selectors.tenders_visible_to(user)[:200],
        "terms": selectors.terms_visible_to(user)[:200],
        "may_announce": may(user, CREATE, Tender),
        "formats": FORMATS,
    }
    return render(request, "contracts/overview.html", context)


def require_tenders_readable(user) -> None:
    if not may(user, VIEW, Tender):
        raise PermissionDenied(_("Contracts are for directors, agencies, buyers and officials."))


def export_headers() -> list[str]:
    return [
        _("contract number"),
        _("Station"),
        _("District"),
        _("agency"),
        _("starts on"),
        _("ends on"),
        _("amount (yuan)"),
        _("personnel budget (yuan)"),
        _("activities budget (yuan)"),
        _("administration budget (yuan)"),
        _("Paid (yuan)"),
        _("Spent on personnel (yuan)"),
        _("Spent on activities (yuan)"),
        _("Spent on administration (yuan)"),
        _("Personnel spent (% of the amount)"),
        _("Renewal"),
    ]


def export_rows(user):
    for terms in selectors.terms_visible_to(user):
        book = selectors.ledger(terms)
        contract = terms.contract
        renewal = RenewalDecision.objects.filter(terms=terms).first()
        yield [
            contract.code,
            terms.station.name,
            terms.station.street.district.name,
            contract.agency.name,
            contract.starts_on,
            contract.ends_on,
            contract.amount,
            terms.budget_personnel,
            terms.budget_activities,
            terms.budget_administration,
            book.paid,
            *[row.spent for row in book.lines],
            book.spent_personnel_share,
            renewal.get_decision_display() if renewal else "",
        ]


@login_required
def export(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404(_("No such record."))
    user = request.user
    require_tenders_readable(user)
    return tabular_response(
        fmt,
        "contracts",
        _("Contracts and payments"),
        export_headers(),
        export_rows(user),
        scope=scope_name(user),
    )


def ledger_headers() -> list[str]:
    return [
        _("Record"),
        _("date"),
        _("Item"),
        _("planned amount (yuan)"),
        _("result"),
        _("status"),
        _("accepted on"),
        _("Amount (yuan)"),
        _("note"),
    ]


def ledger_rows(terms: ContractTerms):
    """A contract's instalments (planned, result, status by the rule, acceptance,
    paid) and then its spending records per budget line, oldest first."""
    book = selectors.ledger(terms)
    for row in book.instalments:
        i = row.instalment
        yield [
            _("Instalment %(number)s") % {"number": i.sequence},
            i.paid_on or "",
            i.get_milestone_display(),
            i.planned,
            i.get_grade_display() if i.grade else "",
            str(row.status.label),
            i.accepted_on or "",
            i.paid,
            i.acceptance_comment,
        ]
    for spending in terms.spendings.order_by("spent_on", "pk"):
        yield [
            _("Spending"),
            spending.spent_on,
            spending.get_line_display(),
            "",
            "",
            "",
            "",
            spending.amount,
            spending.note,
        ]


@login_required
def contract_export(request, pk: int, fmt: str):
    """One contract's instalments and spending, as .xlsx or .csv."""
    if fmt not in FORMATS:
        raise Http404(_("No such record."))
    user = request.user
    contract = _contract(request, pk)
    terms = _terms(contract)
    require(user, VIEW, terms)
    return tabular_response(
        fmt,
        f"contract-{contract.pk}",
        _("Instalments and spending of contract %(code)s") % {"code": contract.code},
        ledger_headers(),
        ledger_rows(terms),
        scope=scope_name(user),
        period=f"{contract.starts_on} – {contract.ends_on}",
    )


@login_required
def tender_create(request):
    user = request.user
    require_at(user, CREATE, Tender, None, _("Only the buyer and officials announce tenders."))
    stations = Station.objects.visible_to(user).filter(is_active=True).order_by("code")
    data = request.POST if request.method == "POST" else None
    form = bootstrap(forms.TenderForm(data, stations=stations))
    if request.method == "POST" and form.is_valid():
        tender = apply_service(
            form, lambda: services.tender_announce(actor=user, **form.cleaned_data)
        )
        if tender is not None:
            messages.success(request, _("Tender announced."))
            return redirect("contracts:tender-detail", pk=tender.pk)
    return render(request, "contracts/tender_form.html", {"form": form}, status=_status(form))


def _tender_page(request, tender, bid_form=None, award_form=None):
    user = request.user
    may_bid = tender.status == TenderStatus.ANNOUNCED and can(user, CHANGE, tender)
    may_award = tender.status == TenderStatus.ANNOUNCED and can(user, AWARD, tender)
    agencies = Agency.objects.filter(city=tender.station.street.district.city_id)
    context = {
        "tender": tender,
        "ranked": selectors.ranked_bids(tender),
        "terms": ContractTerms.objects.filter(tender=tender).select_related("contract").first(),
        "bid_form": bid_form
        or (bootstrap(forms.BidForm(prefix="bid", agencies=agencies)) if may_bid else None),
        "award_form": award_form
        or (
            bootstrap(forms.AwardForm(prefix="award", bids=tender.bids.all()))
            if may_award and tender.bids.exists()
            else None
        ),
    }
    return render(
        request, "contracts/tender_detail.html", context, status=_status(bid_form, award_form)
    )


@login_required
def tender_detail(request, pk: int):
    tender = get_visible_or_404(selectors.tenders_visible_to(request.user), request.user, pk=pk)
    return _tender_page(request, tender)


@login_required
@require_POST
def bid_add(request, pk: int):
    user = request.user
    tender = get_visible_or_404(selectors.tenders_visible_to(user), user, pk=pk)
    require(user, CHANGE, tender)
    agencies = Agency.objects.filter(city=tender.station.street.district.city_id)
    form = bootstrap(forms.BidForm(request.POST, prefix="bid", agencies=agencies))
    if form.is_valid() and apply_service(
        form, lambda: services.bid_record(actor=user, tender=tender, **form.cleaned_data)
    ):
        messages.success(request, _("Bid recorded."))
        return redirect("contracts:tender-detail", pk=tender.pk)
    return _tender_page(request, tender, bid_form=form)


@login_required
@require_POST
def tender_award(request, pk: int):
    user = request.user
    tender = get_visible_or_404(selectors.tenders_visible_to(user), user, pk=pk)
    require(user, AWARD, tender)
    form = bootstrap(forms.AwardForm(request.POST, prefix="award", bids=tender.bids.all()))
    if form.is_valid():
        terms = apply_service(
            form, lambda: services.tender_award(actor=user, tender=tender, **form.service_kwargs())
        )
        if terms is not None:
            messages.success(request, _("Tender awarded and contract signed."))
            return redirect("contracts:contract-detail", pk=terms.contract_id)
    return _tender_page(request, tender, award_form=form)


def _contract(request, pk: int) -> Contract:
    return get_visible_or_404(
        Contract.objects.select_related("agency", "station__street__district"),
        request.user,
        pk=pk,
    )


def _terms(contract: Contract) -> ContractTerms:
    terms = ContractTerms.objects.filter(contract=contract).first()
    if terms is None:
        raise Http404(_("No such record."))
    return terms


def _sheets(user, terms: ContractTerms):
    return (
        StationEvaluation.objects.visible_to(user)
        .filter(station=terms.station, round__status=RoundStatus.FINALISED)
        .select_related("round")
    )


def _contract_page(request, contract, **bound):
    user = request.user
    terms = ContractTerms.objects.filter(contract=contract).first()
    context = {"contract": contract, "terms": terms}
    if terms is None:
        may_record = contract.station_id is not None and may(user, CREATE, ContractTerms)
        context["terms_form"] = bound.get("terms_form") or (
            bootstrap(forms.TermsForm(prefix="terms")) if may_record else None
        )
    else:
        context["ledger"] = selectors.ledger(terms)
        context["renewal"] = RenewalDecision.objects.filter(terms=terms).first()
        instalments = terms.instalments.all()
        results = instalments.exclude(milestone=Milestone.SIGNING).filter(paid=0)
        if can(user, RECORD_RESULT, terms):
            context["result_form"] = bound.get("result_form") or bootstrap(
                forms.ResultForm(prefix="result", instalments=results, sheets=_sheets(user, terms))
            )
        if can(user, PAY, terms):
            context["pay_form"] = bound.get("pay_form") or bootstrap(
                forms.PayForm(prefix="pay", instalments=instalments)
            )
        if can(user, ACCEPT, terms):
            context["acceptance_form"] = bound.get("acceptance_form") or bootstrap(
                forms.AcceptanceForm(prefix="accept", instalments=_acceptable(terms))
            )
        if can(user, SPEND, terms):
            context["spending_form"] = bound.get("spending_form") or bootstrap(
                forms.SpendingForm(prefix="spending")
            )
        if can(user, DECIDE, terms) and context["renewal"] is None:
            context["renewal_form"] = bound.get("renewal_form") or bootstrap(
                forms.RenewalForm(prefix="renewal")
            )
        context["spendings"] = terms.spendings.select_related("recorded_by")[:50]
    return render(
        request, "contracts/contract_detail.html", context, status=_status(*bound.values())
    )


@login_required
def contract_detail(request, pk: int):
    return _contract_page(request, _contract(request, pk))


@login_required
@require_POST
def terms_create(request, pk: int):
    user = request.user
    contract = _contract(request, pk)
    require_at(user, CREATE, ContractTerms, contract.station)
    form = bootstrap(forms.TermsForm(request.POST, prefix="terms"))
    if form.is_valid() and apply_service(
        form,
        lambda: services.contract_terms_record(
            actor=user, contract=contract, **form.service_kwargs()
        ),
    ):
        messages.success(request, _("Contract terms recorded."))
        return redirect("contracts:contract-detail", pk=contract.pk)
    return _contract_page(request, contract, terms_form=form)


def _act(request, pk: int, action: str, name: str, make_form, call, success: str):
    user = request.user
    contract = _contract(request, pk)
    terms = _terms(contract)
    require(user, action, terms)
    form = bootstrap(make_form(terms))
    if form.is_valid() and apply_service(form, lambda: call(terms, form.cleaned_data)):
        messages.success(request, success)
        return redirect("contracts:contract-detail", pk=contract.pk)
    return _contract_page(request, contract, **{name: form})


@login_required
@require_POST
def result_record(request, pk: int):
    user = request.user
    return _act(
        request,
        pk,
        RECORD_RESULT,
        "result_form",
        lambda terms: forms.ResultForm(
            request.POST,
            prefix="result",
            instalments=terms.instalments.exclude(milestone=Milestone.SIGNING),
            sheets=_sheets(user, terms),
        ),
        lambda terms, data: services.instalment_result_record(actor=user, **data),
        _("Result recorded."),
    )


@login_required
@require_POST
def instalment_pay(request, pk: int):
    user = request.user
    return _act(
        request,
        pk,
        PAY,
        "pay_form",
        lambda terms: forms.PayForm(
            request.POST, prefix="pay", instalments=terms.instalments.all()
        ),
        lambda terms, data: services.instalment_pay(actor=user, **data),
        _("Payment recorded."),
    )


def _acceptable(terms: ContractTerms):
    return terms.instalments.exclude(milestone=Milestone.SIGNING).filter(accepted_on__isnull=True)


@login_required
@require_POST
def acceptance_record(request, pk: int):
    user = request.user
    return _act(
        request,
        pk,
        ACCEPT,
        "acceptance_form",
        lambda terms: forms.AcceptanceForm(
            request.POST, prefix="accept", instalments=_acceptable(terms)
        ),
        lambda terms, data: services.instalment_accept(actor=user, **data),
        _("Deliverables accepted."),
    )


@login_required
@require_POST
def spending_add(request, pk: int):
    user = request.user
    return _act(
        request,
        pk,
        SPEND,
        "spending_form",
        lambda terms: forms.SpendingForm(request.POST, prefix="spending"),
        lambda terms, data: services.spending_record(actor=user, terms=terms, **data),
        _("Spending recorded."),
    )


@login_required
@require_POST
def renewal_decide(request, pk: int):
    user = request.user
    return _act(
        request,
        pk,
        DECIDE,
        "renewal_form",
        lambda terms: forms.RenewalForm(request.POST, prefix="renewal"),
        lambda terms, data: services.renewal_decide(actor=user, terms=terms, **data),
        _("Renewal decided."),
    )
