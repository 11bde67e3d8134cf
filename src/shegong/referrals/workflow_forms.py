"""The forms of the referral workflow: send a referral from a case, and the
small forms of its transitions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import DateInput
from shegong.referrals.models import ReferralOutcome, SharedPart


class SendForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Refer to"), queryset=None)
    reason = forms.CharField(
        label=_("Reason for referral"), widget=forms.Textarea(attrs={"rows": 3})
    )
    shared_parts = forms.MultipleChoiceField(
        label=_("Parts of the case to share"),
        choices=SharedPart.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The client's name and phone and the reason are always shared."),
    )
    follow_up_on = forms.DateField(label=_("Follow up on"), widget=DateInput(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Every visible active entry is offered: one that does not accept the
        # case's domain is refused by the service with its reason.
        self.fields["partner"].queryset = partners


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Referral outcome"), choices=ReferralOutcome.choices)
    note = forms.CharField(
        label=_("Outcome note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class FollowUpForm(forms.Form):
    follow_up_on = forms.DateField(label=_("Next follow-up"), widget=DateInput(), required=False)


class EmptyForm(forms.Form):
    pass
