"""REST API of appointments: list and read (station staff), book (POST), and one
POST per move of the status (attend, no-show, cancel), each through
agenda.services. The feed is not here: it is the .ics address."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.accounts.models import User
from shegong.agenda import services
from shegong.agenda.filtersets import AppointmentFilterSet
from shegong.agenda.models import Appointment, AppointmentKind
from shegong.clients.models import Resident
from shegong.core.api import ScopedModelViewSet, ScopedRelatedField


class AppointmentSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Appointment
        fields = [
            "id",
            "station",
            "worker",
            "client",
            "client_name",
            "kind",
            "kind_label",
            "starts_at",
            "ends_at",
            "place",
            "purpose",
            "status",
            "status_label",
            "status_changed_at",
            "created_at",
        ]
        read_only_fields = fields


class AppointmentInputSerializer(serializers.Serializer):
    client = ScopedRelatedField(queryset=Resident.objects.all())
    worker = ScopedRelatedField(queryset=User.objects.all(), required=False)
    kind = serializers.ChoiceField(choices=AppointmentKind.choices, default=AppointmentKind.MEETING)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=100, allow_blank=True, default="")
    purpose = serializers.CharField(max_length=100)
    confirm_overlap = serializers.BooleanField(default=False)


class AppointmentViewSet(ScopedModelViewSet):
    """预约. An overlap with the worker's other booked appointments is refused
    (400) unless `confirm_overlap` is true."""

    queryset = Appointment.objects.select_related("client")
    serializer_class = AppointmentSerializer
    filterset_class = AppointmentFilterSet
    ordering_fields = ["starts_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=AppointmentInputSerializer, responses={201: AppointmentSerializer})
    def create(self, request, *args, **kwargs):
        serializer = AppointmentInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        appointment = services.appointment_book(actor=request.user, **serializer.validated_data)
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)

    def _move(self, transition: str) -> Response:
        appointment = services.TRANSITIONS[transition](
            actor=self.request.user, appointment=self.get_object()
        )
        if not isinstance(appointment, Appointment):
            # A no-show answers the alerts it raised; the appointment is re-read.
            appointment = self.get_queryset().get(pk=self.kwargs["pk"])
        return Response(AppointmentSerializer(appointment).data)

    @extend_schema(request=None, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def attend(self, request, pk=None):
        """已到: the client came (counts nothing by itself)."""
        return self._move("attend")

    @extend_schema(request=None, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, pk=None):
        """未到: no contact; the client's open cases are checked for the no-contact alert."""
        return self._move("no-show")

    @extend_schema(request=None, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """已取消."""
        return self._move("cancel")
