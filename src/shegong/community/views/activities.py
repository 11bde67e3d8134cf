"""The station's pages of community activities (sign-up list, QR codes, check-ins,
late entries, closing into attendance) and of a volunteer's time bank (ledger,
redemption, donation, certificate of hours). Writes through
`community.activities` and `community.timebank`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shegong.community import activities, selectors, timebank
from shegong.community.models import (
    CheckinStatus,
    CommunityActivity,
    ResidentSignupStatus,
    Volunteer,
    VolunteerCheckin,
)
from shegong.community.qr import qr_svg
from shegong.community.views._common import PAGE_SIZE, form_status, keeps_station_records
from shegong.community.volunteer_public import checkin_path, join_path, volunteer_link
from shegong.core.access import get_visible_or_404, require, require_at
from shegong.core.forms import apply_service, bootstrap
from shegong.core.lists import Paginator
from shegong.core.pdf import pdf_response
from shegong.core.scope import CHANGE, CREATE, can, may_create
from shegong.plans.models import PlanProject

LOCAL_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(forms.Form):
    project = forms.ModelChoiceField(
        label=gettext_lazy("Project"), queryset=PlanProject.objects.none()
    )
    title = forms.CharField(label=gettext_lazy("activity"), max_length=150)
    starts_at = forms.DateTimeField(label=gettext_lazy("starts at"), widget=LOCAL_INPUT)
    ends_at = forms.DateTimeField(label=gettext_lazy("ends at"), widget=LOCAL_INPUT)
    capacity = forms.IntegerField(label=gettext_lazy("places"), min_value=1, max_value=10000)

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = PlanProject.objects.filter(
            plan__station=station, plan__year=timezone.localdate().year
        ).order_by("kind", "name")


class RedeemForm(forms.Form):
    points = forms.DecimalField(
        label=gettext_lazy("points"), max_digits=7, decimal_places=1, min_value=0.1
    )
    service = forms.CharField(label=gettext_lazy("service redeemed"), max_length=200)


class DonateForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=gettext_lazy("to volunteer"), queryset=Volunteer.objects.none()
    )
    points = forms.DecimalField(
        label=gettext_lazy("points"), max_digits=7, decimal_places=1, min_value=0.1
    )

    def __init__(self, *args, volunteer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = Volunteer.objects.filter(
            station_id=volunteer.station_id, is_active=True
        ).exclude(pk=volunteer.pk)


@login_required
def activity_list(request):
    user = request.user
    rows = (
        CommunityActivity.objects.visible_to(user)
        .select_related("station", "project")
        .annotate(
            confirmed=Count("signups", filter=Q(signups__status=ResidentSignupStatus.CONFIRMED)),
            waiting=Count("signups", filter=Q(signups__status=ResidentSignupStatus.WAITING)),
        )
        .order_by("-starts_at", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "can_write": may_create(user, CommunityActivity),
        "many_stations": not keeps_station_records(user),
    }
    return render(request, "community/activities/list.html", context)


@login_required
def activity_create(request):
    user = request.user
    require_at(user, CREATE, CommunityActivity, None)
    form = bootstrap(ActivityForm(request.POST or None, station=user.station))
    if request.method == "POST" and form.is_valid():
        created = apply_service(
            form, lambda: activities.activity_create(actor=user, **form.cleaned_data)
        )
        if created is not None:
            messages.success(request, _("Activity created."))
            return redirect("activities:detail", pk=created.pk)
    return render(
        request, "community/activities/form.html", {"form": form}, status=form_status(form)
    )


def _detail_context(request, activity: CommunityActivity) -> dict:
    user = request.user
    checkin_url = request.build_absolute_uri(checkin_path(activity))
    signup_url = request.build_absolute_uri(join_path(activity))
    may_write = can(user, CHANGE, activity)
    return {
        "activity": activity,
        "may_write": may_write,
        "signups": activity.signups.exclude(status=ResidentSignupStatus.CANCELLED)
        .select_related("resident")
        .order_by("status", "created_at", "pk"),
        "checkins": activity.checkins.select_related("volunteer").order_by("started_at", "pk"),
        "checkin_url": checkin_url,
        "signup_url": signup_url,
        "checkin_qr": qr_svg(checkin_url) if may_write else None,
        "signup_qr": qr_svg(signup_url) if may_write else None,
    }


@login_required
def activity_detail(request, pk: int):
    user = request.user
    activity = get_visible_or_404(
        CommunityActivity.objects.select_related("station", "project", "event"), user, pk=pk
    )
    return render(request, "community/activities/detail.html", _detail_context(request, activity))


@login_required
@require_POST
def checkin_decide(request, pk: int):
    """Approve or reject a volunteer's late entry (补录)."""
    user = request.user
    checkin = get_visible_or_404(VolunteerCheckin.objects.select_related("activity"), user, pk=pk)
    require(user, CHANGE, checkin.activity)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose to approve or reject the late entry."))
        return redirect("activities:detail", pk=checkin.activity_id)
    try:
        activities.checkin_decide(actor=user, checkin=checkin, approve=decision == "approve")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("activities:detail", pk=checkin.activity_id)


