"""Two-factor log-in 双重认证 (TOTP, django-otp).

After the password, a user who must use a second factor (settings
SHEGONG_REQUIRE_OTP_ROLES; officials in production) or who chose to enrol one is
held by `OTPRequiredMiddleware` until they enter a code from their authenticator
app: on /accounts/two-factor/ to enrol (QR code, then a first code, then ten
one-time backup codes), on /accounts/two-factor/verify/ afterwards.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework import serializers
from rest_framework.authtoken import views as authtoken_views
from rest_framework.authtoken.serializers import AuthTokenSerializer

from shegong.core import audit
from shegong.core.forms import bootstrap
from shegong.core.roles import otp_required

BACKUP_CODES = 10
# Remembered in the session so that users without a device cost no query per page.
NO_DEVICE_KEY = "_shegong_otp_no_device"


def otp_required_for(user) -> bool:
    return otp_required(user, settings.SHEGONG_REQUIRE_OTP_ROLES)


def _has_device(request) -> bool:
    no_device = request.session.get(NO_DEVICE_KEY)
    if no_device is None:
        no_device = not user_has_device(request.user, confirmed=True)
        request.session[NO_DEVICE_KEY] = no_device
    return not no_device


def remember_device_state(sender, request, user, **kwargs) -> None:
    """On log-in (user_logged_in): note whether the user has a second factor, so
    that the pages after it need no query to know."""
    if hasattr(request, "session"):
        request.session[NO_DEVICE_KEY] = not user_has_device(user, confirmed=True)


class OTPRequiredMiddleware:
    """Between the password and everything else: users who must use a second
    factor, or have enrolled one, reach only the enrol/verify pages, log-out and
    the language switch until they enter a code. Install after django-otp's
    OTPMiddleware (which sets `user.is_verified()`)."""

    OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/i18n/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(self.OPEN_PREFIXES)
        ):
            must = otp_required_for(user)
            has_device = _has_device(request)
            if must or has_device:
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("Enter your two-factor code on the web log-in first.")},
                        status=403,
                    )
                target = "accounts:otp-verify" if has_device else "accounts:otp-enrol"
                return redirect(
                    f"{reverse(target)}?next={quote(request.get_full_path(), safe='/')}"
                )
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=gettext_lazy("The 6-digit code your authenticator app shows, or a backup code."),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _pending_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@login_required
def enrol(request):
    """Set up an authenticator app: scan the QR code (or type the key), enter
    the first code. Open to everyone; required for some roles."""
    if user_has_device(request.user, confirmed=True) and not request.user.is_verified():
        return redirect(
            f"{reverse('accounts:otp-verify')}?next={quote(_next_url(request), safe='/')}"
        )
    device = _pending_device(request.user)
    form = bootstrap(TokenForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_backup_codes(request.user)
            otp_login(request, device)
            request.session[NO_DEVICE_KEY] = False
            audit.record("update", obj=request.user, changes={"two_factor": "changed"})
            return render(
                request,
                "accounts/otp_backup_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error("token", _("That code is not right. Check the time on your phone."))
    uri = device.config_url
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            # segno's own SVG markup, from our URI: no user input reaches it unescaped.
            "qr": mark_safe(segno.make_qr(uri, error="m").svg_inline(scale=4)),  # noqa: S308
            "uri": uri,
            "secret": _base32(device),
            "required": otp_required_for(request.user),
            "next": _next_url(request),
        },
        status=400 if request.method == "POST" else 200,
    )


def _base32(device: TOTPDevice) -> str:
    from base64 import b32encode

    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _new_backup_codes(user) -> list[str]:
    static, _created = StaticDevice.objects.get_or_create(user=user, name="backup codes")
    static.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


@login_required
def verify(request):
    """The second step of log-in."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(request.user, confirmed=True):
        return redirect(
            f"{reverse('accounts:otp-enrol')}?next={quote(_next_url(request), safe='/')}"
        )
    form = bootstrap(TokenForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip().replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        audit.record("login_failed", user=request.user, detail={"step": "two_factor"})
        form.add_error("token", _("That code is not right."))
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if request.method == "POST" else 200,
    )


# --- API tokens ------------------------------------------------------------------------


class OTPAuthTokenSerializer(AuthTokenSerializer):
    """User name and password, plus the current two-factor code (`otp`) for an
    account that must use or has enrolled a second factor: a token must not be a
    way around it."""

    otp = serializers.CharField(
        label=gettext_lazy("Two-factor code"), required=False, allow_blank=True, max_length=16
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = attrs["user"]
        if otp_required_for(user) or user_has_device(user, confirmed=True):
            code = (attrs.get("otp") or "").strip().replace(" ", "")
            if not code or match_token(user, code) is None:
                audit.record("login_failed", user=user, detail={"step": "two_factor"})
                raise serializers.ValidationError(
                    {"otp": [_("A valid two-factor code is required for this account.")]}
                )
        return attrs


class ObtainAuthToken(authtoken_views.ObtainAuthToken):
    serializer_class = OTPAuthTokenSerializer
