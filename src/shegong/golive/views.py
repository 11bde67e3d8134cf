"""Pages of going live: the city's current organisation as a workbook, and an
imported account's activation link. The imports' pages are core.import_views
(golive.import_jobs)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shegong.core.forms import bootstrap
from shegong.core.replicas import reads_from_replica
from shegong.golive import import_jobs, org_import
from shegong.org.models import City


@reads_from_replica
@login_required
def org_export(request):
    org_import.require_org_import(request.user)
    city = City.objects.visible_to(request.user).first()
    if city is None:
        raise Http404(_("No city yet."))
    return import_jobs.org_workbook_response(city, "organisation")


def activate(request, token: str):
    """An imported account's one-time link: set the first password (Django's
    validators), then log in. A used, replaced or expired link answers 404."""
    from django.contrib import messages
    from django.contrib.auth.forms import SetPasswordForm

    from shegong.golive import staff_import

    record = staff_import.activation_find(token)
    if record is None:
        return render(request, "golive/activation_invalid.html", status=404)
    form = bootstrap(SetPasswordForm(record.user, request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            staff_import.activation_use(token=token, password=form.cleaned_data["new_password1"])
        except ValidationError:
            return render(request, "golive/activation_invalid.html", status=404)
        messages.success(request, _("Your password is set. Log in with it."))
        return redirect("accounts:login")
    return render(
        request,
        "golive/activate.html",
        {"form": form, "account": record.user},
        status=400 if request.method == "POST" else 200,
    )
