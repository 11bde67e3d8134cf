"""One FilterSet per model of the surveys app, for the list page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shegong.core.filtersets import SearchFilterSet
from shegong.surveys.models import Question, Survey


class SurveyFilterSet(SearchFilterSet):
    search_fields = ("title", "station__name")
    # Bounded: a huge year overflows the date arithmetic of the lookup (a 500).
    year = django_filters.NumberFilter(
        field_name="created_at__year", label=_("Year"), min_value=1900, max_value=2100
    )

    class Meta:
        model = Survey
        fields = ["q", "station", "kind", "status", "is_template", "year"]


class QuestionFilterSet(SearchFilterSet):
    search_fields = ("text",)

    class Meta:
        model = Question
        fields = ["q", "survey", "kind"]
