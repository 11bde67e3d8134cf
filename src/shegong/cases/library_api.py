"""REST API of the excellent-case library 优秀案例 at /api/case-library/.

Reads: published entries for every account, unpublished ones for the
nominating station's director and city officers. An answer never holds the
source case, the client or any member of staff: `case` is write-only.
Writes call `cases.library`: POST (director: a closed case of the station, the
anonymised write-up, `submit` false keeps a draft), PATCH (director: a draft or
returned entry), POST …/submit/, …/publish/ and …/return/ (city officer)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.cases import library
from shegong.cases.filtersets import LibraryCaseFilterSet
from shegong.cases.models import LIBRARY_REVIEW, Case, LibraryCase
from shegong.core.api import ScopedModelViewSet, ScopedRelatedField


class LibraryCaseSerializer(serializers.ModelSerializer):
    case = ScopedRelatedField(queryset=Case.objects.all(), write_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True)
    submit = serializers.BooleanField(write_only=True, required=False, default=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = LibraryCase
        fields = [
            "id",
            "case",
            "station_name",
            "title",
            "domain",
            "year",
            "background",
            "assessment",
            "intervention",
            "outcome",
            "reflection",
            "status",
            "review_comment",
            "published_on",
            "version",
            "submit",
        ]
        read_only_fields = ["id", "year", "status", "review_comment", "published_on"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.status == "published":
            # The review is between the city and the station (blanked, not
            # dropped: the field stays in the documented shape).
            data["review_comment"] = ""
        return data


class _Transition(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    comment = serializers.CharField(required=False, allow_blank=True)


class LibraryCaseViewSet(ScopedModelViewSet):
    """优秀案例: the excellent-case library."""

    queryset = LibraryCase.objects.select_related("station")
    serializer_class = LibraryCaseSerializer
    filterset_class = LibraryCaseFilterSet
    ordering_fields = ["published_on", "year", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _data(self, partial: bool = False) -> dict:
        serializer = LibraryCaseSerializer(
            data=self.request.data, context=self.get_serializer_context(), partial=partial
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, entry, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=entry.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        data = self._data()
        data.pop("version", None)
        entry = library.library_case_create(actor=request.user, **data)
        return self._answer(entry, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        entry = self.get_object()
        data = self._data(partial=True)
        for key in ("case", "submit"):
            data.pop(key, None)
        version = data.pop("version", None)
        library.library_case_update(actor=request.user, entry=entry, version=version, **data)
        return self._answer(entry)

    def _transition(self, request, service, **extra):
        entry = self.get_object()
        params = _Transition(data=request.data)
        params.is_valid(raise_exception=True)
        kwargs = {"version": params.validated_data.get("version")}
        if extra.get("comment"):
            kwargs["comment"] = params.validated_data.get("comment", "")
        service(actor=request.user, entry=entry, **kwargs)
        return self._answer(entry)

    @extend_schema(
        request=inline_serializer(
            "LibraryVersion", {"version": serializers.IntegerField(required=False)}
        )
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Nominate a draft or a returned entry (director)."""
        return self._transition(request, library.library_case_submit)

    @extend_schema(
        request=inline_serializer(
            "LibraryPublish", {"version": serializers.IntegerField(required=False)}
        )
    )
    @action(detail=True, methods=["post"], scope_action=LIBRARY_REVIEW)
    def publish(self, request, pk=None):
        """Publish a nomination into the library (city officer)."""
        return self._transition(request, library.library_case_publish)

    @extend_schema(request=_Transition)
    @action(detail=True, methods=["post"], scope_action=LIBRARY_REVIEW, url_path="return")
    def return_(self, request, pk=None):
        """Return a nomination to the station with a `comment` (city officer)."""
        return self._transition(request, library.library_case_return, comment=True)
