"""Forms of the calendar pages; the rules are agenda.services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.accounts.models import User
from shegong.agenda.models import Appointment, AppointmentKind, PlannedKind, PlannedService
from shegong.clients.models import Resident
from shegong.core.scope import CREATE, may
from shegong.delivery.models import Group


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AppointmentForm(forms.Form):
    client = forms.ModelChoiceField(label=_("Client"), queryset=Resident.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=AppointmentKind.choices, initial=AppointmentKind.MEETING
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=100,
        help_text=Appointment._meta.get_field("purpose").help_text,
    )
    worker = forms.ModelChoiceField(label=_("Social worker"), queryset=User.objects.none())
    confirm_overlap = forms.BooleanField(
        label=_("Book anyway, although the time overlaps"), required=False
    )

    def __init__(self, *args, user, station, **kwargs):
        super().__init__(*args, **kwargs)
        # The station's own residents only: another station's id is "not a choice".
        self.fields["client"].queryset = (
            Resident.objects.visible_to(user)
            .filter(station=station, merged_into__isnull=True)
            .only("pk", "name", "birth_date")
            .order_by("name", "pk")
        )
        self.fields["client"].label_from_instance = lambda r: (
            f"{r.name} ({r.birth_date:%Y})" if r.birth_date else r.name
        )
        # Those who may be booked: the station's staff whose role holds appointments.
        staff = User.objects.filter(station=station, is_active=True).order_by("full_name", "pk")
        self.fields["worker"].queryset = staff.filter(
            pk__in=[u.pk for u in staff if may(u, CREATE, Appointment)]
        )
        self.fields["worker"].initial = user.pk


class PlannedServiceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=PlannedKind.choices, initial=PlannedKind.GROUP_SESSION
    )
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=Group.objects.none(),
        required=False,
        help_text=_("For a group session: its next session is planned."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        required=False,
        help_text=_("For an activity; a group session is named after its group."),
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    workers = forms.ModelMultipleChoiceField(
        label=_("Social workers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked for a group session: its leaders."),
    )

    def __init__(self, *args, user, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = (
            Group.objects.visible_to(user).filter(station=station).order_by("name")
        )
        staff = User.objects.filter(station=station, is_active=True).order_by("full_name", "pk")
        self.fields["workers"].queryset = staff.filter(
            pk__in=[u.pk for u in staff if may(u, CREATE, PlannedService)]
        )
