"""The directory entry's form (register and edit)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.models import Domain
from shegong.core.scope import restrict
from shegong.org.models import District, Station, Street
from shegong.referrals.models import PartnerKind


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    platform_station = forms.ModelChoiceField(
        label=_("Station on the platform"),
        queryset=Station.objects.none(),
        required=False,
        help_text=_("Only for a station on the platform."),
    )
    domains = forms.MultipleChoiceField(
        label=_("Domains accepted"),
        choices=Domain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    services = forms.CharField(label=_("Services accepted"), max_length=300, required=False)
    eligibility = forms.CharField(
        label=_("Eligibility"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    served_district = forms.ModelChoiceField(
        label=_("District served"),
        queryset=District.objects.none(),
        required=False,
        help_text=_("Empty: the whole city."),
    )
    served_street = forms.ModelChoiceField(
        label=_("Street served"),
        queryset=Street.objects.none(),
        required=False,
        help_text=_("Empty: the whole district."),
    )
    contact_person = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=24, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The choices are what the user can see of the organisation tree.
        self.fields["platform_station"].queryset = restrict(Station.objects.all(), user)
        self.fields["served_district"].queryset = restrict(District.objects.all(), user)
        self.fields["served_street"].queryset = restrict(
            Street.objects.select_related("district"), user
        )
