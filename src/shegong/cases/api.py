"""REST API for cases, observations, alerts, alert rules and the access log.

Reads go through `visible_to`; every write calls a service of `cases.services`.
A case's content (client, assessments, notes, risk…) is sent only to those who
may work on its file (the case scope's WORK: the assigned workers and the
station director); everyone else in scope gets the fields that say a case exists.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.accounts.models import User
from shegong.cases import filtersets, selectors, services
from shegong.cases.alerts import rule_settings
from shegong.cases.models import (
    Alert,
    AlertKind,
    AlertRule,
    Assessment,
    Case,
    CaseEvent,
    CaseNote,
    CaseOutcome,
    CaseReview,
    CaseSource,
    ContactMethod,
    Observation,
    ObservationSource,
    Referral,
    RiskLevel,
    ServicePlan,
    ServiceType,
)
from shegong.clients.api import ConflictMixin
from shegong.clients.models import Resident
from shegong.core.api import ScopedModelViewSet, ScopedReadOnlyViewSet, ScopedRelatedField
from shegong.core.http import client_ip
from shegong.core.models import Domain
from shegong.core.scope import VIEW, may
from shegong.org.models import Station

# --- Cases: output ---------------------------------------------------------------


class CaseSerializer(serializers.ModelSerializer):
    """What anyone in scope may know of a case: that it exists, where, in which
    domain and state, and who works on it. Those who may read its content also
    get the client's name."""

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "station",
            "domain",
            "status",
            "opened_on",
            "closed_on",
            "outcome",
            "workers",
            "client",
        ]
        read_only_fields = fields

    def to_representation(self, case):
        data = super().to_representation(case)
        request = self.context.get("request")
        if request is not None and selectors.may_work(request.user, case):
            data["client_name"] = case.client.name
        return data


class CaseContentSerializer(serializers.ModelSerializer):
    """The case with its content fields, for the assigned workers and the director."""

    client_name = serializers.CharField(source="client.name", read_only=True)
    # Minors' files carry a visible marker (PIPL: their data is sensitive).
    client_is_minor = serializers.BooleanField(source="client.is_minor", read_only=True)

    class Meta:
        model = Case
        fields = [
            *CaseSerializer.Meta.fields,
            "client_name",
            "client_is_minor",
            "source",
            "risk_level",
            "last_contact_on",
            "review_due_on",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _ContentSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.full_name", read_only=True)


class AssessmentSerializer(_ContentSerializer):
    class Meta:
        model = Assessment
        fields = ["id", "assessed_on", "needs", "strengths", "risk_level", "author", "author_name"]
        read_only_fields = fields


class ServicePlanSerializer(_ContentSerializer):
    class Meta:
        model = ServicePlan
        fields = ["id", "planned_on", "goals", "review_due_on", "author", "author_name"]
        read_only_fields = fields


class CaseNoteSerializer(_ContentSerializer):
    class Meta:
        model = CaseNote
        fields = ["id", "happened_on", "service_type", "method", "text", "author", "author_name"]
        read_only_fields = fields


class CaseReviewSerializer(_ContentSerializer):
    class Meta:
        model = CaseReview
        fields = ["id", "reviewed_on", "progress", "next_review_on", "author", "author_name"]
        read_only_fields = fields


class ReferralSerializer(_ContentSerializer):
    class Meta:
        model = Referral
        fields = [
            "id",
            "referred_on",
            "to_station",
            "to_organisation",
            "reason",
            "author",
            "author_name",
        ]
        read_only_fields = fields


class CaseEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.full_name", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["id", "at", "actor", "actor_name", "action", "detail"]
        read_only_fields = fields


FILE_PARTS = {
    "assessments": AssessmentSerializer,
    "plans": ServicePlanSerializer,
    "notes": CaseNoteSerializer,
    "reviews": CaseReviewSerializer,
    "referrals": ReferralSerializer,
    "events": CaseEventSerializer,
}


class CaseFileSerializer(CaseContentSerializer):
    """The case file (`selectors.CaseFile`): the case and everything written in it."""

    assessments = AssessmentSerializer(many=True, read_only=True)
    plans = ServicePlanSerializer(many=True, read_only=True)
    notes = CaseNoteSerializer(many=True, read_only=True)
    reviews = CaseReviewSerializer(many=True, read_only=True)
    referrals = ReferralSerializer(many=True, read_only=True)
    events = CaseEventSerializer(many=True, read_only=True)

    class Meta(CaseContentSerializer.Meta):
        fields = [*CaseContentSerializer.Meta.fields, *FILE_PARTS]
        read_only_fields = fields

    def to_representation(self, case_file: selectors.CaseFile):
        # The parts come from the selector, which read them through the scope;
        # the case's own related managers would not.
        data = CaseContentSerializer(case_file.case, context=self.context).data
        for name, serializer_class in FILE_PARTS.items():
            data[name] = serializer_class(getattr(case_file, name), many=True).data
        return data


# --- Cases: input ----------------------------------------------------------------


class CaseOpenSerializer(serializers.Serializer):
    client = ScopedRelatedField(queryset=Resident.objects.all())
    domain = serializers.ChoiceField(choices=Domain.choices)
    source = serializers.ChoiceField(choices=CaseSource.choices)
    opened_on = serializers.DateField(default=timezone.localdate)
    workers = ScopedRelatedField(queryset=User.objects.all(), many=True, required=False)


class StepSerializer(serializers.Serializer):
    """A case step; `version` is the case version the caller read, if it wants
    the step refused when someone changed the case since."""

    version = serializers.IntegerField(min_value=1, required=False)


class AssessInputSerializer(StepSerializer):
    assessed_on = serializers.DateField(default=timezone.localdate)
    needs = serializers.CharField()
    strengths = serializers.CharField(allow_blank=True, default="")
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices)