@login_required
@require_POST
def activity_close(request, pk: int):
    """The sign-up list, as ticked, becomes the event's attendance."""
    user = request.user
    activity = get_visible_or_404(CommunityActivity, user, pk=pk)
    require(user, CHANGE, activity)
    present = [v for v in request.POST.getlist("present") if v.isdigit()]
    try:
        event = activities.activity_close(actor=user, activity=activity, present=present)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("activities:detail", pk=activity.pk)
    messages.success(
        request,
        _("Attendance recorded: %(count)s person-times.") % {"count": event.person_times},
    )
    return redirect("activities:detail", pk=activity.pk)


def _bank_context(request, volunteer: Volunteer, redeem=None, donate=None) -> dict:
    user = request.user
    may_write = can(user, CHANGE, volunteer)
    link = request.build_absolute_uri(volunteer_link(volunteer))
    counted = volunteer.checkins.filter(
        status__in=[CheckinStatus.DONE, CheckinStatus.APPROVED]
    ).aggregate(h=Sum("hours"))["h"]
    return {
        "volunteer": volunteer,
        "may_write": may_write,
        "balance": timebank.balance(volunteer),
        "threshold": timebank.redeem_threshold(),
        "cap": timebank.balance_cap(),
        "per_hour": timebank.points_per_hour(),
        "checkin_hours": counted or 0,
        "ledger": Paginator(
            volunteer.time_bank.select_related("counterpart").order_by("-pk"), 50
        ).get_page(request.GET.get("page")),
        "link": link if may_write else None,
        "link_qr": qr_svg(link) if may_write else None,
        "redeem_form": redeem or bootstrap(RedeemForm(prefix="redeem")),
        "donate_form": donate or bootstrap(DonateForm(prefix="donate", volunteer=volunteer)),
    }


@login_required
def time_bank(request, pk: int):
    """A volunteer's time bank: balance, ledger, the link of their own page."""
    user = request.user
    volunteer = get_visible_or_404(selectors.volunteers_visible_to(user), user, pk=pk)
    return render(request, "community/activities/time_bank.html", _bank_context(request, volunteer))


@login_required
@require_POST
def redeem(request, pk: int):
    user = request.user
    volunteer = get_visible_or_404(Volunteer, user, pk=pk)
    require(user, CHANGE, volunteer)
    form = bootstrap(RedeemForm(request.POST, prefix="redeem"))
    if form.is_valid() and apply_service(
        form,
        lambda: timebank.time_bank_redeem(actor=user, volunteer=volunteer, **form.cleaned_data),
    ):
        messages.success(request, _("Points redeemed."))
        return redirect("activities:time-bank", pk=volunteer.pk)
    context = _bank_context(request, volunteer, redeem=form)
    return render(request, "community/activities/time_bank.html", context, status=400)


@login_required
@require_POST
def donate(request, pk: int):
    user = request.user
    volunteer = get_visible_or_404(Volunteer, user, pk=pk)
    require(user, CHANGE, volunteer)
    form = bootstrap(DonateForm(request.POST, prefix="donate", volunteer=volunteer))
    if form.is_valid() and apply_service(
        form,
        lambda: timebank.time_bank_donate(
            actor=user,
            donor=volunteer,
            recipient=form.cleaned_data["recipient"],
            points=form.cleaned_data["points"],
        ),
    ):
        messages.success(request, _("Points donated."))
        return redirect("activities:time-bank", pk=volunteer.pk)
    context = _bank_context(request, volunteer, donate=form)
    return render(request, "community/activities/time_bank.html", context, status=400)


@login_required
def certificate(request, pk: int):
    """志愿服务证明: the hours recorded at the station's service events, certified
    by the station that recorded them (its own staff issue it)."""
    user = request.user
    volunteer = get_visible_or_404(Volunteer.objects.select_related("station"), user, pk=pk)
    require(user, CHANGE, volunteer, message=_("Only the recording station issues certificates."))
    service = (
        selectors.volunteer_service_record(user, volunteer)
        .filter(event__station_id=volunteer.station_id)
        .order_by("event__held_on", "event__pk")
    )
    total = service.aggregate(h=Sum("hours"))["h"] or 0
    return pdf_response(
        request,
        "community/activities/certificate_pdf.html",
        {
            "volunteer": volunteer,
            "service": service,
            "total": total,
            "issued_on": timezone.localdate(),
        },
        filename=f"volunteer-hours-{volunteer.pk}.pdf",
        title=_("Certificate of volunteer service"),
    )
