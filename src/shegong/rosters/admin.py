from django.contrib import admin
from django.db import transaction

from shegong.core.admin import ScopedAdmin
from shegong.rosters import coverage
from shegong.rosters.models import RosterCategory, RosterEntry


@admin.register(RosterCategory)
class RosterCategoryAdmin(ScopedAdmin):
    """The city's lists and their visit rules: its administrators add a list or
    change a rule here; the coverage of the list is recounted in the same
    transaction."""

    list_display = ["name", "code", "visit_every", "visit_unit", "order", "is_active"]
    ordering = ["order", "code"]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        coverage.refresh(
            RosterEntry.objects.filter(category=obj, station__isnull=False)
            .values_list("station_id", "category_id")
            .distinct()
        )
