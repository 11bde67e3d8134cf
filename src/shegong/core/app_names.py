"""Chinese section titles in the admin for the third-party apps that carry none
of their own (their app names would show as "Axes", "Otp_Totp", "Otp_Static").
Used in INSTALLED_APPS in place of the apps' default configurations."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Log-in protection")


class OTPTOTPConfig(TOTPConfig):
    verbose_name = _("Authenticator apps (TOTP)")


class OTPStaticConfig(StaticConfig):
    verbose_name = _("Backup codes")
