from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import DateInput
from shegong.privacy.models import RequestKind


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
