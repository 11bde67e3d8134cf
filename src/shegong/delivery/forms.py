"""Forms for recording service events, correcting attendance, and groups.

Residents are ticked from a checklist that the template renders itself (a
station has thousands of residents; Django's widget rendering of that many
checkboxes is slow), so the resident fields only validate the ticked ids."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.community.models import PartyMember, Volunteer
from shegong.core.forms import DateInput, TimeInput, add_errors
from shegong.delivery import selectors, services
from shegong.delivery.models import HEADCOUNT_KINDS, EventKind, GoalsAttained, GroupStage

# Kinds recorded from the "record a service" form: casework contacts come from
# case notes, group sessions from their group.
RECORDABLE_KINDS = [
    (value, label)
    for value, label in EventKind.choices
    if value not in (EventKind.CASEWORK, EventKind.GROUP_SESSION)
]


class ResidentsField(forms.ModelMultipleChoiceField):
    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs):
        super().__init__(queryset=kwargs.pop("queryset"), required=False, **kwargs)


class PartyMemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PartyMember) -> str:
        if obj.is_representative:
            return f"{obj.name} ({_('party representative')}, {obj.organisation})"
        return f"{obj.name} ({obj.organisation})"


class TickedMixin:
    """The ids of the residents ticked in `ticked_field`: as submitted, or initial."""

    ticked_field = "attendees"

    def ticked(self) -> set[int]:
        if self.is_bound:
            return {int(v) for v in self.data.getlist(self.ticked_field) if str(v).isdigit()}
        return {r.pk for r in self.initial.get(self.ticked_field, [])}


class PeopleForm(TickedMixin, forms.Form):
    """Who attended, and the people who led or helped: the station's workers,
    volunteers with their hours, party members taking part."""

    attendees = ResidentsField(queryset=None, label=_("Attendance"))
    workers = forms.ModelMultipleChoiceField(
        label=_("Social workers"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    party_members = PartyMemberChoice(
        label=_("Party members taking part"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = selectors.station_residents(user)
        self.fields["workers"].queryset = selectors.station_workers(user)
        self.fields["party_members"].queryset = selectors.station_party_members(user)
        self.volunteers = list(selectors.station_volunteers(user))
        for volunteer in self.volunteers:
            self.fields[self.hours_field(volunteer)] = forms.DecimalField(
                label=volunteer.name,
                required=False,
                min_value=Decimal("0.5"),
                max_value=24,
                max_digits=5,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            )

    @staticmethod
    def hours_field(volunteer: Volunteer) -> str:
        return f"hours_{volunteer.pk}"

    def volunteer_rows(self) -> list[tuple[Volunteer, Any]]:
        """(volunteer, hours field) for the template's table of volunteers."""
        return [(v, self[self.hours_field(v)]) for v in self.volunteers]

    def volunteer_hours(self) -> list[tuple[Volunteer, Decimal]]:
        """The volunteers who helped, with their hours (blank hours: did not help)."""
        return [
            (v, self.cleaned_data[self.hours_field(v)])
            for v in self.volunteers
            if self.cleaned_data.get(self.hours_field(v))
        ]


class TimesMixin(forms.Form):
    """The time a service started and ended (both or neither): a worker's service
    hours (workforce.hours)."""

    starts_at = forms.TimeField(label=_("Starts at"), required=False, widget=TimeInput())
    ends_at = forms.TimeField(label=_("Ends at"), required=False, widget=TimeInput())

    def clean(self):
        data = super().clean()
        try:
            services.check_event_times(data.get("starts_at"), data.get("ends_at"))
        except ValidationError as error:
            add_errors(self, error)
        return data

    def times(self) -> dict:
        return {
            "starts_at": self.cleaned_data["starts_at"],
            "ends_at": self.cleaned_data["ends_at"],
        }


