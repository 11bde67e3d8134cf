"""Forms of the workforce pages; the rules live in `workforce.services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import DateInput
from shegong.workforce.models import Post, Qualification, SupervisionKind


class ProfileForm(forms.Form):
    post = forms.ChoiceField(label=_("post"), choices=Post.choices)
    qualification = forms.ChoiceField(label=_("qualification"), choices=Qualification.choices)
    certificate_number = forms.CharField(
        label=_("certificate number"), max_length=40, required=False
    )
    certified_on = forms.DateField(label=_("certified on"), required=False, widget=DateInput())
    employed_since = forms.DateField(label=_("employed since"), widget=DateInput())
    left_on = forms.DateField(label=_("left on"), required=False, widget=DateInput())
    pay_grade = forms.IntegerField(
        label=_("pay grade"),
        min_value=1,
        max_value=10,
        initial=1,
        required=False,
        help_text=_("The grade in the city's pay table (薪级)."),
    )

    def clean_pay_grade(self) -> int:
        """Left empty: the grade stays as it was (1 for a new profile)."""
        return self.cleaned_data.get("pay_grade") or self.initial.get("pay_grade") or 1

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NewProfileForm(ProfileForm):
    user = forms.ModelChoiceField(label=_("staff member"), queryset=None)

    field_order = ["user"]

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        del self.fields["version"]


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("course"), max_length=150)
    provider = forms.CharField(label=_("provider"), max_length=100)
    held_on = forms.DateField(label=_("date"), widget=DateInput())
    hours = forms.DecimalField(label=_("hours"), max_digits=5, decimal_places=1)
    evidence = forms.CharField(
        label=_("evidence"),
        max_length=200,
        required=False,
        help_text=_("e.g. certificate of completion, sign-in sheet"),
    )


class SupervisionForm(forms.Form):
    supervisor = forms.CharField(label=_("supervisor"), max_length=50)
    held_on = forms.DateField(label=_("date"), widget=DateInput())
    hours = forms.DecimalField(label=_("hours"), max_digits=5, decimal_places=1)
    kind = forms.ChoiceField(label=_("kind"), choices=SupervisionKind.choices)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
