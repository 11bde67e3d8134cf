"""Pages of the meal programme's money (docs/meals.md): the canteen's check-in
page for a phone or tablet (camera or typed card code), the elders' printable
meal cards with their subsidy class, and the monthly settlement per canteen and
funder with its approvals and Excel for finance."""

from __future__ import annotations

import datetime

import segno
from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shegong.community import meal_selectors, meal_services, selectors, subsidies
from shegong.community.meal_models import (
    APPROVE_DISTRICT,
    APPROVE_STATION,
    APPROVE_STREET,
    FunderLevel,
    MealCard,
    MealCheckIn,
    MealEligibility,
    MealSettlement,
    MealTime,
    SettlementAdjustment,
    SettlementStatus,
    SubsidyClass,
)
from shegong.community.models import MealEnrolment, MealKind
from shegong.community.views._common import form_status
from shegong.core.access import get_visible_or_404, require_at
from shegong.core.exports import tabular_response
from shegong.core.forms import apply_service, bootstrap
from shegong.core.scope import CREATE, VIEW, can, can_at, may
from shegong.org.models import Station, Street


class CheckInForm(django_forms.Form):
    code = django_forms.CharField(label=gettext_lazy("Card code"), max_length=20)
    meal = django_forms.ChoiceField(label=gettext_lazy("Meal"), choices=MealTime.choices)
    kind = django_forms.ChoiceField(
        label=gettext_lazy("How served"), choices=MealKind.choices, initial=MealKind.DINE_IN
    )


class EligibilityForm(django_forms.Form):
    subsidy_class = django_forms.ChoiceField(
        label=gettext_lazy("Subsidy class"), choices=SubsidyClass.choices
    )
    valid_from = django_forms.DateField(
        label=gettext_lazy("From"), widget=django_forms.DateInput(attrs={"type": "date"})
    )
    evidence = django_forms.CharField(
        label=gettext_lazy("Evidence"),
        max_length=200,
        help_text=gettext_lazy("e.g. the minimum living allowance certificate number"),
    )
    home_street = django_forms.ModelChoiceField(
        label=gettext_lazy("Home street or town"),
        queryset=Street.objects.select_related("district").order_by("district__code", "name"),
        required=False,
        help_text=gettext_lazy("Leave empty when it is the canteen's own street."),
    )


class AdjustmentForm(django_forms.Form):
    made_on = django_forms.DateField(
        label=gettext_lazy("Date"), widget=django_forms.DateInput(attrs={"type": "date"})
    )
    amount_yuan = django_forms.DecimalField(
        label=gettext_lazy("Amount (yuan, negative to reduce)"), max_digits=9, decimal_places=2
    )
    reason = django_forms.CharField(label=gettext_lazy("Reason"), max_length=200)


def _default_meal() -> str:
    return MealTime.LUNCH if timezone.localtime().hour < 15 else MealTime.DINNER


@login_required
def check_in(request):
    """The canteen's phone page: scan the elder's card (or type its code) for
    the meal; today's check-ins and the roll call's totals beside."""
    user = request.user
    require_at(user, CREATE, MealCheckIn, None)
    station = get_visible_or_404(Station, user, pk=user.station_id)
    form = bootstrap(CheckInForm(request.POST or None, initial={"meal": _default_meal()}))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply_service(
            form,
            lambda: meal_services.meal_check_in(
                actor=user, station=station, code=data["code"], meal=data["meal"], kind=data["kind"]
            ),
        )
        if done is not None:
            messages.success(
                request,
                _("%(name)s checked in: pays %(elder)s yuan of %(price)s.")
                % {
                    "name": done.resident.name,
                    "elder": subsidies.yuan(done.elder_fen),
                    "price": subsidies.yuan(done.price_fen),
                },
            )
            return redirect(
                f"{reverse('canteen:check-in')}?meal={data['meal']}&kind={data['kind']}"
            )
    elif request.method == "GET":
        form = bootstrap(
            CheckInForm(
                initial={
                    "meal": request.GET.get("meal") or _default_meal(),
                    "kind": request.GET.get("kind") or MealKind.DINE_IN,
                }
            )
        )
    today = timezone.localdate()
    context = {
        "form": form,
        "today": selectors.meal_day(user, station, today),
        "check_ins": meal_selectors.check_ins_of_day(user, station, today)[:50],
    }
    return render(request, "community/meal_check_in.html", context, status=form_status(form))


