"""API for staff accounts: the caller's own profile and the staff list in scope."""

from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.accounts.models import User
from shegong.core.api import ScopedReadOnlyViewSet
from shegong.core.filtersets import SearchFilterSet


class UserSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "role",
            "role_label",
            "city",
            "district",
            "agency",
            "station",
            "is_active",
        ]


class UserFilterSet(SearchFilterSet):
    """Its station, district and agency choices are limited to the caller's scope
    (SearchFilterSet), so a hidden station's id is refused like a missing one
    instead of answering with an empty list."""

    search_fields = ("username", "full_name")

    class Meta:
        model = User
        fields = ["q", "role", "station", "district", "agency", "is_active"]


class UserViewSet(ScopedReadOnlyViewSet):
    queryset = User.objects.order_by("username")
    serializer_class = UserSerializer
    filterset_class = UserFilterSet

    @action(detail=False, methods=["get"])
    def me(self, request):
        """The caller's own account, whatever their role."""
        return Response(self.get_serializer(request.user).data)
