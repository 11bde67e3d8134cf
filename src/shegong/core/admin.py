"""The admin reads through the same scope as every other path."""

from django.contrib import admin

from shegong.core.scope import CHANGE, can, may_create, restrict


class ScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return restrict(super().get_queryset(request), request.user)

    def has_add_permission(self, request):
        return may_create(request.user, self.model) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not can(request.user, CHANGE, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Organisation records are deactivated, not deleted: history hangs off them.
        return False
