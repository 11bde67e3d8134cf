"""Forms of the programmes around the station: volunteers and teams, party
organisations, community organisations, governance projects and the meal
programme. Each form only shapes the input; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.community.models import (
    CommunityOrganisation,
    GovernanceProject,
    MealKind,
    PartyMember,
    PartyOrganisation,
    Volunteer,
)
from shegong.community.selectors import ABSENT
from shegong.core.forms import DateInput
from shegong.delivery.forms import EventForm
from shegong.delivery.models import EventKind
from shegong.plans.models import PlanProject


class VolunteerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    skills = forms.CharField(label=_("Skills"), max_length=200, required=False)
    consent_on = forms.DateField(
        label=_("Consent given on"),
        widget=DateInput(),
        required=False,
        help_text=_("The day the volunteer agreed to the keeping of their personal data."),
    )
    is_party_member = forms.BooleanField(label=_("Party member"), required=False)
    party_member = forms.ModelChoiceField(
        label=_("Party member record"),
        queryset=PartyMember.objects.none(),
        required=False,
        help_text=_("Link the volunteer to the station's record of the party member."),
    )

    def __init__(self, *args, station_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_member"].queryset = (
            PartyMember.objects.filter(station_id=station_id)
            .select_related("organisation")
            .order_by("name", "pk")
        )


class VolunteerRegisterForm(VolunteerForm):
    registered_on = forms.DateField(
        label=_("Registered on"), widget=DateInput(), initial=timezone.localdate
    )

    field_order = ["name", "phone", "skills", "registered_on", "consent_on"]


class VolunteerEditForm(VolunteerForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=100)
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=Volunteer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, station_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Volunteer.objects.filter(
            station_id=station_id, is_active=True
        ).order_by("name", "pk")


class TeamMembersForm(TeamForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["name"]


class PartyOrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartyOrganisation.Kind.choices)


class PartyMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    is_representative = forms.BooleanField(label=_("Party representative"), required=False)


class CommunityOrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    field = forms.CharField(label=_("Field of work"), max_length=100, required=False)
    founded_on = forms.DateField(label=_("Founded on"), widget=DateInput())
    member_count = forms.IntegerField(label=_("Members"), min_value=0, initial=0)
    status = forms.ChoiceField(label=_("Status"), choices=CommunityOrganisation.Status.choices)


class GovernanceProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    category = forms.CharField(
        label=_("Category"),
        max_length=50,
        required=False,
        help_text=_("e.g. lifts in old buildings, neighbourhood renewal"),
    )
    started_on = forms.DateField(
        label=_("Started on"), widget=DateInput(), initial=timezone.localdate
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to stage"), choices=())
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Needed to complete the project."),
    )
    outcome_count = forms.IntegerField(
        label=_("Units delivered"),
        min_value=0,
        required=False,
        help_text=_("e.g. lifts installed"),
    )

    def __init__(self, *args, stages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(s, GovernanceProject.Stage(s).label) for s in stages]


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    attendees = forms.IntegerField(label=_("Attendees"), min_value=0)
    party_members_present = forms.IntegerField(
        label=_("Party members present"), min_value=0, initial=0
    )
    decisions = forms.CharField(label=_("Decisions"), widget=forms.Textarea(attrs={"rows": 3}))


class EnrolForm(forms.Form):
    resident = forms.IntegerField(widget=forms.HiddenInput)
    started_on = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)


# A row of the roll call: the elder ate in, had a meal delivered, or was absent.
ROLL_CALL_CHOICES = [*MealKind.choices, (ABSENT, _("Absent"))]
ROLL_CALL_VALUES = frozenset(value for value, _label in ROLL_CALL_CHOICES)


class RollCallForm(forms.Form):
    """The day of a roll call. Each elder's mark arrives as `kind_<resident id>`;
    the page renders those radio buttons itself (a canteen has 100+ elders)."""

    served_on = forms.DateField(label=_("Date"), widget=DateInput())

    PREFIX = "kind_"

    def marks(self) -> dict[int, str]:
        """The submitted marks by resident id; a bad value is a form error."""
        marks: dict[int, str] = {}
        for key in self.data:
            if not key.startswith(self.PREFIX):
                continue
            ident = key[len(self.PREFIX) :]
            value = self.data.get(key)
            if not ident.isdigit() or value not in ROLL_CALL_VALUES:
                self.add_error(None, _("The roll call holds an unknown mark."))
                return {}
            marks[int(ident)] = value
        return marks


class MealActivityForm(EventForm):
    """A pre-meal activity (餐前活动): delivery's service form with the kind fixed."""

    fixed_kind = EventKind.MEAL_ACTIVITY

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        elderly = self.fields["project"].queryset.filter(domain="elderly").first()
        if elderly is not None:
            self.fields["project"].initial = elderly.pk


class SignupForm(forms.Form):
    project = forms.ModelChoiceField(label=_("Project"), queryset=PlanProject.objects.none())
    activity_on = forms.DateField(label=_("Activity date"), widget=DateInput())
    activity_title = forms.CharField(label=_("Activity"), max_length=150)

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = PlanProject.objects.filter(
            plan__station=station, plan__year=timezone.localdate().year
        ).order_by("kind", "name")