class PlanInputSerializer(StepSerializer):
    planned_on = serializers.DateField(default=timezone.localdate)
    goals = serializers.CharField()
    review_due_on = serializers.DateField()


class NoteInputSerializer(StepSerializer):
    happened_on = serializers.DateField(default=timezone.localdate)
    service_type = serializers.ChoiceField(choices=ServiceType.choices)
    method = serializers.ChoiceField(choices=ContactMethod.choices)
    text = serializers.CharField()


class ReviewInputSerializer(StepSerializer):
    reviewed_on = serializers.DateField(default=timezone.localdate)
    progress = serializers.CharField()
    next_review_on = serializers.DateField(required=False, allow_null=True)


class ReferInputSerializer(StepSerializer):
    referred_on = serializers.DateField(default=timezone.localdate)
    # A referral leaves the caller's scope by nature: any active station.
    to_station = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.filter(is_active=True), allow_null=True, required=False
    )
    to_organisation = serializers.CharField(max_length=100, allow_blank=True, default="")
    reason = serializers.CharField()


class CloseInputSerializer(StepSerializer):
    closed_on = serializers.DateField(default=timezone.localdate)
    outcome = serializers.ChoiceField(choices=CaseOutcome.choices)
    summary = serializers.CharField(allow_blank=True, default="")


class ReopenInputSerializer(StepSerializer):
    reason = serializers.CharField()


class AssignInputSerializer(StepSerializer):
    workers = ScopedRelatedField(queryset=User.objects.all(), many=True)


