"""The API of `core.AccessLog` (reads of priority case files and ID reveals),
beside its model: /api/access-log/, read-only."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shegong.core.api import ScopedReadOnlyViewSet
from shegong.core.filtersets import SearchFilterSet
from shegong.core.models import AccessLog


class AccessLogFilterSet(SearchFilterSet):
    search_fields = ("object_label", "user__username", "user__full_name")
    since = django_filters.DateFilter(field_name="at__date", lookup_expr="gte", label=_("From"))
    until = django_filters.DateFilter(field_name="at__date", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = AccessLog
        fields = ["q", "station", "user", "action", "object_type", "object_id", "since", "until"]


class AccessLogSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    user_name = serializers.CharField(source="user.full_name", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True)

    class Meta:
        model = AccessLog
        fields = [
            "id",
            "at",
            "user",
            "user_name",
            "role",
            "ip",
            "action",
            "action_label",
            "station",
            "station_name",
            "object_type",
            "object_id",
            "object_label",
        ]
        read_only_fields = fields


class AccessLogViewSet(ScopedReadOnlyViewSet):
    """Who read which priority client's file or revealed an ID number: directors
    see their station's entries, city officers the city's; nobody else any."""

    queryset = AccessLog.objects.select_related("user", "station")
    serializer_class = AccessLogSerializer
    filterset_class = AccessLogFilterSet
    ordering_fields = ["at", "id"]
