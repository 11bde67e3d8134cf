"""Forms of the 113X plan pages: drafting, targets, submission and the decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.models import Domain
from shegong.plans.models import Metric, ProjectKind


class VersionedForm(forms.Form):
    """Carries the plan version the user saw, for the optimistic lock."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    key_need_reason = forms.CharField(
        label=_("Why this key project"),
        help_text=_("The needs-survey finding that makes this the most urgent need."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class PlanCopyForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the new plan"), min_value=2000, max_value=2100)


class PlanReasonForm(VersionedForm):
    key_need_reason = forms.CharField(
        label=_("Why this key project"),
        help_text=_("The needs-survey finding that makes this the most urgent need."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class TargetsForm(forms.Form):
    """One number per indicator; empty or 0 means no target for it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for metric, label in Metric.choices:
            self.fields[metric] = forms.IntegerField(
                label=label, min_value=0, required=False, widget=forms.NumberInput
            )

    def targets(self) -> dict[str, int]:
        return {metric: self.cleaned_data.get(metric) or 0 for metric in Metric.values}

    def target_fields(self) -> list:
        return [self[metric] for metric in Metric.values]

    def other_fields(self) -> list:
        return [bound for bound in self.visible_fields() if bound.name not in Metric.values]


class ProjectForm(TargetsForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectKind.choices)
    domain = forms.ChoiceField(
        label=_("Statistical domain"),
        choices=Domain.choices,
        help_text=_(
            "Where the project's person-times are counted. A basic project is for family, "
            "elderly or youth."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def project(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("kind", "domain", "name", "description")}
        return {**data, "targets": {k: v for k, v in self.targets().items() if v}}


class SubmitForm(VersionedForm):
    pass


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReturnForm(forms.Form):
    # Left optional here: the service refuses a return without a comment, with
    # its own message, on every path (web, API).
    comment = forms.CharField(
        label=_("What needs changing"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
