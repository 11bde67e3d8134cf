"""Admin views of evaluation and inspection: look-up only, through the scope.
Every change goes through the services (state machines, locks, checks), so the
admin neither adds nor edits these records."""

from django.contrib import admin

from shegong.core.admin import ScopedAdmin
from shegong.evaluation.models import (
    EvaluationRound,
    IndicatorGroup,
    Inspection,
    Rectification,
    RectificationAlert,
    RoundAssignment,
    StationEvaluation,
)


class LookUpAdmin(ScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class GroupInline(admin.TabularInline):
    model = IndicatorGroup
    fields = ["name", "weight", "position"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(LookUpAdmin):
    list_display = ["name", "kind", "year", "district", "status"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["name"]
    inlines = [GroupInline]


@admin.register(StationEvaluation)
class StationEvaluationAdmin(LookUpAdmin):
    list_display = ["round", "station", "status", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["station__name", "station__code"]


@admin.register(RoundAssignment)
class RoundAssignmentAdmin(LookUpAdmin):
    list_display = ["evaluation", "evaluator"]
    search_fields = ["evaluator__username", "evaluation__station__name"]


@admin.register(Inspection)
class InspectionAdmin(LookUpAdmin):
    list_display = ["station", "visited_on", "inspector"]
    search_fields = ["station__name"]


@admin.register(Rectification)
class RectificationAdmin(LookUpAdmin):
    list_display = ["station", "description", "owner", "due_on", "status"]
    list_filter = ["status"]
    search_fields = ["station__name", "description"]


@admin.register(RectificationAlert)
class RectificationAlertAdmin(LookUpAdmin):
    list_display = ["rectification", "station", "raised_on", "resolved_at"]
