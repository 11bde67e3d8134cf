"""One FilterSet per model of evaluation and inspection, for the list pages and
the API; related-object choices are limited to the caller's scope."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shegong.core.filtersets import SearchFilterSet
from shegong.evaluation.models import (
    EvaluationRound,
    Evidence,
    IndicatorScore,
    Inspection,
    Rectification,
    RectificationAlert,
    RoundAssignment,
    StationEvaluation,
)
from shegong.evaluation.sample_models import ClientSample, SampleEntry


class EvaluationRoundFilterSet(SearchFilterSet):
    class Meta:
        model = EvaluationRound
        fields = ["q", "year", "kind", "status", "district"]


class StationEvaluationFilterSet(SearchFilterSet):
    search_fields = ("station__name", "station__code")

    class Meta:
        model = StationEvaluation
        fields = ["q", "round", "station", "status"]


class RoundAssignmentFilterSet(SearchFilterSet):
    search_fields = ("evaluation__station__name", "evaluator__full_name")
    round = django_filters.ModelChoiceFilter(
        field_name="evaluation__round", queryset=EvaluationRound.objects.all(), label=_("Round")
    )

    class Meta:
        model = RoundAssignment
        fields = ["q", "round", "evaluator"]


class IndicatorScoreFilterSet(SearchFilterSet):
    search_fields = ("indicator__name",)

    class Meta:
        model = IndicatorScore
        fields = ["q", "evaluation"]


class EvidenceFilterSet(SearchFilterSet):
    search_fields = ("original_name",)

    class Meta:
        model = Evidence
        fields = ["q", "score"]


class InspectionFilterSet(SearchFilterSet):
    search_fields = ("station__name", "findings")
    date_from = django_filters.DateFilter(
        field_name="visited_on", lookup_expr="gte", label=_("From")
    )
    date_to = django_filters.DateFilter(field_name="visited_on", lookup_expr="lte", label=_("To"))

    class Meta:
        model = Inspection
        fields = ["q", "station", "date_from", "date_to"]


class RectificationFilterSet(SearchFilterSet):
    search_fields = ("description", "station__name")

    class Meta:
        model = Rectification
        fields = ["q", "station", "status", "inspection", "owner"]


class RectificationAlertFilterSet(SearchFilterSet):
    search_fields = ("rectification__description",)
    open = django_filters.BooleanFilter(
        field_name="resolved_at", lookup_expr="isnull", label=_("Open")
    )

    class Meta:
        model = RectificationAlert
        fields = ["q", "station", "open"]


class ClientSampleFilterSet(SearchFilterSet):
    search_fields = ("evaluation__station__name",)

    class Meta:
        model = ClientSample
        fields = ["q", "evaluation"]


class SampleEntryFilterSet(SearchFilterSet):
    search_fields = ("label",)

    class Meta:
        model = SampleEntry
        fields = ["q", "sample", "method", "outcome"]
