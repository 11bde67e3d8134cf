"""One FilterSet per model of cases, observations, alerts and the access log.

Related-object choices are limited to the caller's scope (SearchFilterSet). No
filter reads case content: a search by client name or risk level would tell an
official what the case file holds."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shegong.accounts.models import User
from shegong.cases.instruments import Instrument, InstrumentScore
from shegong.cases.models import (
    OPEN_STATUSES,
    Alert,
    AlertRule,
    AlertStatus,
    Case,
    CaseDocument,
    LibraryCase,
    Observation,
    Signoff,
    SignoffSetting,
)
from shegong.clients.filtersets import ResidentNameSearch
from shegong.core.filtersets import SearchFilterSet


class CaseFilterSet(SearchFilterSet):
    search_fields = ("number",)
    worker = django_filters.ModelChoiceFilter(
        field_name="workers", queryset=User.objects.all(), label=_("Assigned worker")
    )
    is_open = django_filters.BooleanFilter(method="filter_is_open", label=_("Open"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("My caseload"))
    opened_after = django_filters.DateFilter(field_name="opened_on", lookup_expr="gte")
    opened_before = django_filters.DateFilter(field_name="opened_on", lookup_expr="lte")

    class Meta:
        model = Case
        fields = [
            "q",
            "station",
            "client",
            "domain",
            "status",
            "outcome",
            "worker",
            "is_open",
            "mine",
            "opened_after",
            "opened_before",
        ]

    def filter_is_open(self, queryset, name, value):
        if value:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.exclude(status__in=OPEN_STATUSES)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value:
            return queryset.filter(workers=user)
        return queryset.exclude(workers=user)


class ObservationFilterSet(ResidentNameSearch, SearchFilterSet):
    search_fields = ("resident__name", "text")
    observed_after = django_filters.DateFilter(field_name="observed_on", lookup_expr="gte")
    observed_before = django_filters.DateFilter(field_name="observed_on", lookup_expr="lte")

    class Meta:
        model = Observation
        fields = ["q", "resident", "source", "crisis", "observed_after", "observed_before"]


class AlertFilterSet(ResidentNameSearch, SearchFilterSet):
    """Without `status`, the alerts still to handle (open or acknowledged)."""

    search_fields = ("resident__name",)
    status = django_filters.ChoiceFilter(choices=AlertStatus.choices, label=_("Status"))

    class Meta:
        model = Alert
        fields = ["q", "status", "kind", "resident", "case", "assigned_to"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=AlertStatus.RESOLVED)
        return queryset


class AlertRuleFilterSet(SearchFilterSet):
    search_fields = ("kind",)

    class Meta:
        model = AlertRule
        fields = ["q", "station", "kind", "enabled"]


class LibraryCaseFilterSet(SearchFilterSet):
    """The library's filters: domain, year and a keyword over the write-up."""

    search_fields = ("title", "background", "intervention", "outcome", "reflection")

    class Meta:
        model = LibraryCase
        fields = ["q", "domain", "year", "status"]


class SignoffFilterSet(SearchFilterSet):
    """The sign-offs a user sees (the case content's readers) by case and status."""

    search_fields = ("case__number",)

    class Meta:
        model = Signoff
        fields = ["q", "case", "step", "status"]


class SignoffSettingFilterSet(SearchFilterSet):
    search_fields = ("station__name",)

    class Meta:
        model = SignoffSetting
        fields = ["q", "station"]


class CaseDocumentFilterSet(SearchFilterSet):
    search_fields = ("title",)

    class Meta:
        model = CaseDocument
        fields = ["q", "case", "kind"]


class InstrumentFilterSet(SearchFilterSet):
    """`?domain=elderly`: the tools usable in a case of that domain (its own and
    those for any domain)."""

    search_fields = ("name", "code")
    domain = django_filters.CharFilter(method="usable_in", label=_("Domain"))

    class Meta:
        model = Instrument
        fields = ["q", "domain"]

    def usable_in(self, queryset, name, value):
        return queryset.filter(domain__in=[value, ""])


class InstrumentScoreFilterSet(SearchFilterSet):
    """`?case=<id>`: one case's scores; `?instrument=<code>`: one tool's."""

    search_fields = ("instrument__name",)
    instrument = django_filters.CharFilter(field_name="instrument__code", label=_("Tool"))

    class Meta:
        model = InstrumentScore
        fields = ["q", "case", "instrument"]
