"""REST API of the supervisor sign-off 督导审批 and of case documents 文件附件.

Both are case content: listed and read only by those who read the case's
content (the case's assigned workers and the station director); every write
calls a service of `cases.signoffs` / `cases.documents`."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.cases import document_views, documents, filtersets, signoffs
from shegong.cases.models import (
    DELETE_DOCUMENT,
    SIGN_OFF,
    Case,
    CaseDocument,
    DocumentKind,
    Signoff,
    SignoffSetting,
)
from shegong.core.api import ScopedReadOnlyViewSet, ScopedRelatedField
from shegong.core.documents import API_FIELDS
from shegong.core.http import client_ip


class SignoffSerializer(serializers.ModelSerializer):
    step_label = serializers.CharField(source="get_step_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = Signoff
        fields = [
            "id",
            "case",
            "case_number",
            "step",
            "step_label",
            "status",
            "status_label",
            "assessment",
            "plan",
            "closed_on",
            "outcome",
            "summary",
            "author",
            "created_at",
            "decided_by",
            "decided_at",
            "comment",
            "version",
        ]
        read_only_fields = fields


class SignoffDecisionSerializer(serializers.Serializer):
    # Blank reaches the service, which refuses a return without a comment.
    comment = serializers.CharField(allow_blank=True, default="")
    version = serializers.IntegerField(min_value=1, required=False)


class SignoffViewSet(ScopedReadOnlyViewSet):
    """督导审批: steps of cases waiting for, or given, the director's sign-off.
    `?status=pending` lists those still waiting."""

    filterset_class = filtersets.SignoffFilterSet
    queryset = Signoff.objects.select_related("case")
    serializer_class = SignoffSerializer
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        rows = super().get_queryset()
        wanted = self.request.query_params.get("status")
        if self.action == "list" and wanted:
            rows = rows.filter(status=wanted)
        return rows

    def _decide(self, request, service):
        signoff = self.get_object()
        params = SignoffDecisionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        service(actor=request.user, signoff=signoff, **params.validated_data)
        return Response(SignoffSerializer(Signoff.objects.get(pk=signoff.pk)).data)

    @extend_schema(request=SignoffDecisionSerializer, responses=SignoffSerializer)
    @action(detail=True, methods=["post"], scope_action=SIGN_OFF)
    def approve(self, request, pk=None):
        """Sign the step off (a closure then closes the case)."""
        return self._decide(request, signoffs.signoff_approve)

    @extend_schema(request=SignoffDecisionSerializer, responses=SignoffSerializer)
    @action(detail=True, methods=["post"], scope_action=SIGN_OFF, url_path="return")
    def return_(self, request, pk=None):
        """Return the step to the worker with a `comment` (required)."""
        return self._decide(request, signoffs.signoff_return)


class SignoffSettingSerializer(serializers.ModelSerializer):
    class Meta:
        model = SignoffSetting
        fields = ["id", "station", "high_risk_assessment", "service_plan", "closure"]
        read_only_fields = ["id", "station"]


class SignoffSettingViewSet(ScopedReadOnlyViewSet):
    """The stations' choices of the steps their director signs off; the director
    sets their station's with `POST /signoff-settings/mine/`."""

    filterset_class = filtersets.SignoffSettingFilterSet
    queryset = SignoffSetting.objects.all()
    serializer_class = SignoffSettingSerializer
    scope_model = SignoffSetting

    @extend_schema(request=SignoffSettingSerializer, responses=SignoffSettingSerializer)
    @action(detail=False, methods=["post"])
    def mine(self, request):
        params = SignoffSettingSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        # A step left out keeps its current choice (an empty body changes nothing).
        current = signoffs.setting_of(request.user.station_id)
        steps = {
            step: params.validated_data.get(step, getattr(current, step))
            for step in ("high_risk_assessment", "service_plan", "closure")
        }
        setting = signoffs.signoff_setting_set(
            actor=request.user, station=request.user.station, **steps
        )
        return Response(SignoffSettingSerializer(setting).data)


class CaseDocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = CaseDocument
        fields = ["id", "case", *API_FIELDS]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    case = ScopedRelatedField(queryset=Case.objects.all())
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(max_length=200, allow_blank=True, default="")
    file = serializers.FileField()


class CaseDocumentViewSet(mixins.DestroyModelMixin, ScopedReadOnlyViewSet):
    """文件附件 of cases: `?case=<id>` lists one case's; POST (multipart) attaches
    one, `download` sends the file (access-logged), DELETE removes it (the
    uploader or the station director)."""

    filterset_class = filtersets.CaseDocumentFilterSet
    queryset = CaseDocument.objects.select_related("case")
    serializer_class = CaseDocumentSerializer
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        rows = super().get_queryset()
        case = self.request.query_params.get("case")
        if self.action == "list" and case and case.isdigit():
            rows = rows.filter(case_id=int(case))
        return rows

    def get_permissions(self):
        if self.action == "destroy":
            self.scope_action = DELETE_DOCUMENT
        return super().get_permissions()

    @extend_schema(request=DocumentUploadSerializer, responses={201: CaseDocumentSerializer})
    def create(self, request, *args, **kwargs):
        params = DocumentUploadSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        document = documents.document_add(actor=request.user, **params.validated_data)
        return Response(CaseDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        documents.document_delete(actor=self.request.user, document=instance)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = self.get_object()
        handle = documents.document_open(
            user=request.user, document=document, ip=client_ip(request)
        )
        return document_views.attachment(handle, document.original_name, document.content_type)
