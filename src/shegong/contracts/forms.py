"""Forms of the tender and contract pages; the services validate the rules."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.contracts.models import BudgetLine, FailRule, Grade, Milestone, Renewal
from shegong.core.forms import DateInput

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0.01")}
PERCENT = {"max_digits": 5, "decimal_places": 2, "min_value": Decimal(0), "max_value": Decimal(100)}


class TenderForm(forms.Form):
    station = forms.ModelChoiceField(queryset=None, label=_("station"))
    code = forms.CharField(label=_("tender number"), max_length=40)
    title = forms.CharField(label=_("title"), max_length=150)
    buyer = forms.CharField(label=_("buyer"), max_length=100)
    announced_on = forms.DateField(label=_("announced on"), widget=DateInput())
    bids_close_on = forms.DateField(label=_("bids close on"), widget=DateInput())
    starts_on = forms.DateField(label=_("service starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("service ends on"), widget=DateInput())
    ceiling = forms.DecimalField(label=_("ceiling price (yuan)"), **MONEY)
    technical_weight = forms.DecimalField(
        label=_("technical weight (%)"), initial=Decimal(70), **PERCENT
    )

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations


class BidForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=None, label=_("agency"))
    price = forms.DecimalField(label=_("price (yuan)"), **MONEY)
    technical_score = forms.DecimalField(label=_("technical score (0–100)"), **PERCENT)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class TermsForm(forms.Form):
    signed_on = forms.DateField(label=_("signed on"), widget=DateInput())
    budget_personnel = forms.DecimalField(label=_("personnel budget (yuan)"), **MONEY)
    budget_activities = forms.DecimalField(
        label=_("activities budget (yuan)"), **{**MONEY, "min_value": Decimal(0)}
    )
    budget_administration = forms.DecimalField(
        label=_("administration budget (yuan)"), **{**MONEY, "min_value": Decimal(0)}
    )
    signing_share = forms.DecimalField(label=_("on signing (%)"), initial=30, **PERCENT)
    mid_term_share = forms.DecimalField(
        label=_("after the mid-term result (%)"), initial=40, **PERCENT
    )
    final_share = forms.DecimalField(label=_("after the final result (%)"), initial=30, **PERCENT)
    fail_rule = forms.ChoiceField(label=_("when a result fails"), choices=FailRule.choices)
    reduce_percent = forms.DecimalField(
        label=_("reduction when a result fails (%)"), initial=0, required=False, **PERCENT
    )

    def service_kwargs(self) -> dict:
        return terms_kwargs(self.cleaned_data)


def terms_kwargs(cleaned: dict) -> dict:
    """The arguments of `contract_terms_record` / `tender_award` from the terms'
    fields (shared by the pages' forms and the API's serializers): the three
    shares become the schedule (a share of 0 has no instalment)."""
    data = dict(cleaned)
    shares = (
        (Milestone.SIGNING, data.pop("signing_share")),
        (Milestone.MID_TERM, data.pop("mid_term_share")),
        (Milestone.FINAL, data.pop("final_share")),
    )
    data["schedule"] = [(m, s) for m, s in shares if s]
    data["reduce_percent"] = data.get("reduce_percent") or Decimal(0)
    return data


class AwardForm(TermsForm):
    bid = forms.ModelChoiceField(queryset=None, label=_("awarded bid"))
    reason = forms.CharField(
        label=_("reason for the award"), widget=forms.Textarea(attrs={"rows": 2})
    )
    awarded_on = forms.DateField(label=_("awarded on"), widget=DateInput())
    contract_code = forms.CharField(label=_("contract number"), max_length=40)

    field_order = ["bid", "reason", "awarded_on", "contract_code"]

    def __init__(self, *args, bids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bid"].queryset = bids
        self.order_fields(self.field_order)


class ResultForm(forms.Form):
    instalment = forms.ModelChoiceField(queryset=None, label=_("instalment"))
    evaluation = forms.ModelChoiceField(
        queryset=None,
        label=_("evaluation sheet"),
        required=False,
        help_text=_("A finalised sheet of the station; or enter the result and its report."),
    )
    grade = forms.ChoiceField(
        label=_("result"), choices=[("", "---------"), *Grade.choices], required=False
    )
    note = forms.CharField(label=_("source of the result"), max_length=200, required=False)
    recorded_on = forms.DateField(label=_("result recorded on"), widget=DateInput())

    def __init__(self, *args, instalments, sheets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instalment"].queryset = instalments
        self.fields["evaluation"].queryset = sheets


class PayForm(forms.Form):
    instalment = forms.ModelChoiceField(queryset=None, label=_("instalment"))
    amount = forms.DecimalField(label=_("amount (yuan)"), **MONEY)
    paid_on = forms.DateField(label=_("paid on"), widget=DateInput())

    def __init__(self, *args, instalments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instalment"].queryset = instalments


class SpendingForm(forms.Form):
    line = forms.ChoiceField(label=_("budget line"), choices=BudgetLine.choices)
    spent_on = forms.DateField(label=_("date"), widget=DateInput())
    amount = forms.DecimalField(label=_("amount (yuan)"), **MONEY)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class RenewalForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=Renewal.choices)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
    decided_on = forms.DateField(label=_("decided on"), widget=DateInput())


class AcceptanceForm(forms.Form):
    instalment = forms.ModelChoiceField(queryset=None, label=_("instalment"))
    accepted_on = forms.DateField(label=_("accepted on"), widget=DateInput())
    comment = forms.CharField(
        label=_("acceptance comment"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, instalments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instalment"].queryset = instalments
