from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import Tag
from shegong.community.meal_models import FunderLevel
from shegong.core.forms import DateInput
from shegong.org.models import Community
from shegong.privacy.models import ExportKind, RequestKind
from shegong.rosters.models import RosterCategory
from shegong.surveys.models import Survey


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Request"), choices=RequestKind.choices)
    requested_by = forms.CharField(
        label=_("Requested by"),
        max_length=50,
        help_text=_("The resident, or the guardian or agent who asks for them."),
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=DateInput(), initial=timezone.localdate
    )
    detail = forms.CharField(label=_("What is asked"), widget=forms.Textarea(), required=False)


class AnswerForm(forms.Form):
    outcome = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))
    refuse = forms.BooleanField(
        label=_("Refuse the request (give the reason in the answer)"), required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("What is the file for?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with the export and printed on the file."),
    )


class ExportForm(ReasonForm):
    """The filters of every kind in one form; the kind's own check reads those it uses."""

    kind = forms.ChoiceField(label=_("What to export"))
    community = forms.ChoiceField(label=_("Community"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    category = forms.ChoiceField(label=_("Roster category"), required=False)
    survey = forms.ChoiceField(label=_("Survey"), required=False)
    month = forms.CharField(
        label=_("Month (meal settlement)"),
        required=False,
        max_length=7,
        help_text=_("YYYY-MM, e.g. 2026-11."),
    )
    funder = forms.ChoiceField(
        label=_("Funder (meal settlement)"),
        required=False,
        choices=[("", "—"), *FunderLevel.choices],
    )
    field_order = ["kind", "community", "tag", "category", "survey", "month", "funder", "reason"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        anyone = [("", _("All"))]
        self.fields["kind"].choices = [
            (k, label) for k, label in ExportKind.choices if k != ExportKind.CASE_FILE
        ]
        station = getattr(user, "station", None)
        communities = (
            Community.objects.filter(street_id=station.street_id).order_by("name")
            if station
            else []
        )
        self.fields["community"].choices = anyone + [(c.pk, c.name) for c in communities]
        self.fields["tag"].choices = anyone + list(Tag.choices)
        self.fields["category"].choices = anyone + [
            (c.pk, c.name) for c in RosterCategory.objects.order_by("order", "pk")
        ]
        surveys = Survey.objects.visible_to(user).filter(is_template=False).order_by("-pk")[:50]
        self.fields["survey"].choices = [("", "—")] + [(s.pk, s.title) for s in surveys]


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when refusing."),
    )
