"""The coverage API: the same figures as the coverage page, from the same selector."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shegong.rosters import selectors
from shegong.rosters.views import coverage_params


class CoverageRowSerializer(serializers.Serializer):
    key = serializers.IntegerField()
    name = serializers.CharField()
    category_id = serializers.IntegerField(allow_null=True)
    category = serializers.CharField()
    on_roster = serializers.IntegerField()
    reached = serializers.IntegerField()
    visited = serializers.IntegerField()
    never_reached = serializers.IntegerField()
    coverage = serializers.FloatField(allow_null=True)
    visit_rate = serializers.FloatField(allow_null=True)


class CoverageSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    level = serializers.CharField()
    rows = CoverageRowSerializer(many=True)


class CoverageView(APIView):
    """Roster coverage 覆盖率 of a month in the caller's scope, per unit of a level
    and per category (category_id null: all categories of the unit). At the level
    `point`, key 0 is a station's communities without a service point (its name
    says which station)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("month", str, description="YYYY-MM; default the latest on file"),
            OpenApiParameter("level", str, enum=list(selectors.LEVELS)),
            OpenApiParameter("district", int),
            OpenApiParameter("station", int),
            OpenApiParameter("point", int, description="A service point 社工点 of a station."),
        ],
        responses=CoverageSerializer,
    )
    def get(self, request):
        try:
            params = coverage_params(request.query_params, request.user)
        except ValidationError as error:
            raise serializers.ValidationError(
                error.message_dict if hasattr(error, "error_dict") else error.messages
            ) from None
        rows = selectors.coverage(request.user, **params)
        return Response(
            CoverageSerializer(
                {
                    "year": params["year"],
                    "month": params["month"],
                    "level": params["level"],
                    "rows": rows,
                }
            ).data
        )
