"""The volunteers' and residents' public pages (/v/…): no log-in, on a phone.

- A volunteer's own page comes from their link (`volunteer_link`): a value signed
  with SECRET_KEY naming the volunteer, given by the station (as a QR code). It
  shows their hours and time bank, lets them sign up for the station's coming
  activities and report a late entry (补录), and remembers them on the phone in a
  signed cookie.
- An activity's check-in QR code opens `checkin`: with that cookie the volunteer
  checks in or out.
- An activity's sign-up QR code opens `resident_signup`: a resident leaves a name
  and mobile number and gets a place or a place on the waiting list, and a link
  of their own to cancel.
Every URL carries a value signed with SECRET_KEY under a salt of its own purpose
(`checkin_path`, `join_path`, `signup_path`, `volunteer_link`): the activity's
secret token signed for check-in differs from the same token signed for sign-up,
so the residents' posted sign-up link does not open the check-in page (which
would let a volunteer check in without being there). A forged or altered value
is not found (404).
Every submission is rate-limited per address (`community.public_limits`)."""

from __future__ import annotations

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shegong.community import activities, public_limits, timebank
from shegong.community.models import (
    CommunityActivity,
    ResidentSignup,
    ResidentSignupStatus,
    Volunteer,
)
from shegong.core.forms import add_errors, bootstrap
from shegong.core.http import client_ip
from shegong.delivery.models import EventVolunteer

LINK_SALT = "shegong.community.volunteer-link"
COOKIE = "sg_volunteer"
COOKIE_SALT = "shegong.community.volunteer-cookie"
COOKIE_AGE = 365 * 24 * 3600
HONEYPOT = "website"


CHECKIN_SALT = "shegong.community.activity-checkin"
JOIN_SALT = "shegong.community.activity-join"
SIGNUP_SALT = "shegong.community.resident-signup"


def _signed(value: str, salt: str) -> str:
    return signing.Signer(salt=salt).sign(value)


def _unsigned(value: str, salt: str) -> str:
    try:
        return signing.Signer(salt=salt).unsign(value)
    except signing.BadSignature:
        raise Http404(_("No such page.")) from None


def checkin_path(activity: CommunityActivity) -> str:
    """The path the activity's check-in QR code carries (volunteers)."""
    return reverse("volunteer-public:checkin", args=[_signed(activity.token, CHECKIN_SALT)])


def join_token(activity: CommunityActivity) -> str:
    return _signed(activity.token, JOIN_SALT)


def join_path(activity: CommunityActivity) -> str:
    """The path the activity's sign-up QR code carries (residents)."""
    return reverse("volunteer-public:resident-signup", args=[join_token(activity)])


def signup_path(signup: ResidentSignup) -> str:
    """The path of a resident's own sign-up (status, cancellation)."""
    return reverse("volunteer-public:signup", args=[_signed(signup.token, SIGNUP_SALT)])


def volunteer_link(volunteer: Volunteer) -> str:
    """The path of the volunteer's own page."""
    token = signing.Signer(salt=LINK_SALT).sign(str(volunteer.pk))
    return reverse("volunteer-public:home", args=[token])


