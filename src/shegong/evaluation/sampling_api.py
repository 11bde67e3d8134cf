"""REST API of the evaluators' verification sample (抽样回访): the samples (drawn
with a POST), their entries, `reveal` (the phone number, access-logged) and
`record` (the outcome and answers). Writes call `evaluation.sampling`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.core.api import ScopedReadOnlyViewSet, ScopedRelatedField
from shegong.core.http import client_ip
from shegong.evaluation import filtersets, sampling
from shegong.evaluation.models import StationEvaluation
from shegong.evaluation.sample_models import (
    AWARENESS_ITEMS,
    CallOutcome,
    ClientSample,
    SampleEntry,
    Satisfaction,
)


class SampleEntrySerializer(serializers.ModelSerializer):
    aware = serializers.BooleanField(source="is_aware", read_only=True)

    class Meta:
        model = SampleEntry
        fields = [
            "id",
            "sample",
            "position",
            "method",
            "domain",
            "category",
            "label",
            "outcome",
            *AWARENESS_ITEMS,
            "aware",
            "satisfaction",
            "note",
            "recorded_at",
        ]
        read_only_fields = fields


class ClientSampleSerializer(serializers.ModelSerializer):
    entries = SampleEntrySerializer(many=True, read_only=True)

    class Meta:
        model = ClientSample
        fields = [
            "id",
            "evaluation",
            "seed",
            "calls",
            "visits",
            "as_of",
            "population",
            "strata",
            "drawn_by",
            "created_at",
            "entries",
        ]
        read_only_fields = fields


class DrawSerializer(serializers.Serializer):
    evaluation = ScopedRelatedField(queryset=StationEvaluation.objects.all())
    calls = serializers.IntegerField(min_value=0, max_value=sampling.MAX_SIZE)
    visits = serializers.IntegerField(min_value=0, max_value=sampling.MAX_SIZE)
    strata = serializers.ListField(
        child=serializers.ChoiceField(
            choices=[sampling.stratum_key(*key) for key in sampling.STRATA]
        ),
        required=False,
        help_text="domain:category, e.g. elderly:priority; empty for every stratum with clients",
    )
    seed = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)


class RecordSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CallOutcome.choices)
    known = serializers.ListField(
        child=serializers.ChoiceField(choices=AWARENESS_ITEMS), required=False, default=list
    )
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


def _valid(serializer_class, request, view) -> dict:
    serializer = serializer_class(data=request.data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ClientSampleViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """A sheet's verification sample; POST draws it (the assigned evaluator)."""

    filterset_class = filtersets.ClientSampleFilterSet
    queryset = ClientSample.objects.prefetch_related("entries")
    serializer_class = ClientSampleSerializer

    @extend_schema(request=DrawSerializer, responses={201: ClientSampleSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid(DrawSerializer, request, self)
        sheet = data.pop("evaluation")
        sampling.require_sampler(request.user, sheet)
        strata = [tuple(s.split(":")) for s in data.pop("strata", [])]
        sample = sampling.sample_draw(
            actor=request.user, evaluation=sheet, strata=strata or None, **data
        )
        sample = self.get_queryset().get(pk=sample.pk)
        return Response(ClientSampleSerializer(sample).data, status=status.HTTP_201_CREATED)


class SampleEntryViewSet(ScopedReadOnlyViewSet):
    """The call sheet's entries (masked names, never a phone number)."""

    filterset_class = filtersets.SampleEntryFilterSet
    queryset = SampleEntry.objects.select_related("sample__evaluation__round")
    serializer_class = SampleEntrySerializer

    @extend_schema(
        request=None,
        responses=inline_serializer("RevealedPhone", {"phone": serializers.CharField()}),
    )
    @action(detail=True, methods=["post"], scope_action="sample")
    def reveal(self, request, pk=None):
        entry = self.get_object()
        phone = sampling.entry_reveal_phone(actor=request.user, entry=entry, ip=client_ip(request))
        return Response({"phone": phone})

    @extend_schema(request=RecordSerializer, responses=SampleEntrySerializer)
    @action(detail=True, methods=["post"], scope_action="sample")
    def record(self, request, pk=None):
        entry = self.get_object()
        data = _valid(RecordSerializer, request, self)
        entry = sampling.entry_record(actor=request.user, entry=entry, **data)
        return Response(SampleEntrySerializer(entry).data)
