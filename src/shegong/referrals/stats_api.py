"""The referral counts on the API: the same selector as the page."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shegong.referrals.stats import FIRST_YEAR, LAST_YEAR, referral_counts, year_of


class _Row(serializers.Serializer):
    sent = serializers.IntegerField()
    accepted = serializers.IntegerField()
    completed = serializers.IntegerField()


class _DomainRow(_Row):
    domain = serializers.CharField()
    label = serializers.CharField()


class _PartnerRow(_Row):
    partner = serializers.IntegerField()
    name = serializers.CharField()


class ReferralCountsSerializer(_Row):
    by_domain = _DomainRow(many=True)
    by_partner = _PartnerRow(many=True)


class ReferralCountsView(APIView):
    """Referrals sent, accepted and completed by the stations in the caller's
    scope, by domain and by partner: counts only."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="Year the referral was sent.")],
        responses=ReferralCountsSerializer,
    )
    def get(self, request):
        year = request.query_params.get("year", "")
        if year and year_of(year) is None:
            raise serializers.ValidationError(
                {
                    "year": [
                        _("Give a year from %(first)s to %(last)s.")
                        % {"first": FIRST_YEAR, "last": LAST_YEAR}
                    ]
                }
            )
        counts = referral_counts(request.user, year_of(year))
        return Response(ReferralCountsSerializer(asdict(counts)).data)
