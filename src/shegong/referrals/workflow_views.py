"""The pages of the referral workflow: send a referral from a case, the
receiving station's inbox, a referral's page (the shared part and the acts of
the side the user is on), the transitions, and the counts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.cases import selectors as case_selectors
from shegong.cases.models import REFERRAL_FOLLOW_UP, REFERRAL_WITHDRAW, WORK
from shegong.core.access import get_visible_or_404, require
from shegong.core.forms import apply_service, bootstrap
from shegong.core.scope import can, may
from shegong.referrals import selectors, stats, workflow
from shegong.referrals import workflow_forms as forms
from shegong.referrals.models import ANSWER, RECEIVE, SERVE, ReferralStatus, ReferralTrack

# Each transition: the form, the side acting, the scope action, the service.
TRANSITIONS = {
    "receive": (forms.EmptyForm, "receiver", RECEIVE, workflow.referral_receive),
    "accept": (forms.EmptyForm, "receiver", ANSWER, workflow.referral_accept),
    "decline": (forms.DeclineForm, "receiver", ANSWER, workflow.referral_decline),
    "start": (forms.EmptyForm, "receiver", SERVE, workflow.referral_start),
    "complete": (forms.OutcomeForm, "receiver", SERVE, workflow.referral_complete),
    "follow-up": (forms.FollowUpForm, "sender", REFERRAL_FOLLOW_UP, workflow.referral_follow_up),
    "outcome": (forms.OutcomeForm, "sender", REFERRAL_FOLLOW_UP, workflow.referral_record_outcome),
    "withdraw": (forms.EmptyForm, "sender", REFERRAL_WITHDRAW, workflow.referral_withdraw),
}

# The transitions offered in each status, per side.
OFFERED = {
    "receiver": {
        ReferralStatus.SENT: ["receive", "accept", "decline"],
        ReferralStatus.RECEIVED: ["accept", "decline"],
        ReferralStatus.ACCEPTED: ["start", "complete"],
        ReferralStatus.IN_SERVICE: ["complete"],
    },
    "sender": {
        ReferralStatus.SENT: ["follow-up", "outcome", "withdraw"],
        ReferralStatus.RECEIVED: ["follow-up", "withdraw"],
        ReferralStatus.ACCEPTED: ["follow-up", "withdraw"],
        ReferralStatus.IN_SERVICE: ["follow-up", "withdraw"],
    },
}


def _offered(user, track: ReferralTrack, sides: set[str]) -> list[dict]:
    offered = []
    for side in ("receiver", "sender"):
        if side not in sides:
            continue
        for name in OFFERED[side].get(track.status, []):
            form_class, _side, action, _service = TRANSITIONS[name]
            if name == "outcome" and track.on_platform:
                continue
            target = track if side == "receiver" else track.referral
            if can(user, action, target):
                offered.append({"name": name, "form": bootstrap(form_class(prefix=name))})
    return offered


@login_required
def send(request, case_pk: int):
    user = request.user
    case = get_visible_or_404(case_selectors.cases_visible_to(user), user, pk=case_pk)
    require(user, WORK, case, message=str(workflow.NOT_SENDER))
    partners = selectors.partners_visible_to(user).filter(active=True)
    # An empty POST is a bound form (400 with its errors), not a fresh page.
    data = request.POST if request.method == "POST" else None
    form = bootstrap(forms.SendForm(data, partners=partners, initial={"version": case.version}))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        track = apply_service(
            form,
            lambda: workflow.referral_send(
                actor=user,
                case=case,
                partner=data["partner"],
                reason=data["reason"],
                shared_parts=data["shared_parts"],
                follow_up_on=data["follow_up_on"],
                version=data["version"],
            ),
        )
        if track is not None:
            messages.success(request, _("Referral sent."))
            return redirect("referrals:referral-detail", track.pk)
    status = 400 if form.is_bound and form.errors else 200
    context = {"case": case, "form": form, "suggested": selectors.partners_for(user, case.domain)}
    return render(request, "referrals/referral_send.html", context, status=status)


@login_required
def inbox(request):
    user = request.user
    if not may(user, RECEIVE, ReferralTrack):
        raise PermissionDenied(_("Only station staff receive referrals."))
    tracks = list(selectors.inbox(user)[:200])
    return render(request, "referrals/referral_inbox.html", {"tracks": tracks})


def _track_or_404(user, pk: int):
    track, sides = selectors.track_sides(user, pk)
    if track is None:
        raise Http404(_("No such record."))
    return track, sides


@login_required
def detail(request, pk: int):
    track, sides = _track_or_404(request.user, pk)
    context = {
        "track": track,
        "sides": sides,
        "offered": _offered(request.user, track, sides),
        "consent_withdrawn_on": selectors.withdrawn_for_receiver(track, sides),
    }
    return render(request, "referrals/referral_detail.html", context)


@login_required
@require_POST
def act(request, pk: int, action: str):
    user = request.user
    if action not in TRANSITIONS:
        raise Http404(_("No such record."))
    track, sides = _track_or_404(user, pk)
    form_class, side, scope_action, service = TRANSITIONS[action]
    # Refused before the input is read: 404 for a side the user is not on,
    # 403 for a reader who may not act.
    if side not in sides:
        raise PermissionDenied(_("You may view this record but not change it."))
    require(user, scope_action, track if side == "receiver" else track.referral)
    form = bootstrap(form_class(request.POST, prefix=action))
    if form.is_valid():
        done = apply_service(form, lambda: service(actor=user, track=track, **form.cleaned_data))
        if done is not None:
            messages.success(
                request, _("Referral updated: %(status)s.") % {"status": done.get_status_display()}
            )
            return redirect("referrals:referral-detail", track.pk)
    offered = [o for o in _offered(user, track, sides) if o["name"] != action]
    offered.insert(0, {"name": action, "form": form})
    context = {
        "track": track,
        "sides": sides,
        "offered": offered,
        "consent_withdrawn_on": selectors.withdrawn_for_receiver(track, sides),
    }
    return render(request, "referrals/referral_detail.html", context, status=400)


@login_required
def statistics(request):
    year = request.GET.get("year", "")
    counts = stats.referral_counts(request.user, stats.year_of(year))
    return render(request, "referrals/referral_stats.html", {"counts": counts, "year": year})
