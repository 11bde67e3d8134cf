"""Forms for the case steps, observations, alerts and alert rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shegong.accounts.models import User
from shegong.cases.models import (
    GENERAL_SERVICE_TYPES,
    PRIORITY_SERVICE_TYPES,
    WORK,
    AlertKind,
    Case,
    CaseOutcome,
    CaseSource,
    ContactMethod,
    ObservationSource,
    RiskLevel,
    ServiceType,
)
from shegong.core.documents import DocumentForm
from shegong.core.forms import DateInput
from shegong.core.models import Domain
from shegong.core.scope import roles_for
from shegong.org.models import Station


class VersionedForm(forms.Form):
    """Carries the case version the user saw, for the optimistic lock."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class OpenCaseForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    source = forms.ChoiceField(label=_("Source"), choices=CaseSource.choices)
    opened_on = forms.DateField(
        label=_("Intake date"), widget=DateInput(), initial=timezone.localdate
    )


class AssessForm(VersionedForm):
    assessed_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    needs = forms.CharField(label=_("Needs"), widget=forms.Textarea(attrs={"rows": 3}))
    strengths = forms.CharField(
        label=_("Strengths and resources"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)


class PlanForm(VersionedForm):
    planned_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 3}))
    review_due_on = forms.DateField(label=_("Review due on"), widget=DateInput())


def _service_type_choices() -> list:
    """The service types grouped by the clients they are for (重点 / 一般服务对象)."""
    return [
        (
            _("For priority clients"),
            [(v, label) for v, label in ServiceType.choices if v in PRIORITY_SERVICE_TYPES],
        ),
        (
            _("For general clients"),
            [(v, label) for v, label in ServiceType.choices if v in GENERAL_SERVICE_TYPES],
        ),
    ]


class NoteForm(VersionedForm):
    happened_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    method = forms.ChoiceField(label=_("Method"), choices=ContactMethod.choices)
    service_type = forms.ChoiceField(label=_("Service type"), choices=_service_type_choices)
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))


class ReviewForm(VersionedForm):
    reviewed_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    progress = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    next_review_on = forms.DateField(label=_("Next review on"), widget=DateInput(), required=False)


class ReferForm(VersionedForm):
    referred_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    to_station = forms.ModelChoiceField(
        label=_("To station"), queryset=Station.objects.filter(is_active=True), required=False
    )
    to_organisation = forms.CharField(label=_("Or to organisation"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(VersionedForm):
    closed_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CaseOutcome.choices)
    summary = forms.CharField(
        label=_("Closing summary"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReopenForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(VersionedForm):
    workers = forms.ModelMultipleChoiceField(
        label=_("Assigned workers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = User.objects.filter(
            station=station,
            is_active=True,
            # The roles that work on case files (the case's scope).
            role__in=roles_for(Case.scope, WORK),
        ).order_by("role", "username")


class ObservationForm(forms.Form):
    observed_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    source = forms.ChoiceField(label=_("Source"), choices=ObservationSource.choices)
    text = forms.CharField(label=_("Observation"), widget=forms.Textarea(attrs={"rows": 2}))
    crisis = forms.BooleanField(label=_("Crisis: needs attention now"), required=False)


class ResolveForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))


class AlertRuleForm(forms.Form):
    kind = forms.ChoiceField(choices=AlertKind.choices, widget=forms.HiddenInput)
    threshold_days = forms.IntegerField(label=_("Days"), min_value=0, max_value=365)
    enabled = forms.BooleanField(label=_("Enabled"), required=False)


class LibraryCaseForm(forms.Form):
    """The anonymised write-up of an excellent case 优秀案例."""

    title = forms.CharField(label=_("Title"), max_length=120)
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    background = forms.CharField(label=_("Background"), widget=forms.Textarea(attrs={"rows": 4}))
    assessment = forms.CharField(label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 4}))
    intervention = forms.CharField(
        label=_("Intervention"), widget=forms.Textarea(attrs={"rows": 5})
    )
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))
    reflection = forms.CharField(label=_("Reflection"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LibraryReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"), widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SignoffDecisionForm(forms.Form):
    """Approve or return a step waiting for sign-off; a return needs its comment
    (the service says so)."""

    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SignoffSettingForm(forms.Form):
    high_risk_assessment = forms.BooleanField(
        label=_("Assessment of a high-risk case"), required=False
    )
    service_plan = forms.BooleanField(label=_("Service plan"), required=False)
    closure = forms.BooleanField(label=_("Closure"), required=False)


class ResidentDocumentForm(DocumentForm):
    """A document attached from the resident's page: to one of their cases the
    user works on (a document is the content of a case, read by its readers)."""

    case = forms.ModelChoiceField(label=_("Case"), queryset=Case.objects.none())

    field_order = ["case", "kind", "title", "file"]

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda case: (
            f"{case.number} · {case.get_domain_display()}"
        )


class InstrumentScoreForm(VersionedForm):
    """One administration of a scored tool: a date and one score per item,
    each chosen among the item's allowed scores."""

    administered_on = forms.DateField(
        label=_("Date"), widget=DateInput(), initial=timezone.localdate
    )

    def __init__(self, *args, instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            self.fields[f"item_{item['key']}"] = forms.TypedChoiceField(
                label=gettext(item["label"]),
                coerce=int,
                choices=[("", "—")]
                + [
                    (option["score"], f"{option['score']} · {gettext(option['label'])}")
                    for option in item["options"]
                ],
            )

    def answers(self) -> dict[str, int]:
        return {
            item["key"]: self.cleaned_data[f"item_{item['key']}"] for item in self.instrument.items
        }
