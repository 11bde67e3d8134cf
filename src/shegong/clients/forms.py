"""Forms for registering and editing residents and their consent and classification."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import (
    BASIC_DOMAIN_CHOICES,
    ClientCategory,
    Consent,
    Gender,
    Household,
    LawfulBasis,
    PriorityKind,
    Tag,
)
from shegong.core.blank_forms import blank_form
from shegong.core.forms import DateInput, bootstrap, with_choices
from shegong.org import names
from shegong.org.models import Community, ServicePoint


class ResidentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput())
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        required=False,
        help_text=_("18 characters; stored encrypted and shown masked."),
    )
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    household_role = forms.CharField(
        label=_("Relation in household"), max_length=20, required=False
    )
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.none(), required=False
    )
    point = forms.ModelChoiceField(
        label=_("Service point"),
        queryset=ServicePoint.objects.none(),
        required=False,
        help_text=_("Left empty: the service point of the resident's community, if it has one."),
    )

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        if station is not None:
            community, point = self.fields["community"], self.fields["point"]
            community.queryset = Community.objects.filter(street_id=station.street_id)
            point.queryset = ServicePoint.objects.filter(station=station, is_active=True)
            # The options from the cache (org.names); a posted value is checked
            # against the querysets.
            with_choices(community, names.community_choices(station.street_id))
            with_choices(point, names.point_choices(station.pk))


class RegistrationForm(ResidentForm):
    """A new resident with the consent recorded at registration."""

    consent_date = forms.DateField(
        label=_("Consent date"), widget=DateInput(), initial=timezone.localdate
    )
    lawful_basis = forms.ChoiceField(
        label=_("Lawful basis"), choices=LawfulBasis.choices, initial=LawfulBasis.CONSENT
    )
    covers_referral_sharing = forms.BooleanField(
        label=_("Agrees to sharing with referral partners"), required=False
    )
    given_by = forms.ChoiceField(label=_("Consent given by"), choices=Consent.GivenBy.choices)
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=50, required=False)
    guardian_relation = forms.CharField(
        label=_("Guardian's relation"), max_length=20, required=False
    )


def blank_registration(station) -> str:
    """The registration form as a new page shows it, rendered once per station,
    language and day (core.blank_forms)."""
    return blank_form(
        ("resident-register", station.pk),
        lambda: bootstrap(RegistrationForm(station=station)),
        group=names.GROUP,
    )


class ResidentEditForm(ResidentForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConsentForm(forms.Form):
    recorded_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    lawful_basis = forms.ChoiceField(label=_("Lawful basis"), choices=LawfulBasis.choices)
    covers_record = forms.BooleanField(label=_("Keep a record"), required=False, initial=True)
    covers_referral_sharing = forms.BooleanField(
        label=_("Share with referral partners"), required=False
    )
    given_by = forms.ChoiceField(label=_("Given by"), choices=Consent.GivenBy.choices)
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=50, required=False)
    guardian_relation = forms.CharField(
        label=_("Guardian's relation"), max_length=20, required=False
    )


class ClassifyForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=BASIC_DOMAIN_CHOICES)
    category = forms.ChoiceField(label=_("Category"), choices=ClientCategory.choices)
    priority_kind = forms.ChoiceField(
        label=_("Priority kind"), choices=[("", "—"), *PriorityKind.choices], required=False
    )
    started_on = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)


class TagForm(forms.Form):
    tag = forms.ChoiceField(label=_("Tag"), choices=Tag.choices)
    started_on = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(
        label=_("Record number of the duplicate"),
        help_text=_("Everything linked to the duplicate moves to this record."),
    )


class HouseholdForm(forms.Form):
    """Link the resident to a household of the station, or to a new one."""

    household = forms.ModelChoiceField(
        label=_("Household"), queryset=Household.objects.none(), required=False
    )
    new_household = forms.CharField(
        label=_("Or a new household named"), max_length=50, required=False
    )
    household_role = forms.CharField(
        label=_("Relation in household"), max_length=20, required=False
    )

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.filter(station=station)

    def clean(self):
        data = super().clean()
        if bool(data.get("household")) == bool(data.get("new_household", "").strip()):
            raise forms.ValidationError(_("Choose a household or name a new one."))
        return data


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"), widget=DateInput(), initial=timezone.localdate
    )
