"""REST API of tenders and contract terms, read-only and scoped like the pages
(`Tender.objects.visible_to(user)`, `ContractTerms.objects.visible_to(user)`):
a tender with its bids ranked by the combined score; a contract's terms with
their budget lines, spending per line, instalments (status by the payment rule,
acceptance 验收) and the renewal decision. Writes stay on the pages and
`contracts.services`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shegong.contracts import filtersets, selectors
from shegong.contracts.models import Bid, ContractTerms, Instalment, RenewalDecision, Tender
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


class TenderViewSet(ScopedReadOnlyViewSet):
    """Tenders 招标 in the caller's scope, newest first, with their bids ranked."""

    filterset_class = filtersets.TenderFilterSet
    queryset = Tender.objects.select_related("station").prefetch_related("bids__agency")
    serializer_class = TenderSerializer


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


class ContractTermsViewSet(ScopedReadOnlyViewSet):
    """The money of the contracts in the caller's scope: budget lines, spending,
    instalments and the renewal decision."""

    filterset_class = filtersets.ContractTermsFilterSet
    queryset = ContractTerms.objects.select_related("contract")
    serializer_class = ContractTermsSerializer
