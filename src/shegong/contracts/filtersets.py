"""FilterSets of the contracts' API; related-object choices are limited to the
caller's scope."""

from shegong.contracts.models import ContractTerms, Tender
from shegong.core.filtersets import SearchFilterSet


class TenderFilterSet(SearchFilterSet):
    search_fields = ("code", "title")

    class Meta:
        model = Tender
        fields = ["q", "station", "status"]


class ContractTermsFilterSet(SearchFilterSet):
    search_fields = ("contract__code",)

    class Meta:
        model = ContractTerms
        fields = ["q", "station"]
