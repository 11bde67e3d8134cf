"""Dashboard, report and API filters: the period, the domain and the district."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.core.models import Domain
from shegong.org.models import District


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    month_from = forms.IntegerField(
        label=_("From month"), min_value=1, max_value=12, required=False
    )
    month_to = forms.IntegerField(label=_("To month"), min_value=1, max_value=12, required=False)
    domain = forms.ChoiceField(
        label=_("Domain"), choices=[("", _("All domains")), *Domain.choices], required=False
    )

    def clean(self):
        data = super().clean()
        data["year"] = data.get("year") or timezone.localdate().year
        data["month_from"] = data.get("month_from") or 1
        data["month_to"] = data.get("month_to") or 12
        data["domain"] = data.get("domain") or None
        if data["month_from"] > data["month_to"]:
            raise forms.ValidationError(_("The first month comes after the last month."))
        return data


class DashboardForm(PeriodForm):
    """The period and domain, and on the city page a district to narrow to (only
    the districts the viewer can see are choices)."""

    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("All districts"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.visible_to(user).order_by("code")