@login_required
def cards(request):
    """The enrolled elders with their meal card and subsidy class in force."""
    user = request.user
    require_at(user, CREATE, MealCard, None)
    today = timezone.localdate()
    enrolments = list(
        selectors.enrolments_visible_to(user)
        .filter(selectors.enrolled_on(user.station_id, today))
        .select_related("card")
        .order_by("resident__name", "resident__pk")[:500]
    )
    classes = {
        e.resident_id: e
        for e in MealEligibility.objects.visible_to(user)
        .filter(station_id=user.station_id, valid_from__lte=today)
        .exclude(valid_until__lt=today)
        .order_by("valid_from")
    }
    rows = [(e, getattr(e, "card", None), classes.get(e.resident_id)) for e in enrolments]
    return render(request, "community/meal_cards.html", {"rows": rows})


def _enrolment(user, pk) -> MealEnrolment:
    return get_visible_or_404(selectors.enrolments_visible_to(user), user, pk=pk)


@login_required
def card(request, pk: int):
    """The elder's printable meal card: name and QR code of the card's code, as
    SVG made here (segno). POST issues the card or replaces its code."""
    user = request.user
    enrolment = _enrolment(user, pk)
    if request.method == "POST":
        meal_services.meal_card_issue(actor=user, enrolment=enrolment)
        messages.success(request, _("Meal card issued."))
        return redirect("canteen:card", pk=enrolment.pk)
    issued = MealCard.objects.visible_to(user).filter(enrolment=enrolment).first()
    qr = None
    if issued is not None:
        # segno's own SVG markup of a code from our alphabet: nothing of the user's.
        # A full QR code with its 4-module quiet zone: phones do not read Micro QR.
        qr = mark_safe(segno.make_qr(issued.code, error="m").svg_inline(scale=6, border=4))  # noqa: S308
    context = {
        "enrolment": enrolment,
        "card": issued,
        "qr": qr,
        "may_issue": can_at(user, CREATE, MealCard, enrolment.station),
    }
    return render(request, "community/meal_card.html", context)


