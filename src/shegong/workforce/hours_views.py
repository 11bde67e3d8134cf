"""Pages of a station's service hours (the 60 % rule) and personnel share (the
65 % rule), with the Excel of the hours; and the city's pay table."""

from __future__ import annotations

import datetime

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.core.access import get_visible_or_404
from shegong.core.exports import FORMATS, tabular_response
from shegong.core.forms import DateInput, apply_service, bootstrap
from shegong.core.replicas import reads_from_replica
from shegong.core.roles import scope_name
from shegong.core.scope import may_create
from shegong.org.models import Station
from shegong.workforce import hours, pay, selectors, services
from shegong.workforce.models import Post, Qualification, StaffProfile
from shegong.workforce.pay_models import MAX_GRADE, PayRate
from shegong.workforce.views import _require_summary


class PeriodForm(django_forms.Form):
    start = django_forms.DateField(label=gettext_lazy("From"), widget=DateInput())
    end = django_forms.DateField(label=gettext_lazy("To"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            if data["end"] < data["start"]:
                raise django_forms.ValidationError(_("The period ends before it starts."))
            if (data["end"] - data["start"]).days > 366:
                raise django_forms.ValidationError(_("A period is at most one year."))
        return data


def _period(request) -> tuple[PeriodForm, datetime.date, datetime.date]:
    """The period asked for (?start=&end=), else this year up to today."""
    today = timezone.localdate()
    first, last = today.replace(month=1, day=1), today
    form = PeriodForm(request.GET or None, initial={"start": first, "end": last})
    if form.is_bound and form.is_valid():
        first, last = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, first, last


def named_rows(user, station: Station, rows: list[hours.HoursRow]) -> list[hours.HoursRow]:
    """The rows of the staff whose profiles `user` reads (evaluators read the
    station's figure, not named staff)."""
    visible = set(
        StaffProfile.objects.visible_to(user)
        .filter(station=station)
        .values_list("user__username", flat=True)
    )
    return [r for r in rows if r.username in visible]


def _station(request, pk: int) -> Station:
    user = request.user
    # The station first: an outsider's station is missing (404), whatever the role.
    get_visible_or_404(Station, user, pk=pk)
    _require_summary(user)
    return get_visible_or_404(selectors.summary_stations(user), user, pk=pk)


@login_required
def station_hours(request, pk: int):
    """The station's staff: working hours, service hours and the share against
    the 60 % rule; the contract's personnel share against the 65 % rule."""
    station = _station(request, pk)
    form, first, last = _period(request)
    rows, total = hours.station_hours(station, first, last)
    rows = named_rows(request.user, station, rows)
    contract = pay.current_contract(station, last)
    share = pay.contract_personnel_share(contract) if contract else None
    context = {
        "station": station,
        "form": bootstrap(form),
        "first": first,
        "last": last,
        "rows": rows,
        "total": total,
        "rule": hours.RULE_PERCENT,
        "share": share,
        "pay_rule": pay.RULE_PERCENT,
    }
    return render(request, "workforce/hours.html", context, status=400 if form.errors else 200)


@reads_from_replica
@login_required
def station_hours_export(request, pk: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404(_("No such record."))
    station = _station(request, pk)
    _form, first, last = _period(request)
    rows, total = hours.station_hours(station, first, last)
    rows = named_rows(request.user, station, rows)
    headers = [
        _("Name"),
        _("Working hours"),
        _("Service hours"),
        _("Share (%)"),
        _("Meets the 60 % rule"),
        _("Services without times"),
    ]
    data = [
        [
            r.name,
            r.working_hours,
            r.service_hours,
            r.share,
            _("yes") if r.meets_rule else _("no"),
            r.untimed,
        ]
        for r in [*rows, total]
    ]
    return tabular_response(
        fmt,
        f"service-hours-{station.code}-{first}-{last}",
        _("Service hours: %(station)s") % {"station": station.name},
        headers,
        data,
        scope=scope_name(request.user),
        period=f"{first} – {last}",
    )


class PayRateForm(django_forms.Form):
    post = django_forms.ChoiceField(label=gettext_lazy("Post"), choices=Post.choices)
    qualification = django_forms.ChoiceField(
        label=gettext_lazy("Qualification"), choices=Qualification.choices
    )
    grade = django_forms.IntegerField(
        label=gettext_lazy("Grade"), min_value=1, max_value=MAX_GRADE, initial=1
    )
    monthly_yuan = django_forms.DecimalField(
        label=gettext_lazy("Monthly pay (yuan)"), min_value=0, max_digits=9, decimal_places=2
    )
    valid_from = django_forms.DateField(
        label=gettext_lazy("From"), widget=DateInput(), initial=timezone.localdate
    )
    is_sample = django_forms.BooleanField(
        label=gettext_lazy("Sample value, not an official figure"), required=False
    )


@login_required
def pay_table(request):
    """The pay table, readable by every account; the city officer adds rates."""
    user = request.user
    may_add = may_create(user, PayRate)
    form = (PayRateForm(request.POST if request.method == "POST" else None)) if may_add else None
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied(_("The city's civil-affairs officers keep the pay table."))
        if form.is_valid():
            data = form.cleaned_data
            rate = apply_service(
                form,
                lambda: services.pay_rate_add(
                    actor=user,
                    post=data["post"],
                    qualification=data["qualification"],
                    grade=data["grade"],
                    monthly_fen=int(data["monthly_yuan"] * 100),
                    valid_from=data["valid_from"],
                    is_sample=data["is_sample"],
                ),
            )
            if rate is not None:
                messages.success(request, _("The pay rate was added."))
                return redirect("workforce:pay-table")
    rates = PayRate.objects.visible_to(user)
    context = {
        "rates": rates,
        "form": bootstrap(form) if form else None,
        "any_sample": any(r.is_sample for r in rates),
    }
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, "workforce/pay_table.html", context, status=status)
