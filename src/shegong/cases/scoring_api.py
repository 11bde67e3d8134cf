"""REST API of the scored assessment tools 评估量表: the active tools with their
items and bands (reference data, read by every account), and the scores of
cases (case content: listed and read only by the case's assigned workers and
the station director, as on the case page). A score is recorded by
`cases.scoring.instrument_score_record`, which computes the total and the band
with `cases.instruments.score_answers`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from shegong.cases import filtersets, scoring, selectors, services
from shegong.cases.instruments import Instrument, InstrumentScore
from shegong.cases.models import Case
from shegong.clients.api import ConflictMixin
from shegong.core.api import ScopedReadOnlyViewSet
from shegong.core.scope import VIEW, restrict


class TranslatedField(serializers.CharField):
    """A label stored as an English msgid, sent translated."""

    def to_representation(self, value):
        return gettext(str(value))


class InstrumentOptionSerializer(serializers.Serializer):
    score = serializers.IntegerField(read_only=True)
    label = TranslatedField(read_only=True)


class InstrumentItemSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    label = TranslatedField(read_only=True)
    options = InstrumentOptionSerializer(many=True, read_only=True)


class InstrumentBandSerializer(serializers.Serializer):
    min = serializers.IntegerField(read_only=True)
    max = serializers.IntegerField(read_only=True)
    label = TranslatedField(read_only=True)


class InstrumentSerializer(serializers.ModelSerializer):
    name = TranslatedField(read_only=True)
    domain_label = serializers.CharField(source="get_domain_display", read_only=True)
    items = InstrumentItemSerializer(many=True, read_only=True)
    bands = InstrumentBandSerializer(many=True, read_only=True)

    class Meta:
        model = Instrument
        fields = ["id", "code", "name", "domain", "domain_label", "description", "items", "bands"]
        read_only_fields = fields


class InstrumentViewSet(ScopedReadOnlyViewSet):
    """评估量表: the tools in use, with their items, allowed scores and bands.
    `?domain=elderly` lists those usable in a case of that domain."""

    queryset = Instrument.objects.filter(active=True)
    filterset_class = filtersets.InstrumentFilterSet
    serializer_class = InstrumentSerializer
    ordering_fields = ["name", "code", "id"]


class InstrumentScoreSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    instrument_code = serializers.CharField(source="instrument.code", read_only=True)
    instrument_name = serializers.CharField(source="instrument.label", read_only=True)
    band_label = serializers.CharField(read_only=True)
    author_name = serializers.CharField(source="author.full_name", read_only=True)

    class Meta:
        model = InstrumentScore
        fields = [
            "id",
            "case",
            "case_number",
            "instrument",
            "instrument_code",
            "instrument_name",
            "administered_on",
            "answers",
            "total",
            "band",
            "band_label",
            "author",
            "author_name",
            "created_at",
        ]
        read_only_fields = fields


class InstrumentScoreInputSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1)
    # Any tool by its code: an inactive one reaches the service, which says so.
    instrument = serializers.SlugRelatedField(slug_field="code", queryset=Instrument.objects.all())
    administered_on = serializers.DateField(default=timezone.localdate)
    # {item key: score}; the service checks every item and score.
    answers = serializers.DictField()
    # The case version the caller read, to refuse the score if the case changed since.
    version = serializers.IntegerField(min_value=1, required=False)


class InstrumentScoreViewSet(ConflictMixin, ScopedReadOnlyViewSet):
    """Scores of the assessment tools in cases, newest first: `?case=<id>` lists
    one case's, `?instrument=<code>` one tool's. POST scores a case's client
    (409 when `version` is not the case's current one)."""

    filterset_class = filtersets.InstrumentScoreFilterSet
    queryset = InstrumentScore.objects.select_related("case", "instrument", "author")
    serializer_class = InstrumentScoreSerializer
    ordering_fields = ["administered_on", "id"]

    @extend_schema(
        request=InstrumentScoreInputSerializer, responses={201: InstrumentScoreSerializer}
    )
    def create(self, request, *args, **kwargs):
        params = InstrumentScoreInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        user = request.user
        # The case page's rule: a case the caller cannot see is not there (404);
        # one they see but do not work on is refused (403).
        case = restrict(Case.objects.all(), user, VIEW).filter(pk=data.pop("case")).first()
        if case is None:
            raise Http404
        if not selectors.may_work(user, case):
            raise PermissionDenied(str(services.WORK_REFUSED))
        record = scoring.instrument_score_record(actor=user, case=case, **data)
        return Response(InstrumentScoreSerializer(record).data, status=status.HTTP_201_CREATED)