def _volunteer(token: str) -> Volunteer:
    try:
        pk = int(signing.Signer(salt=LINK_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        raise Http404(_("No such volunteer.")) from None
    volunteer = Volunteer.objects.filter(pk=pk, is_active=True).select_related("station").first()
    if volunteer is None:
        raise Http404(_("No such volunteer."))
    return volunteer


def _remembered(request) -> Volunteer | None:
    value = request.COOKIES.get(COOKIE)
    if not value:
        return None
    try:
        pk = int(signing.Signer(salt=COOKIE_SALT).unsign(value))
    except (signing.BadSignature, ValueError):
        return None
    return Volunteer.objects.filter(pk=pk, is_active=True).first()


def _remember(request, response, volunteer: Volunteer):
    response.set_cookie(
        COOKIE,
        signing.Signer(salt=COOKIE_SALT).sign(str(volunteer.pk)),
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def _activity(signed: str, salt: str) -> CommunityActivity:
    return get_object_or_404(
        CommunityActivity.objects.select_related("station", "project"),
        token=_unsigned(signed, salt),
    )


def _limited(request, kind: str, target: object):
    """None, or the refusal page when the address is over its hourly allowance."""
    try:
        public_limits.take(kind, client_ip(request), target)
    except public_limits.Limited as limited:
        return render(
            request, "community/public/refused.html", {"message": limited.message}, status=429
        )
    return None


class LateEntryForm(forms.Form):
    activity = forms.ModelChoiceField(
        label=gettext_lazy("activity"), queryset=CommunityActivity.objects.none()
    )
    started_at = forms.DateTimeField(
        label=gettext_lazy("from"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ended_at = forms.DateTimeField(
        label=gettext_lazy("until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200, required=False)

    def __init__(self, *args, volunteer: Volunteer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = CommunityActivity.objects.filter(
            station_id=volunteer.station_id, event__isnull=True, starts_at__lte=timezone.now()
        ).order_by("-starts_at")


def _home_context(volunteer: Volunteer, late_form: LateEntryForm) -> dict:
    now = timezone.now()
    recorded = EventVolunteer.objects.filter(volunteer=volunteer)
    return {
        "volunteer": volunteer,
        "recorded_hours": recorded.aggregate(h=Sum("hours"))["h"] or 0,
        "service": recorded.select_related("event").order_by("-event__held_on")[:20],
        "checkins": volunteer.checkins.select_related("activity").order_by("-started_at")[:20],
        "balance": timebank.balance(volunteer),
        "threshold": timebank.redeem_threshold(),
        "ledger": volunteer.time_bank.order_by("-pk")[:20],
        "coming": CommunityActivity.objects.filter(
            station_id=volunteer.station_id, event__isnull=True, ends_at__gt=now
        ).order_by("starts_at")[:20],
        "signed_up": set(
            volunteer.signups.exclude(status="cancelled").values_list(
                "activity_on", "activity_title"
            )
        ),
        "late_form": late_form,
    }


@never_cache
@require_http_methods(["GET"])
def home(request, token: str):
    volunteer = _volunteer(token)
    form = bootstrap(LateEntryForm(volunteer=volunteer))
    context = _home_context(volunteer, form)
    context["token"] = token
    context["coming"] = [
        (a, join_token(a), (timezone.localdate(a.starts_at), a.title) in context["signed_up"])
        for a in context["coming"]
    ]
    response = render(request, "community/public/volunteer_home.html", context)
    return _remember(request, response, volunteer)


@never_cache
@require_POST
def sign_up(request, token: str, activity_token: str):
    volunteer = _volunteer(token)
    refused = _limited(request, "volunteer", volunteer.pk)
    if refused is not None:
        return refused
    activity = _activity(activity_token, JOIN_SALT)
    try:
        activities.volunteer_self_sign_up(activity=activity, volunteer=volunteer)
    except ValidationError as error:
        return render(
            request,
            "community/public/refused.html",
            {"message": " ".join(error.messages), "back": volunteer_link(volunteer)},
            status=400,
        )
    return redirect(volunteer_link(volunteer))


@never_cache
@require_POST
def late_entry(request, token: str):
    volunteer = _volunteer(token)
    refused = _limited(request, "volunteer", volunteer.pk)
    if refused is not None:
        return refused
    form = bootstrap(LateEntryForm(request.POST, volunteer=volunteer))
    if form.is_valid():
        data = form.cleaned_data
        try:
            activities.volunteer_late_entry(
                activity=data["activity"],
                volunteer=volunteer,
                started_at=data["started_at"],
                ended_at=data["ended_at"],
                reason=data["reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(volunteer_link(volunteer))
    context = _home_context(volunteer, form)
    context["token"] = token
    context["coming"] = [
        (a, join_token(a), (timezone.localdate(a.starts_at), a.title) in context["signed_up"])
        for a in context["coming"]
    ]
    return render(request, "community/public/volunteer_home.html", context, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def checkin(request, activity_token: str):
    """The page the activity's check-in QR code opens on the volunteer's phone."""
    activity = _activity(activity_token, CHECKIN_SALT)
    volunteer = _remembered(request)
    context = {"activity": activity, "volunteer": volunteer, "message": None}
    status = 200
    if request.method == "POST":
        refused = _limited(request, "checkin", activity.pk)
        if refused is not None:
            return refused
        if volunteer is None:
            status = 400
        else:
            action = request.POST.get("action")
            try:
                if action == "in":
                    activities.volunteer_check_in(activity=activity, volunteer=volunteer)
                    context["message"] = _("Checked in. Remember to check out when you leave.")
                elif action == "out":
                    done = activities.volunteer_check_out(activity=activity, volunteer=volunteer)
                    context["message"] = _("Checked out: %(hours)s hours.") % {"hours": done.hours}
                else:
                    raise ValidationError(_("Choose check-in or check-out."))
            except ValidationError as error:
                context["error"] = " ".join(error.messages)
                status = 400
    if volunteer is not None:
        context["current"] = (
            activity.checkins.filter(volunteer=volunteer).exclude(status="rejected").first()
        )
        context["home"] = volunteer_link(volunteer)
    return render(request, "community/public/checkin.html", context, status=status)


class ResidentSignupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("name"), max_length=50)
    phone = forms.CharField(label=gettext_lazy("mobile phone"), max_length=11)


@never_cache
@require_http_methods(["GET", "POST"])
def resident_signup(request, activity_token: str):
    """The page the activity's sign-up QR code opens: a place, or the waiting list."""
    activity = _activity(activity_token, JOIN_SALT)
    form = bootstrap(ResidentSignupForm(request.POST or None))
    status = 200
    if request.method == "POST":
        refused = _limited(request, "signup", activity.pk)
        if refused is not None:
            return refused
        if request.POST.get(HONEYPOT):
            return render(
                request,
                "community/public/refused.html",
                {"message": _("The submission was refused.")},
                status=400,
            )
        if form.is_valid():
            try:
                signup = activities.resident_sign_up(
                    activity=activity,
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                return redirect(signup_path(signup))
        status = 400
    places = (
        activity.capacity - activity.signups.filter(status=ResidentSignupStatus.CONFIRMED).count()
    )
    context = {
        "activity": activity,
        "form": form,
        "places": max(places, 0),
        "closed": activity.event_id is not None or timezone.now() >= activity.ends_at,
        "honeypot": HONEYPOT,
    }
    return render(request, "community/public/resident_signup.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request, token: str):
    """The resident's own sign-up: its status, and a button to cancel."""
    signup = get_object_or_404(
        ResidentSignup.objects.select_related("activity"), token=_unsigned(token, SIGNUP_SALT)
    )
    context = {"signup": signup, "activity": signup.activity}
    status = 200
    if request.method == "POST":
        refused = _limited(request, "signup", signup.activity_id)
        if refused is not None:
            return refused
        try:
            activities.resident_signup_cancel(signup=signup)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
            status = 400
        else:
            return redirect("volunteer-public:signup", token=token)
    if signup.status == ResidentSignupStatus.WAITING:
        context["ahead"] = signup.activity.signups.filter(
            status=ResidentSignupStatus.WAITING, created_at__lt=signup.created_at
        ).count()
    return render(request, "community/public/signup.html", context, status=status)
