"""Forms of the survey pages: the builder, and the answer form that both the
public page and the paper entry use (built from the survey's questions)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import DateInput
from shegong.core.models import Domain
from shegong.surveys.antispam import HONEYPOT_FIELD
from shegong.surveys.models import (
    TEXT_MAX_LENGTH,
    QuestionKind,
    Survey,
    SurveyKind,
)


class SurveyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SurveyKind.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    introduction = forms.CharField(
        label=_("Introduction"),
        help_text=_("Shown to residents above the questions."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class FromTemplateForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=Survey.objects.none(), empty_label=None
    )

    def __init__(self, *args, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = (
            templates if templates is not None else Survey.objects.none()
        )


def _domain_of(text: str) -> str | None:
    text = text.strip().lower()
    if not text:
        return ""
    for value, label in Domain.choices:
        if text in (value, str(label).lower()):
            return value
    return None


class QuestionForm(forms.Form):
    section = forms.CharField(
        label=_("Section"),
        max_length=60,
        required=False,
        help_text=_("Questions with the same section heading are shown together."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=300)
    help_text = forms.CharField(label=_("Explanation"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    options = forms.CharField(
        label=_("Options"),
        help_text=_(
            "Choice questions: one option per line. To count an option as a need of a "
            "statistical domain, add “| domain”, e.g. “邻里互助 | 家庭”."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )

    @staticmethod
    def options_text(question) -> str:
        return "\n".join(
            f"{o.label} | {o.get_domain_display()}" if o.domain else o.label
            for o in question.options.all()
        )

    def clean_options(self) -> list[tuple[str, str]]:
        parsed = []
        for line in self.cleaned_data["options"].splitlines():
            label, _sep, domain_text = line.partition("|")
            if not label.strip():
                continue
            domain = _domain_of(domain_text)
            if domain is None:
                raise forms.ValidationError(
                    _("Unknown statistical domain “%(domain)s”: use 家庭, 长者, 青少年 or 特色.")
                    % {"domain": domain_text.strip()}
                )
            parsed.append((label.strip(), domain))
        return parsed

    def values(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("section", "kind", "text", "help_text", "required", "options")}


class AnswerForm(forms.Form):
    """One field per question (`q<id>`), then the optional contact details. With
    `paper=True` (staff entering a paper questionnaire) it asks for the date on the
    paper; without, it carries the one-time token and the honeypot."""

    contact_name = forms.CharField(label=_("Your name (optional)"), max_length=30, required=False)
    contact_phone = forms.CharField(
        label=_("Mobile phone (optional)"),
        max_length=20,
        required=False,
        help_text=_("Leave it only if you would like the station to contact you."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, survey: Survey, paper: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = list(
            survey.questions.prefetch_related("options").order_by("position", "pk")
        )
        fields = {}
        for q in self.questions:
            fields[f"q{q.pk}"] = self._field(q)
        if paper:
            fields["answered_on"] = forms.DateField(
                label=_("Date on the questionnaire"), widget=DateInput()
            )
        else:
            fields["token"] = forms.CharField(widget=forms.HiddenInput, required=False)
            fields[HONEYPOT_FIELD] = forms.CharField(
                label=_("Leave this empty"),
                required=False,
                widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
            )
        self.fields = {**fields, **self.fields}
        # Styled here rather than by core.forms.bootstrap, which would give the
        # radio buttons the text-box class.
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                continue
            widget.attrs.setdefault("class", "form-control")

    @staticmethod
    def _field(q) -> forms.Field:
        common = {"label": q.text, "required": q.required, "help_text": q.help_text}
        choices = [(o.pk, o.label) for o in q.options.all()]
        if q.kind == QuestionKind.SINGLE:
            return forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                **common,
            )
        if q.kind == QuestionKind.MULTIPLE:
            return forms.TypedMultipleChoiceField(
                choices=choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                **common,
            )
        if q.kind == QuestionKind.RATING:
            return forms.TypedChoiceField(
                choices=[(n, str(n)) for n in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                **common,
            )
        return forms.CharField(
            max_length=TEXT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX_LENGTH}),
            **common,
        )

    def sections(self) -> list[dict]:
        """The question fields grouped by consecutive section headings."""
        groups: list[dict] = []
        for q in self.questions:
            if not groups or groups[-1]["title"] != q.section:
                groups.append({"title": q.section, "fields": []})
            groups[-1]["fields"].append({"question": q, "field": self[f"q{q.pk}"]})
        return groups

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


class AttachPlanForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Annual plan"), queryset=None, empty_label=None)

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