def _valid(serializer_class, request, view) -> dict:
    serializer = serializer_class(data=request.data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- Cases: viewset --------------------------------------------------------------


class CaseViewSet(ConflictMixin, ScopedModelViewSet):
    """个案. One POST endpoint per step of the case; each answers the updated case."""

    queryset = Case.objects.select_related("client").prefetch_related("workers")
    serializer_class = CaseSerializer
    filterset_class = filtersets.CaseFilterSet
    # Never by content (risk, client): the order would tell what the files hold.
    ordering_fields = ["number", "opened_on", "closed_on", "status", "domain", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        # Whether the caller may work on each file, in the same query.
        return selectors.with_work(super().get_queryset(), getattr(self.request, "user", None))

    @extend_schema(
        responses=PolymorphicProxySerializer(
            component_name="CaseFileOrCase",
            serializers=[CaseFileSerializer, CaseSerializer],
            resource_type_field_name=None,
        )
    )
    def retrieve(self, request, *args, **kwargs):
        """The case file for the assigned workers and the director (a read of a
        priority client's file is logged); the bare case for anyone else."""
        case = self.get_object()
        case_file = selectors.case_file_open(request.user, case, ip=client_ip(request))
        context = self.get_serializer_context()
        if case_file is None:
            return Response(CaseSerializer(case, context=context).data)
        return Response(CaseFileSerializer(case_file, context=context).data)

    def _answer(self, case: Case, code: int = status.HTTP_200_OK) -> Response:
        case = self.get_queryset().get(pk=case.pk)
        context = self.get_serializer_context()
        return Response(CaseContentSerializer(case, context=context).data, status=code)

    @extend_schema(request=CaseOpenSerializer, responses={201: CaseContentSerializer})
    def create(self, request, *args, **kwargs):
        """接案: open a case for a resident of the caller's station."""
        data = _valid(CaseOpenSerializer, request, self)
        case = services.case_open(actor=request.user, **data)
        return self._answer(case, status.HTTP_201_CREATED)

    def _step(self, request, serializer_class, service) -> Response:
        case = self.get_object()
        # Those who may read the case but not work on it get 403 whatever they
        # send, as on the web page (the service checks again, and the details).
        if not selectors.may_work(request.user, case):
            raise PermissionDenied(str(services.WORK_REFUSED))
        data = _valid(serializer_class, request, self)
        service(actor=request.user, case=case, **data)
        return self._answer(case)

    @extend_schema(request=AssessInputSerializer, responses=CaseContentSerializer)
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        """预估: needs and risk level."""
        return self._step(request, AssessInputSerializer, services.case_assess)

    @extend_schema(request=PlanInputSerializer, responses=CaseContentSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        """服务计划: goals and the review date; needs an assessment."""
        return self._step(request, PlanInputSerializer, services.case_plan)

    @extend_schema(request=NoteInputSerializer, responses=CaseContentSerializer)
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        """介入: a dated intervention note; needs a plan."""
        return self._step(request, NoteInputSerializer, services.case_note_add)

    @extend_schema(request=ReviewInputSerializer, responses=CaseContentSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """评估: progress after intervention."""
        return self._step(request, ReviewInputSerializer, services.case_review)

    @extend_schema(request=ReferInputSerializer, responses=CaseContentSerializer)
    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None):
        """转介 to a station or an outside organisation, with consent to share."""
        return self._step(request, ReferInputSerializer, services.case_refer)

    @extend_schema(request=CloseInputSerializer, responses=CaseContentSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """结案 with an outcome."""
        return self._step(request, CloseInputSerializer, services.case_close)

    @extend_schema(request=ReopenInputSerializer, responses=CaseContentSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._step(request, ReopenInputSerializer, services.case_reopen)

    @extend_schema(request=AssignInputSerializer, responses=CaseContentSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """The director assigns or transfers the case."""
        return self._step(request, AssignInputSerializer, services.case_assign)


# --- Observations ----------------------------------------------------------------


class ObservationSerializer(serializers.ModelSerializer):
    resident_name = serializers.CharField(source="resident.name", read_only=True)
    author_name = serializers.CharField(source="author.full_name", read_only=True)

    class Meta:
        model = Observation
        fields = [
            "id",
            "station",
            "resident",
            "resident_name",
            "observed_on",
            "source",
            "text",
            "crisis",
            "author",
            "author_name",
            "created_at",
        ]
        read_only_fields = fields


class ObservationInputSerializer(serializers.Serializer):
    resident = ScopedRelatedField(queryset=Resident.objects.all())
    observed_on = serializers.DateField(default=timezone.localdate)
    source = serializers.ChoiceField(choices=ObservationSource.choices)
    text = serializers.CharField()
    crisis = serializers.BooleanField(default=False)


class ObservationViewSet(ScopedModelViewSet):
    """观察记录. A crisis flag raises an alert at once."""

    queryset = Observation.objects.select_related("resident", "author")
    serializer_class = ObservationSerializer
    filterset_class = filtersets.ObservationFilterSet
    ordering_fields = ["observed_on", "created_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=ObservationInputSerializer, responses={201: ObservationSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid(ObservationInputSerializer, request, self)
        observation = services.observation_record(actor=request.user, **data)
        return Response(ObservationSerializer(observation).data, status=status.HTTP_201_CREATED)


# --- Alerts ----------------------------------------------------------------------


class AlertSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    text = serializers.CharField(read_only=True)
    resident_name = serializers.CharField(source="resident.name", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)

    class Meta:
        model = Alert
        fields = [
            "id",
            "station",
            "kind",
            "kind_label",
            "text",
            "status",
            "status_label",
            "resident",
            "resident_name",
            "case",
            "case_number",
            "observation",
            "detail",
            "assigned_to",
            "acknowledged_by",
            "acknowledged_at",
            "resolved_by",
            "resolved_at",
            "resolution_note",
            "created_at",
        ]
        read_only_fields = fields


class ResolveInputSerializer(serializers.Serializer):
    # Blank reaches the service, which refuses it with its own message.
    note = serializers.CharField(allow_blank=True, default="")


class AlertViewSet(ScopedReadOnlyViewSet):
    """预警. The list holds the alerts still to handle unless `status` says otherwise."""

    queryset = Alert.objects.select_related("resident", "case")
    serializer_class = AlertSerializer
    filterset_class = filtersets.AlertFilterSet
    ordering_fields = ["created_at", "status", "kind", "id"]

    def filter_queryset(self, queryset):
        # The list's filters (and its default of unresolved alerts) are not a
        # condition on reaching one alert by its id.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    @extend_schema(request=None, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """已知悉: someone is on it."""
        alert = services.alert_acknowledge(actor=request.user, alert=self.get_object())
        return Response(AlertSerializer(alert).data)

    @extend_schema(request=ResolveInputSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """已处理, with a note of what was done."""
        alert = self.get_object()
        data = _valid(ResolveInputSerializer, request, self)
        alert = services.alert_resolve(actor=request.user, alert=alert, **data)
        return Response(AlertSerializer(alert).data)


# --- Alert rules -----------------------------------------------------------------


class AlertRuleSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = AlertRule
        fields = ["id", "station", "kind", "kind_label", "threshold_days", "enabled"]
        read_only_fields = fields


class AlertRuleSettingSerializer(serializers.Serializer):
    threshold_days = serializers.IntegerField(min_value=0, max_value=365)
    enabled = serializers.BooleanField(default=True)


class AlertRuleInputSerializer(AlertRuleSettingSerializer):
    kind = serializers.ChoiceField(choices=AlertKind.choices)


class AlertRuleViewSet(ScopedModelViewSet):
    """The station's own settings of the alert rules; a rule without a row runs
    with its default (see `effective`). Only the director changes them."""

    queryset = AlertRule.objects.order_by("station", "kind")
    serializer_class = AlertRuleSerializer
    filterset_class = filtersets.AlertRuleFilterSet
    ordering_fields = ["kind", "id"]
    http_method_names = ["get", "post", "put", "head", "options"]

    def _set(self, station: Station, kind: str, code: int, **data) -> Response:
        rule = services.alert_rule_set(actor=self.request.user, station=station, kind=kind, **data)
        return Response(AlertRuleSerializer(rule).data, status=code)

    @extend_schema(
        request=AlertRuleInputSerializer,
        responses={201: AlertRuleSerializer, 200: AlertRuleSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Set one rule of the caller's station (201 if it had none, else 200)."""
        data = _valid(AlertRuleInputSerializer, request, self)
        station = request.user.station
        if station is None:
            raise PermissionDenied(_("Only the station director configures alert rules."))
        existed = AlertRule.objects.filter(station=station, kind=data["kind"]).exists()
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return self._set(station, code=code, **data)

    @extend_schema(request=AlertRuleSettingSerializer, responses=AlertRuleSerializer)
    def update(self, request, *args, **kwargs):
        rule = self.get_object()
        data = _valid(AlertRuleSettingSerializer, request, self)
        return self._set(rule.station, rule.kind, status.HTTP_200_OK, **data)

    @extend_schema(
        responses=inline_serializer(
            "EffectiveAlertRule",
            {
                "kind": serializers.CharField(),
                "kind_label": serializers.CharField(),
                "threshold_days": serializers.IntegerField(),
                "enabled": serializers.BooleanField(),
            },
            many=True,
        )
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def effective(self, request):
        """Every rule as it runs at the caller's station, defaults included."""
        user = request.user
        # The station's staff only: those who read its rules.
        if user.station_id is None or not may(user, VIEW, AlertRule):
            return Response([])
        return Response(
            [
                {
                    "kind": kind,
                    "kind_label": AlertKind(kind).label,
                    "threshold_days": setting.threshold_days,
                    "enabled": setting.enabled,
                }
                for kind, setting in rule_settings(user.station_id).items()
            ]
        )
