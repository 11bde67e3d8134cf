from django.contrib import admin

from shegong.core.admin import ScopedAdmin
from shegong.workforce.models import StaffProfile, SupervisionRecord, TrainingRecord


@admin.register(StaffProfile)
class StaffProfileAdmin(ScopedAdmin):
    list_display = ["user", "station", "post", "qualification", "employed_since", "left_on"]
    list_filter = ["post", "qualification"]
    search_fields = ["user__username", "user__full_name", "certificate_number"]
    list_select_related = ["user", "station"]
    raw_id_fields = ["user", "station"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ScopedAdmin):
    list_display = ["profile", "course", "provider", "held_on", "hours"]
    search_fields = ["course", "provider", "profile__user__username"]
    list_select_related = ["profile__user"]
    raw_id_fields = ["profile"]


@admin.register(SupervisionRecord)
class SupervisionRecordAdmin(ScopedAdmin):
    list_display = ["profile", "supervisor", "held_on", "hours", "kind"]
    list_filter = ["kind"]
    search_fields = ["supervisor", "profile__user__username"]
    list_select_related = ["profile__user"]
    raw_id_fields = ["profile"]
