from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from shegong.accounts.models import User
from shegong.core.admin import ScopedAdmin
from shegong.core.sessions import end_sessions_of


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "station", "district", "agency", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name"]
    autocomplete_fields = ["station", "district", "street", "agency"]
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
                    "street",
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


class SuperuserOnlyDeviceAdmin:
    """Two-factor devices hold their owners' secrets (the TOTP key, its QR code,
    backup codes): only superusers see or manage them in the admin, whatever
    model permissions a staff account holds. Users enrol their own device at
    /accounts/two-factor/."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


def _superuser_only(model) -> None:
    base = type(admin.site._registry[model])
    admin.site.unregister(model)
    admin.site.register(model, type(base.__name__, (SuperuserOnlyDeviceAdmin, base), {}))


_superuser_only(TOTPDevice)
_superuser_only(StaticDevice)