class EventForm(TimesMixin, PeopleForm):
    """Record a service: a community activity, home visit, consultation or
    pre-meal activity under a project of this year's plan."""

    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=RECORDABLE_KINDS)
    held_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    title = forms.CharField(label=_("Title"), max_length=150)
    headcount = forms.IntegerField(
        label=_("Head-count"),
        required=False,
        initial=0,
        help_text=_("People counted without names (community activities only)."),
    )

    point = forms.ModelChoiceField(
        label=_("Service point"),
        queryset=None,
        required=False,
        empty_label=_("Station (no service point)"),
    )

    field_order = [
        "project",
        "kind",
        "held_on",
        "starts_at",
        "ends_at",
        "title",
        "point",
        "headcount",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["project"].queryset = selectors.recording_projects(user)
        self.fields["point"].queryset = selectors.station_points(user)
        self.fields["workers"].initial = [user.pk]

    def clean_headcount(self) -> int:
        return self.cleaned_data.get("headcount") or 0

    # The kind when the form has no kind field (a pre-meal activity's form).
    fixed_kind: str | None = None

    def record(self, actor):
        """Record the valid form through delivery's one service for events."""
        data = self.cleaned_data
        return services.service_event_record(
            actor=actor,
            project=data["project"],
            kind=self.fixed_kind or data["kind"],
            held_on=data["held_on"],
            title=data["title"],
            attendees=list(data["attendees"]),
            headcount=data["headcount"],
            workers=list(data["workers"]),
            volunteers=self.volunteer_hours(),
            party_members=list(data["party_members"]),
            point=data.get("point"),
            **self.times(),
        )


class AttendanceForm(TickedMixin, forms.Form):
    """Correct who attended an event (and its head-count, where it may have one)."""

    attendees = ResidentsField(queryset=None, label=_("Attendance"))
    headcount = forms.IntegerField(label=_("Head-count"), required=False, initial=0)

    def __init__(self, *args, user, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = selectors.station_residents(user)
        if event.kind not in HEADCOUNT_KINDS:
            del self.fields["headcount"]

    def clean_headcount(self) -> int:
        return self.cleaned_data.get("headcount") or 0


class GroupForm(TickedMixin, forms.Form):
    ticked_field = "members"

    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    name = forms.CharField(label=_("Group name"), max_length=100)
    planned_sessions = forms.IntegerField(label=_("Planned sessions"), initial=6)
    members = ResidentsField(queryset=None, label=_("Members"))
    leaders = forms.ModelMultipleChoiceField(
        label=_("Group leaders"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    point = forms.ModelChoiceField(
        label=_("Service point"),
        queryset=None,
        required=False,
        empty_label=_("Station (no service point)"),
    )
    uses_stages = forms.BooleanField(
        label=_("Follows the group work stages (MZ/T 095-2017)"),
        required=False,
        help_text=_("Session plans per stage; evaluated before it is closed."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = selectors.recording_projects(user)
        self.fields["point"].queryset = selectors.station_points(user)
        self.fields["members"].queryset = selectors.station_residents(user)
        self.fields["leaders"].queryset = selectors.station_workers(user)
        self.fields["leaders"].initial = [user.pk]


class SessionForm(TimesMixin, PeopleForm):
    """One session of a group: its members' attendance ticked in one screen, plus
    anyone who came without being a member."""

    held_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        required=False,
        help_text=_("Leave blank for the group's name and the session number."),
    )

    field_order = ["held_on", "starts_at", "ends_at", "title"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # A session is led by the group's leaders (group_session_record).
        del self.fields["workers"]


class ConfirmForm(forms.Form):
    """Carries a confirmation (e.g. of a deletion) and the service's refusal, if any."""


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=GroupStage.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to go back to an earlier stage."),
    )


class SessionPlanForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=GroupStage.choices)
    planned_on = forms.DateField(label=_("Planned date"), widget=DateInput())
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 2}))
    activities = forms.CharField(label=_("Activities"), widget=forms.Textarea(attrs={"rows": 2}))


class PlanLinkForm(forms.Form):
    event = forms.ModelChoiceField(label=_("Session held"), queryset=None)

    def __init__(self, *args, group, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = selectors.group_sessions(user, group)
        self.fields["event"].label_from_instance = lambda e: f"{e.session_number} · {e.held_on}"


class GroupEvaluationForm(forms.Form):
    evaluated_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    goals_attained = forms.ChoiceField(label=_("Goals attained"), choices=GoalsAttained.choices)
    member_feedback = forms.CharField(
        label=_("Members' feedback"), widget=forms.Textarea(attrs={"rows": 3})
    )
    score = forms.IntegerField(label=_("Score (1–10)"), min_value=1, max_value=10)


class GroupCloseForm(forms.Form):
    closed_on = forms.DateField(
        label=_("Closed on"), widget=DateInput(), initial=timezone.localdate
    )
