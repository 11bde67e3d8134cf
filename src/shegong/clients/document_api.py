"""REST API of a resident's own documents 文件附件 (clients.ResidentDocument):
listed and read by the staff of the resident's station, `?resident=<id>` for one
person's; POST (multipart) files one, `download` sends the file (access-logged),
DELETE removes it (the uploader or the station director). Every write calls a
service of `clients.documents`."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.clients import documents, filtersets
from shegong.clients.models import DELETE_RESIDENT_DOCUMENT, Resident, ResidentDocument
from shegong.core.api import ScopedReadOnlyViewSet, ScopedRelatedField
from shegong.core.documents import API_FIELDS, DocumentKind, attachment
from shegong.core.http import client_ip


class ResidentDocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ResidentDocument
        fields = ["id", "resident", *API_FIELDS]
        read_only_fields = fields


class ResidentDocumentUploadSerializer(serializers.Serializer):
    resident = ScopedRelatedField(queryset=Resident.objects.all())
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(max_length=200, allow_blank=True, default="")
    file = serializers.FileField()


class ResidentDocumentViewSet(mixins.DestroyModelMixin, ScopedReadOnlyViewSet):
    """A resident's own documents (no case): `?resident=<id>` lists one
    person's; POST (multipart) files one, `download` sends the file
    (access-logged), DELETE removes it (the uploader or the station director)."""

    filterset_class = filtersets.ResidentDocumentFilterSet
    queryset = ResidentDocument.objects.select_related("resident")
    serializer_class = ResidentDocumentSerializer
    ordering_fields = ["created_at", "id"]

    def get_permissions(self):
        if self.action == "destroy":
            self.scope_action = DELETE_RESIDENT_DOCUMENT
        return super().get_permissions()

    @extend_schema(
        request=ResidentDocumentUploadSerializer, responses={201: ResidentDocumentSerializer}
    )
    def create(self, request, *args, **kwargs):
        params = ResidentDocumentUploadSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        params.is_valid(raise_exception=True)
        document = documents.resident_document_upload(actor=request.user, **params.validated_data)
        return Response(ResidentDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        documents.resident_document_delete(actor=self.request.user, document=instance)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = self.get_object()
        handle = documents.resident_document_open(
            user=request.user, document=document, ip=client_ip(request)
        )
        return attachment(handle, document.original_name, document.content_type)
