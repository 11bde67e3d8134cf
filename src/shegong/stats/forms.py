"""Dashboard filters."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    month_from = forms.IntegerField(
        label=_("From month"), min_value=1, max_value=12, required=False
    )
    month_to = forms.IntegerField(label=_("To month"), min_value=1, max_value=12, required=False)

    def clean(self):
        data = super().clean()
        data["year"] = data.get("year") or timezone.localdate().year
        data["month_from"] = data.get("month_from") or 1
        data["month_to"] = data.get("month_to") or 12
        if data["month_from"] > data["month_to"]:
            raise forms.ValidationError(_("The first month comes after the last month."))
        return data
