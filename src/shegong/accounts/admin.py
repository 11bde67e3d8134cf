from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from shegong.accounts.models import User
from shegong.core.admin import ScopedAdmin
from shegong.core.sessions import end_sessions_of


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "station", "district", "agency", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name"]
    autocomplete_fields = ["station", "district", "agency"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Role and scope"),
            {
                "fields": [
                    "role",
                    "full_name",
                    "phone",
                    "city",
                    "district",
                    "agency",
                    "station",
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A disabled account stops authenticating at once (ModelBackend refuses
        # inactive users on every request); its sessions are deleted as well.
        if change and "is_active" in form.changed_data and not obj.is_active:
            end_sessions_of(obj)
