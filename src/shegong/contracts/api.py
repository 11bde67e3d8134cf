"""REST API of tenders and contract terms, read-only and scoped like the pages
(`Tender.objects.visible_to(user)`, `ContractTerms.objects.visible_to(user)`):
a tender with its bids ranked by the combined score; a contract's terms with
their budget lines, spending per line, instalments (status by the payment rule,
acceptance 验收) and the renewal decision. The writes (`contracts.api_writes`)
are POST actions that call `contracts.services`, with the pages' permissions:
announce a tender, record a bid, award, record terms, a milestone's result, the
buyer's acceptance, a payment, spending, the renewal and the next contract."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.contracts import api_writes as writes
from shegong.contracts import filtersets, selectors
from shegong.contracts.models import (
    ACCEPT,
    AWARD,
    DECIDE,
    PAY,
    RECORD_RESULT,
    SPEND,
    Bid,
    ContractTerms,
    Instalment,
    RenewalDecision,
    Tender,
)
from shegong.core.api import ScopedReadOnlyViewSet

MONEY = {"max_digits": 14, "decimal_places": 2}


class BidSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = Bid
        fields = ["id", "agency", "agency_name", "price", "technical_score", "note"]


class RankedBidSerializer(serializers.Serializer):
    bid = BidSerializer()
    price_score = serializers.DecimalField(max_digits=7, decimal_places=2)
    combined = serializers.DecimalField(max_digits=7, decimal_places=2)
    rank = serializers.IntegerField()


class TenderSerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    ranked_bids = serializers.SerializerMethodField()

    class Meta:
        model = Tender
        fields = [
            "id",
            "code",
            "title",
            "station",
            "station_name",
            "buyer",
            "announced_on",
            "bids_close_on",
            "starts_on",
            "ends_on",
            "ceiling",
            "technical_weight",
            "status",
            "awarded_bid",
            "award_reason",
            "awarded_on",
            "ranked_bids",
        ]

    @extend_schema_field(RankedBidSerializer(many=True))
    def get_ranked_bids(self, tender: Tender):
        return RankedBidSerializer(selectors.ranked_bids(tender), many=True).data


class InstalmentSerializer(serializers.ModelSerializer):
    status = serializers.CharField()
    payable = serializers.DecimalField(**MONEY)

    class Meta:
        model = Instalment
        fields = [
            "id",
            "sequence",
            "milestone",
            "share",
            "planned",
            "grade",
            "result_note",
            "result_recorded_on",
            "accepted_on",
            "acceptance_comment",
            "status",
            "payable",
            "paid",
            "paid_on",
        ]


class LineSerializer(serializers.Serializer):
    line = serializers.CharField()
    budget = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)


class RenewalSerializer(serializers.ModelSerializer):
    class Meta:
        model = RenewalDecision
        fields = ["decision", "final_grade", "reason", "decided_on", "next_contract"]


class ContractTermsSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="contract.code", read_only=True)
    agency = serializers.IntegerField(source="contract.agency_id", read_only=True)
    starts_on = serializers.DateField(source="contract.starts_on", read_only=True)
    ends_on = serializers.DateField(source="contract.ends_on", read_only=True)
    amount = serializers.DecimalField(source="contract.amount", read_only=True, **MONEY)
    lines = serializers.SerializerMethodField()
    instalments = serializers.SerializerMethodField()
    paid = serializers.SerializerMethodField()
    spent_personnel_share = serializers.SerializerMethodField()
    renewal = serializers.SerializerMethodField()

    class Meta:
        model = ContractTerms
        fields = [
            "id",
            "contract",
            "code",
            "station",
            "agency",
            "tender",
            "starts_on",
            "ends_on",
            "amount",
            "signed_on",
            "budget_personnel",
            "budget_activities",
            "budget_administration",
            "fail_rule",
            "reduce_percent",
            "lines",
            "instalments",
            "paid",
            "spent_personnel_share",
            "renewal",
        ]

    def _ledger(self, terms: ContractTerms) -> selectors.Ledger:
        cache = self.context.setdefault("ledgers", {})
        if terms.pk not in cache:
            cache[terms.pk] = selectors.ledger(terms)
        return cache[terms.pk]

    @extend_schema_field(LineSerializer(many=True))
    def get_lines(self, terms: ContractTerms):
        return LineSerializer(self._ledger(terms).lines, many=True).data

    @extend_schema_field(InstalmentSerializer(many=True))
    def get_instalments(self, terms: ContractTerms):
        rows = []
        for row in self._ledger(terms).instalments:
            row.instalment.status = row.status.code
            row.instalment.payable = row.status.payable
            rows.append(row.instalment)
        return InstalmentSerializer(rows, many=True).data

    @extend_schema_field(serializers.DecimalField(**MONEY))
    def get_paid(self, terms: ContractTerms) -> str:
        return f"{self._ledger(terms).paid:.2f}"

    @extend_schema_field(serializers.DecimalField(max_digits=7, decimal_places=2))
    def get_spent_personnel_share(self, terms: ContractTerms) -> str:
        """Personnel spending as a share of the contract's amount (%)."""
        return f"{self._ledger(terms).spent_personnel_share:.2f}"

    @extend_schema_field(RenewalSerializer(allow_null=True))
    def get_renewal(self, terms: ContractTerms):
        renewal = RenewalDecision.objects.filter(terms=terms).first()
        return RenewalSerializer(renewal).data if renewal else None


class TenderViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Tenders 招标 in the caller's scope, newest first, with their bids ranked.
    The buyer and the officials announce (POST), record bids and award."""

    filterset_class = filtersets.TenderFilterSet
    queryset = Tender.objects.select_related("station").prefetch_related("bids__agency")
    serializer_class = TenderSerializer

    def _answer(self, tender: Tender, code: int = status.HTTP_200_OK) -> Response:
        tender = self.get_queryset().get(pk=tender.pk)
        return Response(self.get_serializer(tender).data, status=code)

    @extend_schema(request=writes.TenderAnnounceSerializer, responses={201: TenderSerializer})
    def create(self, request, *args, **kwargs):
        """Announce a tender for one station's services, with its ceiling price."""
        return self._answer(writes.tender_announce(request, self), status.HTTP_201_CREATED)

    @extend_schema(request=writes.BidInputSerializer, responses={201: TenderSerializer})
    @action(detail=True, methods=["post"])
    def bids(self, request, pk=None):
        """投标: an agency's bid (price at most the ceiling, technical score 0–100)."""
        tender = self.get_object()
        writes.bid_record(request, self, tender)
        return self._answer(tender, status.HTTP_201_CREATED)

    @extend_schema(request=writes.AwardInputSerializer, responses={201: ContractTermsSerializer})
    @action(detail=True, methods=["post"], scope_action=AWARD)
    def award(self, request, pk=None):
        """中标: award a bid with its reason; signs the contract at the bid's price
        with its budget lines and instalments (answers the contract's terms)."""
        terms = writes.tender_award(request, self, self.get_object())
        context = self.get_serializer_context()
        return Response(
            ContractTermsSerializer(terms, context=context).data, status=status.HTTP_201_CREATED
        )


SEQUENCE = OpenApiParameter(
    "sequence", int, OpenApiParameter.PATH, description="The instalment's number (1, 2, 3…)."
)
INSTALMENT = r"instalments/(?P<sequence>[0-9]+)"


class ContractTermsViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """The money of the contracts in the caller's scope: budget lines, spending,
    instalments and the renewal decision. POST records the terms of a contract
    signed before the platform; the actions record a milestone's result, accept
    its deliverables (the street office), pay, report spending and decide the renewal."""

    filterset_class = filtersets.ContractTermsFilterSet
    queryset = ContractTerms.objects.select_related("contract")
    serializer_class = ContractTermsSerializer

    def _answer(self, terms: ContractTerms, code: int = status.HTTP_200_OK) -> Response:
        terms = self.get_queryset().get(pk=terms.pk)
        return Response(self.get_serializer(terms).data, status=code)

    @extend_schema(request=writes.TermsInputSerializer, responses={201: ContractTermsSerializer})
    def create(self, request, *args, **kwargs):
        """Record the terms of a station's contract signed without a tender here."""
        return self._answer(writes.terms_record(request, self), status.HTTP_201_CREATED)

    @extend_schema(
        request=writes.ResultInputSerializer,
        responses=ContractTermsSerializer,
        parameters=[SEQUENCE],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"{INSTALMENT}/result",
        url_name="instalment-result",
        scope_action=RECORD_RESULT,
    )
    def result(self, request, pk=None, sequence=None):
        """评估结果 of a mid-term or final milestone: a finalised sheet or the grade
        with its report."""
        terms = self.get_object()
        writes.result_record(request, self, terms, sequence)
        return self._answer(terms)

    @extend_schema(
        request=writes.AcceptInputSerializer,
        responses=ContractTermsSerializer,
        parameters=[SEQUENCE],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"{INSTALMENT}/accept",
        url_name="instalment-accept",
        scope_action=ACCEPT,
    )
    def accept(self, request, pk=None, sequence=None):
        """验收: the street office of the station's street accepts the deliverables."""
        terms = self.get_object()
        writes.instalment_accept(request, self, terms, sequence)
        return self._answer(terms)

    @extend_schema(
        request=writes.PayInputSerializer, responses=ContractTermsSerializer, parameters=[SEQUENCE]
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"{INSTALMENT}/pay",
        url_name="instalment-pay",
        scope_action=PAY,
    )
    def pay(self, request, pk=None, sequence=None):
        """拨付 (part of) an instalment, within what the payment rule allows."""
        terms = self.get_object()
        writes.instalment_pay(request, self, terms, sequence)
        return self._answer(terms)

    @extend_schema(request=writes.SpendingInputSerializer, responses={201: ContractTermsSerializer})
    @action(detail=True, methods=["post"], scope_action=SPEND)
    def spending(self, request, pk=None):
        """支出 on one budget line, within the contract's term (the agency)."""
        terms = self.get_object()
        writes.spending_record(request, self, terms)
        return self._answer(terms, status.HTTP_201_CREATED)

    @extend_schema(request=writes.RenewalInputSerializer, responses={201: ContractTermsSerializer})
    @action(detail=True, methods=["post"], scope_action=DECIDE)
    def renewal(self, request, pk=None):
        """续签: renew, tender again or end, on the final result."""
        terms = self.get_object()
        writes.renewal_decide(request, self, terms)
        return self._answer(terms, status.HTTP_201_CREATED)

    @extend_schema(request=writes.NextContractInputSerializer, responses=ContractTermsSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="renewal/next-contract",
        url_name="renewal-next-contract",
        scope_action=DECIDE,
    )
    def next_contract(self, request, pk=None):
        """The contract signed after a renewal (the same station, starting later)."""
        terms = self.get_object()
        writes.renewal_link_next(request, self, terms)
        return self._answer(terms)
