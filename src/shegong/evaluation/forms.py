"""Forms of the evaluation and inspection pages; the services decide the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.accounts.models import User
from shegong.core.forms import DateInput
from shegong.core.roles import Role
from shegong.core.scope import restrict
from shegong.evaluation import computed
from shegong.evaluation.models import (
    CheckItem,
    CheckResult,
    Method,
    RoundKind,
    Scorer,
    System,
    Veto,
)
from shegong.org.models import District, Station


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=RoundKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        help_text=_("Leave empty for a city-wide round."),
    )
    scoring_due_on = forms.DateField(
        label=_("Scoring deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    system = forms.ChoiceField(
        label=_("Indicator system"),
        choices=System.choices,
        initial=System.WEIGHTED,
        required=False,
    )
    standard_system = forms.BooleanField(
        label=_("Start from the standard indicator system"),
        required=False,
        initial=True,
        help_text=_(
            "Weighted groups: the five standard groups; points tree: the city's "
            "1000-point template."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = restrict(District.objects.order_by("code"), user)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Group"), max_length=50)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100)


class IndicatorForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"))
    name = forms.CharField(label=_("Indicator"), max_length=100)
    max_score = forms.DecimalField(
        label=_("Maximum score"), min_value=0.01, max_digits=6, decimal_places=2
    )
    weight = forms.IntegerField(label=_("Weight in group"), min_value=1, initial=1)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    computation = forms.ChoiceField(label=_("Computation"), required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.pk, g.name) for g in groups]
        self.fields["computation"].choices = [("", "—"), *computed.choices()]


class TreeGroupForm(forms.Form):
    """A first-level indicator (a branch) of a points tree."""

    name = forms.CharField(label=_("First-level indicator"), max_length=50)
    scorer = forms.ChoiceField(label=_("Scored by"), choices=Scorer.choices)


class TreeIndicatorForm(forms.Form):
    """A second- or third-level indicator of a points tree."""

    group = forms.ChoiceField(label=_("First-level indicator"))
    parent = forms.ChoiceField(
        label=_("Parent indicator"),
        required=False,
        help_text=_("Empty for a second-level indicator."),
    )
    name = forms.CharField(label=_("Indicator"), max_length=100)
    points = forms.DecimalField(label=_("Points"), min_value=0.01, max_digits=6, decimal_places=2)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    computation = forms.ChoiceField(label=_("Computation"), required=False)
    party_building = forms.BooleanField(label=_("Party building"), required=False)
    veto = forms.ChoiceField(label=_("Veto"), choices=Veto.choices, required=False)
    veto_cap = forms.DecimalField(
        label=_("Total capped at"), required=False, max_digits=7, decimal_places=2
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.pk, g.name) for g in groups]
        self.fields["parent"].choices = [("", "—")] + [
            (i.pk, f"{g.name} · {i.name}") for g in groups for i in g.tree if not i.parent_id
        ]
        self.fields["computation"].choices = [("", "—"), *computed.choices()]


class AssignForm(forms.Form):
    station = forms.ModelChoiceField(label=_("Station"), queryset=Station.objects.none())
    evaluator = forms.ModelChoiceField(label=_("Evaluator"), queryset=User.objects.none())

    def __init__(self, *args, round=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        stations = Station.objects.filter(is_active=True, street__district__city=round.city)
        if round.district_id:
            stations = stations.filter(street__district_id=round.district_id)
        self.fields["station"].queryset = restrict(stations.order_by("code"), user)
        self.fields["evaluator"].queryset = restrict(
            User.objects.filter(role=Role.EVALUATOR, is_active=True).order_by("username"), user
        )


class ScoreForm(forms.Form):
    score = forms.DecimalField(label=_("Score"), max_digits=6, decimal_places=2)
    note = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class InspectionForm(forms.Form):
    station = forms.ModelChoiceField(label=_("Station"), queryset=Station.objects.none())
    visited_on = forms.DateField(label=_("Visit date"), widget=DateInput())
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = restrict(
            Station.objects.filter(is_active=True).order_by("code"), user
        )
        for item, label in CheckItem.choices:
            self.fields[f"check_{item}"] = forms.ChoiceField(
                label=label, choices=CheckResult.choices, initial=CheckResult.PASS
            )
            self.fields[f"note_{item}"] = forms.CharField(
                label=_("Note"), required=False, max_length=200
            )

    def checks(self) -> dict[str, tuple[str, str]]:
        return {
            item: (self.cleaned_data[f"check_{item}"], self.cleaned_data[f"note_{item}"])
            for item in CheckItem.values
        }


class RectificationForm(forms.Form):
    description = forms.CharField(
        label=_("What to put right"), widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, inspection=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            station_id=inspection.station_id,
            role__in=(Role.STATION_DIRECTOR, Role.SOCIAL_WORKER),
            is_active=True,
        ).order_by("role", "username")


class RectificationSubmitForm(forms.Form):
    response = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence file"), required=False)


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Decision note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
