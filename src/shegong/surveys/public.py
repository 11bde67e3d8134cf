"""The public answering pages (/s/<token>/): no log-in, on a phone. Anonymous
unless the resident leaves contact details; protected against spam and replays
as described in `surveys.antispam`."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shegong.core.forms import add_errors
from shegong.core.http import client_ip
from shegong.surveys import antispam, services
from shegong.surveys.forms import AnswerForm
from shegong.surveys.models import Survey, SurveyStatus

DEVICE_COOKIE_AGE = 365 * 24 * 3600


def _survey(token: str) -> Survey:
    survey = (
        Survey.objects.filter(token=token, is_template=False)
        .select_related("station__street")
        .first()
    )
    if survey is None or survey.status == SurveyStatus.DRAFT:
        raise Http404(_("No such survey."))
    return survey


def _refused(request, survey: Survey, message: str, status: int):
    return render(
        request,
        "surveys/public/refused.html",
        {"survey": survey, "message": message},
        status=status,
    )


def _render_form(request, survey: Survey, form: AnswerForm, device: str, status: int = 200):
    token = antispam.issue_token(survey.pk, device)
    if form.is_bound:
        # A fresh one-time token for the next attempt.
        form.data = form.data.copy()
        form.data["token"] = token
    else:
        form.initial["token"] = token
    response = render(
        request,
        "surveys/public/answer.html",
        {"survey": survey, "form": form, "honeypot": antispam.HONEYPOT_FIELD},
        status=status,
    )
    response.set_cookie(
        antispam.DEVICE_COOKIE,
        antispam.sign_device(device),
        max_age=DEVICE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    survey = _survey(token)
    if survey.status != SurveyStatus.PUBLISHED:
        newer = survey.next_versions.filter(status=SurveyStatus.PUBLISHED).first()
        if newer is not None:
            return redirect("surveys-public:answer", token=newer.token)
        return render(request, "surveys/public/closed.html", {"survey": survey}, status=410)
    device = antispam.read_device(request.COOKIES.get(antispam.DEVICE_COOKIE))
    device = device or antispam.new_device_id()
    if request.method == "GET":
        return _render_form(request, survey, AnswerForm(survey=survey), device)

    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > antispam.setting("SURVEYS_MAX_REQUEST_BYTES"):
        return _refused(request, survey, _("The answers are too long to be accepted."), 413)
    try:
        data = request.POST
    except (RequestDataTooBig, TooManyFieldsSent):
        return _refused(request, survey, _("The answers are too long to be accepted."), 413)
    ip = client_ip(request)
    try:
        if data.get(antispam.HONEYPOT_FIELD):
            raise antispam.Refused(_("The submission was refused."), 400)
        form_token = antispam.check_token(data.get("token", ""), survey.pk)
        taken = antispam.rate_take(survey.pk, ip, form_token.device)
    except antispam.Refused as refused:
        return _refused(request, survey, refused.message, refused.status)
    saved = False
    try:
        response, saved = _submit(request, survey, data, form_token)
    finally:
        if not saved:  # an invalid form, a replay, a closed survey, an error
            antispam.rate_give_back(taken)
    return response


def _submit(request, survey: Survey, data, form_token: antispam.FormToken):
    """The response to a submission that passed the gates, and whether it was saved."""
    form = AnswerForm(data, survey=survey)
    if form.is_valid():
        try:
            services.response_submit(
                survey=survey,
                answers=form.answers(),
                nonce=form_token.nonce,
                contact_name=form.cleaned_data["contact_name"],
                contact_phone=form.cleaned_data["contact_phone"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "replay":
                return _refused(request, survey, error.messages[0], 409), False
            if getattr(error, "code", None) == "closed":
                page = render(request, "surveys/public/closed.html", {"survey": survey}, status=410)
                return page, False
            add_errors(form, error)
        else:
            return redirect(reverse("surveys-public:thanks", args=[survey.token])), True
    return _render_form(request, survey, form, form_token.device, status=400), False


@require_http_methods(["GET"])
def thanks(request, token: str):
    return render(request, "surveys/public/thanks.html", {"survey": _survey(token)})
