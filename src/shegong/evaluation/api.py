"""REST API of evaluation rounds (with results), station sheets and their scores,
evidence, assignments, inspections, rectifications and their overdue alerts.

Reads go through the selectors (the scope plus the stage rules); every write
calls a service of `evaluation.services` (rounds and scoring) or
`evaluation.inspections`: serializers only check the input's shape.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from shegong.accounts.models import User
from shegong.core.api import ScopedReadOnlyViewSet, ScopedRelatedField
from shegong.evaluation import filtersets, inspections, selectors, services
from shegong.evaluation.city_system import round_add_city_system
from shegong.evaluation.models import (
    CheckItem,
    CheckResult,
    EvaluationRound,
    Evidence,
    Indicator,
    IndicatorGroup,
    IndicatorScore,
    Inspection,
    InspectionCheck,
    Rectification,
    RectificationAlert,
    RoundAssignment,
    StationEvaluation,
    System,
)
from shegong.org.models import District, Station


def _valid(serializer_class, request, view) -> dict:
    serializer = serializer_class(data=request.data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- Rounds ------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "name",
            "description",
            "parent",
            "max_score",
            "weight",
            "method",
            "computation",
            "party_building",
            "veto",
            "veto_cap",
        ]


class IndicatorGroupSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = IndicatorGroup
        fields = ["id", "name", "weight", "scorer", "indicators"]


class EvaluationRoundSerializer(serializers.ModelSerializer):
    groups = IndicatorGroupSerializer(many=True, read_only=True)

    class Meta:
        model = EvaluationRound
        fields = [
            "id",
            "name",
            "city",
            "district",
            "kind",
            "system",
            "year",
            "month_from",
            "month_to",
            "status",
            "opened_at",
            "finalised_at",
            "version",
            "groups",
        ]
        read_only_fields = fields


class RoundCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=EvaluationRound._meta.get_field("kind").choices)
    year = serializers.IntegerField()
    district = ScopedRelatedField(queryset=District.objects.all(), allow_null=True, required=False)
    month_from = serializers.IntegerField(required=False)
    month_to = serializers.IntegerField(required=False)
    # "points": the city's 1000-point tree (its template with `standard_system`).
    system = serializers.ChoiceField(choices=System.choices, default=System.WEIGHTED)
    standard_system = serializers.BooleanField(default=True)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)


class StationResultSerializer(serializers.Serializer):
    evaluation = serializers.IntegerField()
    station = serializers.CharField()
    station_code = serializers.CharField()
    district = serializers.CharField()
    groups = serializers.DictField(child=serializers.DecimalField(max_digits=6, decimal_places=2))
    scorers = serializers.DictField(
        child=serializers.DecimalField(max_digits=7, decimal_places=2),
        help_text="Points tree: the points of each scorer group (professional, buyer, supervisor).",
    )
    vetoed = serializers.ListField(child=serializers.CharField())
    total = serializers.DecimalField(max_digits=7, decimal_places=2)
    grade = serializers.CharField()
    rank_district = serializers.IntegerField()
    rank_round = serializers.IntegerField()


def result_dict(result) -> dict:
    return {
        "evaluation": result.evaluation.pk,
        "station": result.station.name,
        "station_code": result.station.code,
        "district": result.station.street.district.name,
        "groups": {group.name: value for group, value in result.groups},
        "scorers": result.scorers,
        "vetoed": result.vetoed,
        "total": result.total,
        "grade": result.grade,
        "rank_district": result.rank_district,
        "rank_round": result.rank_round,
    }


class EvaluationRoundViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """评估轮次. Created by the city officer (with the standard indicator system
    unless `standard_system` is false), opened and finalised through actions."""

    queryset = EvaluationRound.objects.prefetch_related("groups__indicators")
    serializer_class = EvaluationRoundSerializer
    filterset_class = filtersets.EvaluationRoundFilterSet

    def get_queryset(self):
        return selectors.rounds_visible_to(self.request.user).prefetch_related("groups__indicators")

    @extend_schema(request=RoundCreateSerializer, responses={201: EvaluationRoundSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid(RoundCreateSerializer, request, self)
        standard = data.pop("standard_system")
        round = services.round_create(actor=request.user, **data)
        if standard and round.system == System.POINTS:
            round_add_city_system(actor=request.user, round=round)
        elif standard:
            services.round_add_standard_system(actor=request.user, round=round)
        return Response(EvaluationRoundSerializer(round).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VersionSerializer, responses=EvaluationRoundSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        data = _valid(VersionSerializer, request, self)
        round = services.round_open(actor=request.user, round=self.get_object(), **data)
        return Response(EvaluationRoundSerializer(round).data)

    @extend_schema(request=VersionSerializer, responses=EvaluationRoundSerializer)
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        data = _valid(VersionSerializer, request, self)
        round = services.round_finalise(actor=request.user, round=self.get_object(), **data)
        return Response(EvaluationRoundSerializer(round).data)

    @extend_schema(request=None, responses=StationResultSerializer(many=True))
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Weighted totals, grades and ranks of the sheets the caller may see."""
        round = self.get_object()
        rows = [result_dict(r) for r in selectors.round_results(request.user, round)]
        return Response(StationResultSerializer(rows, many=True).data)


class AssignmentSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="evaluation.round_id", read_only=True)
    station = serializers.IntegerField(source="evaluation.station_id", read_only=True)

    class Meta:
        model = RoundAssignment
        fields = ["id", "round", "station", "evaluation", "evaluator"]
        read_only_fields = fields


class AssignmentCreateSerializer(serializers.Serializer):
    round = ScopedRelatedField(queryset=EvaluationRound.objects.all())
    station = ScopedRelatedField(queryset=Station.objects.all())
    evaluator = ScopedRelatedField(queryset=User.objects.filter(role="evaluator", is_active=True))


class RoundAssignmentViewSet(
    mixins.CreateModelMixin, mixins.DestroyModelMixin, ScopedReadOnlyViewSet
):
    """Evaluators assigned to stations of a round (第三方评估)."""

    queryset = RoundAssignment.objects.select_related("evaluation")
    serializer_class = AssignmentSerializer
    filterset_class = filtersets.RoundAssignmentFilterSet

    @extend_schema(request=AssignmentCreateSerializer, responses={201: AssignmentSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid(AssignmentCreateSerializer, request, self)
        assignment = services.round_assign(actor=request.user, **data)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.round_unassign(actor=self.request.user, assignment=instance)


# --- Sheets and scores ------------------------------------------------------------


class ScoreSerializer(serializers.ModelSerializer):
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    max_score = serializers.DecimalField(
        source="indicator.max_score", max_digits=6, decimal_places=2, read_only=True
    )

    class Meta:
        model = IndicatorScore
        fields = [
            "id",
            "evaluation",
            "indicator",
            "indicator_name",
            "max_score",
            "score",
            "value",
            "note",
            "scored_at",
            "director_reply",
        ]
        read_only_fields = fields


class StationEvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = StationEvaluation
        fields = [
            "id",
            "round",
            "station",
            "status",
            "submitted_at",
            "director_comment",
            "version",
        ]
        read_only_fields = fields


class ScoreInputSerializer(serializers.Serializer):
    indicator = ScopedRelatedField(queryset=Indicator.objects.all())
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReplySerializer(serializers.Serializer):
    text = serializers.CharField()
    indicator = ScopedRelatedField(
        queryset=Indicator.objects.all(), required=False, allow_null=True
    )


class EvidenceUploadSerializer(serializers.Serializer):
    indicator = ScopedRelatedField(queryset=Indicator.objects.all())
    file = serializers.FileField()


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "score", "original_name", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class StationEvaluationViewSet(ScopedReadOnlyViewSet):
    """A station's sheet in a round. Evaluators assigned to it score (`scores`),
    attach evidence (`evidence`) and `submit`; the station director `reply`s once
    the round is finalised."""

    queryset = StationEvaluation.objects.all()
    serializer_class = StationEvaluationSerializer
    filterset_class = filtersets.StationEvaluationFilterSet
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return selectors.evaluations_visible_to(self.request.user)

    @extend_schema(request=ScoreInputSerializer, responses=ScoreSerializer)
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        sheet = self.get_object()
        services.require_sheet_scorer(request.user, sheet)
        data = _valid(ScoreInputSerializer, request, self)
        row = services.score_set(actor=request.user, evaluation=sheet, **data)
        return Response(ScoreSerializer(row).data)

    @extend_schema(request=EvidenceUploadSerializer, responses={201: EvidenceSerializer})
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        sheet = self.get_object()
        services.require_sheet_scorer(request.user, sheet)
        data = _valid(EvidenceUploadSerializer, request, self)
        row = services.evidence_add(actor=request.user, evaluation=sheet, **data)
        return Response(EvidenceSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VersionSerializer, responses=StationEvaluationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        data = _valid(VersionSerializer, request, self)
        sheet = services.evaluation_submit(actor=request.user, evaluation=self.get_object(), **data)
        return Response(StationEvaluationSerializer(sheet).data)

    @extend_schema(request=ReplySerializer, responses=StationEvaluationSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        sheet = self.get_object()
        services.require_replier(request.user, sheet)
        data = _valid(ReplySerializer, request, self)
        services.evaluation_reply(actor=request.user, evaluation=sheet, **data)
        sheet.refresh_from_db()
        return Response(StationEvaluationSerializer(sheet).data)


class IndicatorScoreViewSet(ScopedReadOnlyViewSet):
    queryset = IndicatorScore.objects.all()
    serializer_class = ScoreSerializer
    filterset_class = filtersets.IndicatorScoreFilterSet

    def get_queryset(self):
        return selectors.scores_visible_to(self.request.user)


class EvidenceViewSet(ScopedReadOnlyViewSet):
    """Evidence metadata; the file itself is downloaded from the web page
    (always as an attachment)."""

    queryset = Evidence.objects.all()
    serializer_class = EvidenceSerializer
    filterset_class = filtersets.EvidenceFilterSet

    def get_queryset(self):
        return selectors.evidence_visible_to(self.request.user)


# --- Inspection ------------------------------------------------------------------


class CheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionCheck
        fields = ["item", "result", "note"]


class InspectionSerializer(serializers.ModelSerializer):
    checks = CheckSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "station", "visited_on", "inspector", "findings", "checks"]
        read_only_fields = ["id", "inspector", "checks"]


class CheckInputSerializer(serializers.Serializer):
    item = serializers.ChoiceField(choices=CheckItem.choices)
    result = serializers.ChoiceField(choices=CheckResult.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class InspectionCreateSerializer(serializers.Serializer):
    station = ScopedRelatedField(queryset=Station.objects.all())
    visited_on = serializers.DateField()
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    checks = CheckInputSerializer(many=True, required=False)


class InspectionViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """监督检查: visits with their checklist."""

    queryset = Inspection.objects.prefetch_related("checks")
    serializer_class = InspectionSerializer
    filterset_class = filtersets.InspectionFilterSet

    @extend_schema(request=InspectionCreateSerializer, responses={201: InspectionSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid(InspectionCreateSerializer, request, self)
        checks = {c["item"]: (c["result"], c["note"]) for c in data.pop("checks", [])}
        inspection = inspections.inspection_record(actor=request.user, checks=checks, **data)
        return Response(InspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)


class RectificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rectification
        fields = [
            "id",
            "inspection",
            "station",
            "description",
            "owner",
            "due_on",
            "status",
            "response",
            "evidence_name",
            "submitted_at",
            "decision_note",
            "closed_at",
            "version",
        ]
        read_only_fields = fields


class RectificationCreateSerializer(serializers.Serializer):
    inspection = ScopedRelatedField(queryset=Inspection.objects.all())
    description = serializers.CharField()
    owner = ScopedRelatedField(queryset=User.objects.all())
    due_on = serializers.DateField()


class RectificationSubmitSerializer(serializers.Serializer):
    response = serializers.CharField()
    evidence = serializers.FileField(required=False)
    version = serializers.IntegerField(required=False)


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class RectificationViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """整改: created by officers from an inspection; `submit` by the owner or the
    director, `accept`/`reject` by the officers."""

    queryset = Rectification.objects.all()
    serializer_class = RectificationSerializer
    filterset_class = filtersets.RectificationFilterSet
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(request=RectificationCreateSerializer, responses={201: RectificationSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid(RectificationCreateSerializer, request, self)
        item = inspections.rectification_add(actor=request.user, **data)
        return Response(RectificationSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RectificationSubmitSerializer, responses=RectificationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        # The record (outsiders 404) and the submitter (readers 403) before the body.
        rectification = self.get_object()
        inspections.require_submitter(request.user, rectification)
        data = _valid(RectificationSubmitSerializer, request, self)
        item = inspections.rectification_submit(
            actor=request.user, rectification=rectification, **data
        )
        return Response(RectificationSerializer(item).data)

    @extend_schema(request=DecisionSerializer, responses=RectificationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = _valid(DecisionSerializer, request, self)
        item = inspections.rectification_accept(
            actor=request.user, rectification=self.get_object(), **data
        )
        return Response(RectificationSerializer(item).data)

    @extend_schema(request=DecisionSerializer, responses=RectificationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = _valid(DecisionSerializer, request, self)
        item = inspections.rectification_reject(
            actor=request.user, rectification=self.get_object(), **data
        )
        return Response(RectificationSerializer(item).data)


class RectificationAlertSerializer(serializers.ModelSerializer):
    due_on = serializers.DateField(source="rectification.due_on", read_only=True)
    description = serializers.CharField(source="rectification.description", read_only=True)

    class Meta:
        model = RectificationAlert
        fields = [
            "id",
            "rectification",
            "station",
            "assigned_to",
            "raised_on",
            "resolved_at",
            "due_on",
            "description",
        ]
        read_only_fields = fields


class RectificationAlertViewSet(ScopedReadOnlyViewSet):
    queryset = RectificationAlert.objects.select_related("rectification")
    serializer_class = RectificationAlertSerializer
    filterset_class = filtersets.RectificationAlertFilterSet
