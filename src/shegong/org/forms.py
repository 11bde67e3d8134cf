"""Forms of the organisation pages: a station's service points 社工点."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from shegong.core.forms import DateInput
from shegong.core.roles import STAFF_ROLES
from shegong.org.models import Community, Station


class ServicePointForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=100)
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.none(), required=False
    )
    opened_on = forms.DateField(label=_("Opened on"), widget=DateInput(), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    staff = forms.ModelMultipleChoiceField(
        label=_("Staff"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, station: Station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.filter(
            street_id=station.street_id
        ).order_by("name")
        # The user model by Django's indirection: accounts stands above org.
        self.fields["staff"].queryset = (
            get_user_model()
            .objects.filter(station=station, is_active=True, role__in=STAFF_ROLES)
            .order_by("role", "username")
        )