@login_required
def eligibility(request, pk: int):
    """Record the elder's subsidy class from a date, with the evidence seen."""
    user = request.user
    enrolment = _enrolment(user, pk)
    require_at(user, CREATE, MealEligibility, enrolment.station)
    form = bootstrap(EligibilityForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: meal_services.meal_eligibility_set(
                actor=user, enrolment=enrolment, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("Subsidy class recorded."))
            return redirect("canteen:cards")
    history = MealEligibility.objects.visible_to(user).filter(
        station=enrolment.station, resident=enrolment.resident
    )
    context = {"form": form, "enrolment": enrolment, "history": history}
    return render(request, "community/meal_eligibility.html", context, status=form_status(form))


def _month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise Http404(_("No such record.")) from None


def _settlement_station(user, station_pk: int) -> Station:
    """The canteen, for a reader of its settlements (others: 404)."""
    if not may(user, VIEW, MealSettlement):
        raise Http404(_("No such record."))
    return get_visible_or_404(
        Station.objects.select_related("street__district"), user, pk=station_pk
    )


def _previous_months(count: int) -> list[datetime.date]:
    month = timezone.localdate().replace(day=1)
    months = []
    for _n in range(count):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        months.append(month)
    return months


@login_required
def settlements(request):
    """The settlements of the canteens the user reads, the last six months."""
    user = request.user
    if not may(user, VIEW, MealSettlement):
        raise Http404(_("No such record."))
    stations = list(Station.objects.visible_to(user).order_by("code")[:50])
    months = _previous_months(6)
    stored = {
        (s.station_id, s.month, s.funder): s
        for s in MealSettlement.objects.visible_to(user).filter(
            station__in=stations, month__in=months
        )
    }
    rows = [
        (station, month, [(level, stored.get((station.pk, month, level))) for level in FunderLevel])
        for station in stations
        for month in months
    ]
    return render(request, "community/meal_settlements.html", {"rows": rows})


_STEP_ACTION = {
    SettlementStatus.DRAFT: APPROVE_STATION,
    SettlementStatus.STATION_APPROVED: APPROVE_STREET,
    SettlementStatus.STREET_APPROVED: APPROVE_DISTRICT,
}


def _may_approve(user, station, result) -> bool:
    action = _STEP_ACTION.get(result.status)
    if action is None:
        return False
    if result.settlement is None:
        return can_at(user, action, MealSettlement, station)
    return can(user, action, result.settlement)


@login_required
def settlement(request, station: int, month: str, funder: str):
    """A canteen's month for one funder: meals, amounts, exceptions, approvals;
    POST gives the next approval."""
    user = request.user
    canteen = _settlement_station(user, station)
    day = _month(month)
    if funder not in FunderLevel.values:
        raise Http404(_("No such record."))
    if request.method == "POST":
        try:
            meal_services.settlement_approve(actor=user, station=canteen, month=day, funder=funder)
        except meal_services.ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Settlement approved."))
        return redirect("canteen:settlement", station=canteen.pk, month=month, funder=funder)
    result = meal_selectors.month_settlement(user, canteen, day, funder)
    context = {
        "result": result,
        "figures": result.figures,
        "yuan": {name: subsidies.yuan(value) for name, value in result.figures.items()},
        "adjusted_yuan": subsidies.yuan(result.adjusted_funder_fen),
        "month_key": month,
        "funder_label": FunderLevel(funder).label,
        "exceptions": meal_selectors.exceptions_of(user, canteen, day, funder)[:200],
        "may_approve": _may_approve(user, canteen, result),
        "may_adjust": result.is_locked and can_at(user, CREATE, SettlementAdjustment, canteen),
        "adjustment_form": bootstrap(AdjustmentForm(initial={"made_on": timezone.localdate()})),
    }
    return render(request, "community/meal_settlement.html", context)


@login_required
@require_POST
def settlement_adjust(request, station: int, month: str, funder: str):
    user = request.user
    canteen = _settlement_station(user, station)
    day = _month(month)
    stored = get_visible_or_404(MealSettlement, user, station=canteen, month=day, funder=funder)
    require_at(user, CREATE, SettlementAdjustment, canteen)
    form = AdjustmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = apply_service(
            form,
            lambda: meal_services.settlement_adjust(
                actor=user,
                settlement=stored,
                made_on=data["made_on"],
                amount_fen=int(data["amount_yuan"] * 100),
                reason=data["reason"],
            ),
        )
        if done is not None:
            messages.success(request, _("Adjustment recorded."))
            return redirect("canteen:settlement", station=canteen.pk, month=month, funder=funder)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("canteen:settlement", station=canteen.pk, month=month, funder=funder)


@login_required
def settlement_export(request, station: int, month: str, funder: str):
    """The settlement for finance as Excel: the month's figures, then each
    adjustment, then the total: no person in it. The month meal by meal, with
    the elders' names, is personal data: it leaves only as a personal-data export
    (privacy.export_kinds, kind "meal_settlement": a reason, approval above a
    size, a watermark, the access log), asked for from the settlement page."""
    user = request.user
    canteen = _settlement_station(user, station)
    day = _month(month)
    if funder not in FunderLevel.values:
        raise Http404(_("No such record."))
    result = meal_selectors.month_settlement(user, canteen, day, funder)
    f = result.figures
    headers = [
        _("Item"),
        _("Date"),
        _("Meals"),
        _("Meal value (yuan)"),
        _("Funder pays (yuan)"),
        _("Elders pay (yuan)"),
        _("Exceptions"),
    ]
    rows = [
        [
            _("Month's meals"),
            day,
            f["meals"],
            subsidies.yuan(f["price_fen"]),
            subsidies.yuan(f["funder_fen"]),
            subsidies.yuan(f["elder_fen"]),
            f["exceptions"],
        ]
    ]
    rows += [
        [
            _("Adjustment: %(reason)s") % {"reason": a.reason},
            a.made_on,
            0,
            None,
            subsidies.yuan(a.amount_fen),
            None,
            0,
        ]
        for a in result.adjustments
    ]
    rows.append(
        [
            _("Total to pay"),
            None,
            f["meals"],
            None,
            subsidies.yuan(result.adjusted_funder_fen),
            None,
            None,
        ]
    )
    title = _("Meal subsidy settlement: %(canteen)s, %(funder)s") % {
        "canteen": canteen.name,
        "funder": FunderLevel(funder).label,
    }
    return tabular_response(
        "xlsx",
        f"meal-settlement-{canteen.code}-{month}-{funder}",
        title,
        headers,
        rows,
        scope=canteen.name,
        period=month,
    )
