from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shegong.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from shegong.accounts.models import User
        from shegong.accounts.two_factor import remember_device_state
        from shegong.core import audit

        user_logged_in.connect(remember_device_state, dispatch_uid="two_factor:device_state")
        audit.register(User, exclude=["last_login"], redact=["password"])
