"""The admin reads through the same scope as every other path."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

from shegong.core.models import AuditEntry
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


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin):
    """Read-only: the audit log is written by the platform and never edited."""

    list_display = ["at", "username", "role", "action", "object_type", "object_repr", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_repr", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The task queue's own rows (django-tasks-db) are its internals: a job is read on
# its page (core.job_views), by its owner only, not in the admin.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
