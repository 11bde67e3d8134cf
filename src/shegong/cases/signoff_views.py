"""Web pages of the supervisor sign-off 督导审批: the queue of steps waiting (the
director's to decide, a worker's own waiting or returned), approve and return
with a comment, and the director's setting of the steps signed off."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shegong.cases import forms, signoffs, views
from shegong.cases.models import SIGN_OFF, Signoff, SignoffSetting, SignoffStatus
from shegong.core.access import get_visible_or_404, require, require_at
from shegong.core.forms import apply_service, bootstrap
from shegong.core.scope import CHANGE, may

SETTING_REFUSED = gettext_lazy("Only the station director sets which steps are signed off.")


@login_required
def signoff_list(request):
    """The steps waiting for the user's sign-off, or, for whoever does not sign
    off, the steps of their cases still waiting or returned."""
    user = request.user
    may_decide = may(user, SIGN_OFF, Signoff)
    if may_decide:
        rows = signoffs.signoffs_to_decide(user)[:100]
    else:
        rows = (
            signoffs.signoffs_visible_to(user)
            .filter(status__in=[SignoffStatus.PENDING, SignoffStatus.RETURNED])
            .order_by("-created_at", "-pk")[:100]
        )
    context = {
        "rows": list(rows),
        "may_decide": may_decide,
        "may_set": may(user, CHANGE, SignoffSetting),
        "form": bootstrap(forms.SignoffDecisionForm()),
    }
    return render(request, "cases/signoff_list.html", context)


def _decide(request, pk: int, service, done_message: str):
    user = request.user
    signoff = get_visible_or_404(signoffs.signoffs_visible_to(user), user, pk=pk)
    require(user, SIGN_OFF, signoff, message=str(signoffs.DECIDE_REFUSED))
    form = forms.SignoffDecisionForm(request.POST)
    if form.is_valid() and apply_service(
        form,
        lambda: service(
            actor=user,
            signoff=signoff,
            comment=form.cleaned_data["comment"],
            version=form.cleaned_data["version"],
        ),
    ):
        messages.success(request, done_message)
        return redirect("cases:case-detail", pk=signoff.case_id)
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    messages.error(request, " ".join(errors))
    case = get_visible_or_404(views.case_queryset(user), user, pk=signoff.case_id)
    return views.render_case(request, case, status=400)


@login_required
@require_POST
def signoff_approve(request, pk: int):
    return _decide(request, pk, signoffs.signoff_approve, _("Signed off."))


@login_required
@require_POST
def signoff_return(request, pk: int):
    return _decide(request, pk, signoffs.signoff_return, _("Returned to the worker."))


@login_required
def signoff_settings(request):
    """The director's choice of the steps of the station's cases they sign off."""
    user = request.user
    require_at(user, CHANGE, SignoffSetting, user.station, message=str(SETTING_REFUSED))
    setting = signoffs.setting_of(user.station_id)
    form = bootstrap(
        forms.SignoffSettingForm(
            request.POST or None,
            initial={
                "high_risk_assessment": setting.high_risk_assessment,
                "service_plan": setting.service_plan,
                "closure": setting.closure,
            },
        )
    )
    if request.method == "POST" and form.is_valid():
        saved = apply_service(
            form,
            lambda: signoffs.signoff_setting_set(
                actor=user, station=user.station, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("cases:signoff-settings")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "cases/signoff_settings.html", {"form": form}, status=status)
