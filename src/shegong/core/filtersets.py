"""The base of every app's FilterSets (one per model, used by the list pages and
the API alike)."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from shegong.core.scope import restrict


class SearchFilterSet(django_filters.FilterSet):
    """Adds `q`, a free-text search over `search_fields`, and limits every
    choice of a related object to what the user can see: an out-of-scope id is
    refused exactly like an id that does not exist."""

    search_fields: tuple[str, ...] = ("name",)
    q = django_filters.CharFilter(method="search", label=_("Search"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        for flt in self.filters.values():
            # A form field the class-level filter built and kept (drf-spectacular's
            # schema reads `base_filters[...].field`, before any model is known) has
            # no label, and the page then showed the field's name in English
            # ("Status", "Kind"): each filterset builds its fields afresh, labelled
            # from the model in the request's language.
            flt.__dict__.pop("_field", None)
            if isinstance(flt, django_filters.ModelChoiceFilter):
                flt.queryset = restrict(flt.queryset.model._default_manager.all(), user)

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class _UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, converted to UTC: PostgreSQL refuses offsets beyond
    ±15:59 ("time zone displacement out of range", a 500 before), which ISO
    8601 and Python allow."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(_("Enter a valid date and time."), code="invalid") from None


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    """The API's date-time filters: ISO 8601 in, compared in UTC."""

    field_class = _UTCDateTimeField
