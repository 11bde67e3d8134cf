"""Surveys in the admin, read through the same scope as every other path.
Responses are read-only there: nobody changes or deletes a resident's answers."""

from django.contrib import admin

from shegong.core.admin import ScopedAdmin
from shegong.surveys.models import Question, Response, Survey


@admin.register(Survey)
class SurveyAdmin(ScopedAdmin):
    list_display = ["title", "kind", "station", "version", "status", "is_template"]
    list_filter = ["kind", "status", "is_template"]
    search_fields = ["title", "station__name"]
    readonly_fields = ["status", "version", "previous", "published_at", "closed_at"]

    # Surveys are written through the builder (surveys.services), which keeps
    # published versions frozen and checks who may edit.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Question)
class QuestionAdmin(ScopedAdmin):
    list_display = ["text", "survey", "kind", "position", "required"]
    list_filter = ["kind"]

    # Questions are edited in the builder, which keeps published versions frozen.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Response)
class ResponseAdmin(ScopedAdmin):
    list_display = ["survey", "answered_on", "source", "submitted_at"]
    list_filter = ["source"]
    readonly_fields = [f.name for f in Response._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
