"""The API's writes of tenders and contracts: the input serializers (types only:
dates, decimal amounts, choices, records in the caller's scope) and the calls of
`contracts.services`, which hold every rule. A service's ValidationError is a
400 with its translated message, its PermissionDenied a 403, through the
project's handler (`core.api.exception_handler`); an out-of-scope record reads
as "does not exist" (`ScopedRelatedField`) or 404 (the viewset's queryset)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import serializers

from shegong.contracts import services
from shegong.contracts.forms import terms_kwargs
from shegong.contracts.models import (
    Bid,
    BudgetLine,
    ContractTerms,
    FailRule,
    Grade,
    Instalment,
    Renewal,
    RenewalDecision,
    Tender,
)
from shegong.core.api import ScopedRelatedField
from shegong.evaluation.models import StationEvaluation
from shegong.org.models import Agency, Contract, Station

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0.01")}
PERCENT = {"max_digits": 5, "decimal_places": 2, "min_value": Decimal(0), "max_value": Decimal(100)}


def valid(serializer_class, request, view, **context) -> dict:
    """The request body checked by `serializer_class` (400 with DRF's messages
    when a type is wrong), as the keyword arguments of a service."""
    serializer = serializer_class(
        data=request.data, context={**view.get_serializer_context(), **context}
    )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- Tenders ---------------------------------------------------------------------


class TenderAnnounceSerializer(serializers.Serializer):
    station = ScopedRelatedField(queryset=Station.objects.filter(is_active=True))
    code = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=150)
    buyer = serializers.CharField(max_length=100)
    announced_on = serializers.DateField()
    bids_close_on = serializers.DateField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    ceiling = serializers.DecimalField(**MONEY)
    technical_weight = serializers.DecimalField(default=Decimal(70), **PERCENT)


class BidInputSerializer(serializers.Serializer):
    """An agency of the tender's city (as on the page), its price and the panel's score."""

    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.none())
    price = serializers.DecimalField(**MONEY)
    technical_score = serializers.DecimalField(**PERCENT)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tender = self.context.get("tender")
        if tender is not None:
            city = tender.station.street.district.city_id
            self.fields["agency"].queryset = Agency.objects.filter(city=city)


class TermsFieldsSerializer(serializers.Serializer):
    """The terms of a contract: signing date, budget lines, the instalments'
    shares (30 / 40 / 30 % unless given) and the rule for a failed result."""

    signed_on = serializers.DateField()
    budget_personnel = serializers.DecimalField(**MONEY)
    budget_activities = serializers.DecimalField(**{**MONEY, "min_value": Decimal(0)})
    budget_administration = serializers.DecimalField(**{**MONEY, "min_value": Decimal(0)})
    signing_share = serializers.DecimalField(default=Decimal(30), **PERCENT)
    mid_term_share = serializers.DecimalField(default=Decimal(40), **PERCENT)
    final_share = serializers.DecimalField(default=Decimal(30), **PERCENT)
    fail_rule = serializers.ChoiceField(choices=FailRule.choices, default=FailRule.HOLD)
    reduce_percent = serializers.DecimalField(default=Decimal(0), **PERCENT)


class AwardInputSerializer(TermsFieldsSerializer):
    bid = serializers.PrimaryKeyRelatedField(queryset=Bid.objects.none())
    reason = serializers.CharField()
    awarded_on = serializers.DateField()
    contract_code = serializers.CharField(max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tender = self.context.get("tender")
        if tender is not None:
            self.fields["bid"].queryset = tender.bids.all()


class TermsInputSerializer(TermsFieldsSerializer):
    """Terms of a contract signed before the platform (no tender on it)."""

    contract = ScopedRelatedField(queryset=Contract.objects.all())


def tender_announce(request, view) -> Tender:
    data = valid(TenderAnnounceSerializer, request, view)
    return services.tender_announce(actor=request.user, **data)


def bid_record(request, view, tender: Tender):
    data = valid(BidInputSerializer, request, view, tender=tender)
    return services.bid_record(actor=request.user, tender=tender, **data)


def tender_award(request, view, tender: Tender) -> ContractTerms:
    data = terms_kwargs(valid(AwardInputSerializer, request, view, tender=tender))
    return services.tender_award(actor=request.user, tender=tender, **data)


def terms_record(request, view) -> ContractTerms:
    data = terms_kwargs(valid(TermsInputSerializer, request, view))
    return services.contract_terms_record(actor=request.user, **data)


# --- A contract's instalments, spending and renewal -------------------------------


class ResultInputSerializer(serializers.Serializer):
    """The milestone's result: a finalised evaluation sheet of the station (its
    grade is read), or the grade with the report it comes from."""

    evaluation = ScopedRelatedField(
        queryset=StationEvaluation.objects.select_related("round"), required=False, allow_null=True
    )
    grade = serializers.ChoiceField(choices=Grade.choices, required=False, allow_blank=True)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    recorded_on = serializers.DateField()


class PayInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY)
    paid_on = serializers.DateField()


class AcceptInputSerializer(serializers.Serializer):
    accepted_on = serializers.DateField()
    comment = serializers.CharField()


class SpendingInputSerializer(serializers.Serializer):
    line = serializers.ChoiceField(choices=BudgetLine.choices)
    spent_on = serializers.DateField()
    amount = serializers.DecimalField(**MONEY)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class RenewalInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Renewal.choices)
    reason = serializers.CharField()
    decided_on = serializers.DateField()


class NextContractInputSerializer(serializers.Serializer):
    contract = ScopedRelatedField(queryset=Contract.objects.all())


def instalment_of(terms: ContractTerms, sequence) -> Instalment:
    """The contract's instalment number `sequence` (1, 2, 3…), or 404 (also for
    a number no database integer holds: Django's lookup finds nothing)."""
    instalment = terms.instalments.filter(sequence=int(sequence)).first()
    if instalment is None:
        raise Http404(_("No such record."))
    return instalment


def result_record(request, view, terms: ContractTerms, sequence) -> Instalment:
    data = valid(ResultInputSerializer, request, view)
    return services.instalment_result_record(
        actor=request.user, instalment=instalment_of(terms, sequence), **data
    )


def instalment_accept(request, view, terms: ContractTerms, sequence) -> Instalment:
    data = valid(AcceptInputSerializer, request, view)
    return services.instalment_accept(
        actor=request.user, instalment=instalment_of(terms, sequence), **data
    )


def instalment_pay(request, view, terms: ContractTerms, sequence) -> Instalment:
    data = valid(PayInputSerializer, request, view)
    return services.instalment_pay(
        actor=request.user, instalment=instalment_of(terms, sequence), **data
    )


def spending_record(request, view, terms: ContractTerms):
    data = valid(SpendingInputSerializer, request, view)
    return services.spending_record(actor=request.user, terms=terms, **data)


def renewal_decide(request, view, terms: ContractTerms) -> RenewalDecision:
    data = valid(RenewalInputSerializer, request, view)
    return services.renewal_decide(actor=request.user, terms=terms, **data)


def renewal_link_next(request, view, terms: ContractTerms) -> RenewalDecision:
    data = valid(NextContractInputSerializer, request, view)
    renewal = RenewalDecision.objects.filter(terms=terms).first()
    if renewal is None:
        raise ValidationError(_("Decide the renewal first."))
    return services.renewal_link_next(actor=request.user, renewal=renewal, **data)
