"""Staff pages of the surveys app: the list, the questionnaire builder, publishing
and versions, the poster with its QR code, paper entry, results and the
satisfaction rates. Writes go through `surveys.services`."""

from __future__ import annotations

import base64
import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import get_visible_or_404, require, require_at
from shegong.core.forms import apply_service, bootstrap
from shegong.core.lists import Paginator
from shegong.core.pdf import pdf_response
from shegong.core.scope import CHANGE, CREATE, can, can_at, may
from shegong.org.models import Station
from shegong.plans.models import AnnualPlan, PlanStatus
from shegong.surveys import filtersets, forms, selectors, services
from shegong.surveys.models import (
    EDIT,
    EDIT_TEMPLATE,
    Question,
    Response,
    Survey,
    SurveyKind,
    SurveyStatus,
)

PAGE_SIZE = 50


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _is_station_staff_of(user, survey: Survey) -> bool:
    """The survey's station's own staff: those who create its responses (paper
    questionnaires) and so read the contacts respondents leave. A template has
    no station and no staff."""
    return survey.station is not None and can_at(user, CREATE, Response, survey.station)


def _may_edit(user, survey: Survey) -> bool:
    return can(user, survey.edit_action(), survey)


def _require_edit(user, survey: Survey) -> None:
    require(user, CHANGE, survey)
    require(
        user,
        survey.edit_action(),
        survey,
        message=_("You may view this survey but not change it."),
    )


def public_url(request, survey: Survey) -> str:
    return request.build_absolute_uri(reverse("surveys-public:answer", args=[survey.token]))


@login_required
def survey_list(request):
    user = request.user
    queryset = (
        selectors.visible_surveys(user)
        .filter(is_template=False)
        .annotate(response_count=Count("responses"))
        .order_by("-created_at", "-pk")
    )
    filterset = filtersets.SurveyFilterSet(request.GET or None, queryset=queryset, request=request)
    bootstrap(filterset.form)
    surveys = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    page = Paginator(surveys.select_related("station"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "surveys": page.object_list,
        "templates": selectors.visible_surveys(user).filter(is_template=True).order_by("title"),
        "may_create": may(user, CREATE, Survey),
    }
    return render(request, "surveys/survey_list.html", context)


@login_required
def survey_create(request):
    user = request.user
    require_at(
        user,
        CREATE,
        Survey,
        None,
        message=_("Only the station director creates the station's surveys."),
    )
    # A city officer creates the city's templates; a director the station's surveys.
    is_director = may(user, EDIT, Survey)
    if may(user, EDIT_TEMPLATE, Survey):
        city = user.city
    else:
        city = user.station.street.district.city if user.station_id else None
    if city is not None and not Survey.objects.filter(city=city).exclude(template_key="").exists():
        # The built-in templates appear with the first survey of the city (and by
        # `shegong survey_templates`); creating them is idempotent.
        services.builtin_templates_ensure(city=city)
    templates = Survey.objects.visible_to(user).filter(is_template=True).order_by("title")
    from_template = bootstrap(forms.FromTemplateForm(templates=templates))
    blank = bootstrap(forms.SurveyForm())
    if request.method == "POST":
        if "template" in request.POST and is_director:
            from_template = bootstrap(forms.FromTemplateForm(request.POST, templates=templates))
            if from_template.is_valid():
                survey = apply_service(
                    from_template,
                    lambda: services.survey_create_from_template(
                        actor=user, template=from_template.cleaned_data["template"]
                    ),
                )
                if survey is not None:
                    messages.success(request, _("The survey was created from the template."))
                    return redirect("surveys:detail", pk=survey.pk)
        else:
            blank = bootstrap(forms.SurveyForm(request.POST))
            if blank.is_valid():
                survey = apply_service(
                    blank, lambda: services.survey_create(actor=user, **blank.cleaned_data)
                )
                if survey is not None:
                    messages.success(request, _("The survey was created."))
                    return redirect("surveys:detail", pk=survey.pk)
    status = max(_status(from_template), _status(blank))
    context = {
        "from_template": from_template,
        "blank": blank,
        "is_director": is_director,
    }
    return render(request, "surveys/survey_create.html", context, status=status)


@login_required
def survey_detail(request, pk: int, *, question_form=None, survey_form=None, errors=None):
    user = request.user
    survey = get_visible_or_404(Survey.objects.select_related("station", "previous"), user, pk=pk)
    may_edit = _may_edit(user, survey)
    if survey_form is None:
        survey_form = bootstrap(
            forms.SurveyForm(
                initial={
                    "kind": survey.kind,
                    "title": survey.title,
                    "introduction": survey.introduction,
                }
            )
        )
    context = {
        "survey": survey,
        "questions": survey.questions.prefetch_related("options").order_by("position", "pk"),
        "may_edit": may_edit,
        "editing": may_edit and survey.is_editable,
        "question_form": question_form or bootstrap(forms.QuestionForm()),
        "survey_form": survey_form,
        "errors": errors or [],
        "response_count": survey.responses.count(),
        "newer": survey.next_versions.order_by("-version").first(),
        "public_url": public_url(request, survey)
        if survey.status == SurveyStatus.PUBLISHED
        else "",
        "may_enter_paper": _is_station_staff_of(user, survey)
        and survey.status != SurveyStatus.DRAFT,
    }
    bound = (question_form is not None and question_form.errors) or (
        survey_form is not None and survey_form.is_bound and survey_form.errors
    )
    return render(
        request, "surveys/survey_detail.html", context, status=400 if bound or errors else 200
    )


@login_required
@require_POST
def survey_edit(request, pk: int):
    user = request.user
    survey = get_visible_or_404(Survey, user, pk=pk)
    _require_edit(user, survey)
    form = bootstrap(forms.SurveyForm(request.POST))
    if form.is_valid() and apply_service(
        form, lambda: services.survey_update(actor=user, survey=survey, **form.cleaned_data)
    ):
        messages.success(request, _("Saved."))
        return redirect("surveys:detail", pk=survey.pk)
    return survey_detail(request, pk, survey_form=form)


@login_required
@require_POST
def question_add(request, pk: int):
    user = request.user
    survey = get_visible_or_404(Survey, user, pk=pk)
    _require_edit(user, survey)
    form = bootstrap(forms.QuestionForm(request.POST))
    if form.is_valid() and apply_service(
        form, lambda: services.question_add(actor=user, survey=survey, **form.values())
    ):
        messages.success(request, _("The question was added."))
        return redirect("surveys:detail", pk=survey.pk)
    return survey_detail(request, pk, question_form=form)


@login_required
def question_edit(request, pk: int):
    user = request.user
    question = get_visible_or_404(Question.objects.select_related("survey"), user, pk=pk)
    survey = question.survey
    _require_edit(user, survey)
    if request.method == "POST":
        form = bootstrap(forms.QuestionForm(request.POST))
        if form.is_valid() and apply_service(
            form, lambda: services.question_update(actor=user, question=question, **form.values())
        ):
            messages.success(request, _("Saved."))
            return redirect("surveys:detail", pk=survey.pk)
    else:
        form = bootstrap(
            forms.QuestionForm(
                initial={
                    "section": question.section,
                    "kind": question.kind,
                    "text": question.text,
                    "help_text": question.help_text,
                    "required": question.required,
                    "options": forms.QuestionForm.options_text(question),
                }
            )
        )
    context = {"survey": survey, "question": question, "form": form}
    return render(request, "surveys/question_edit.html", context, status=_status(form))


def _survey_action(request, pk: int, action, success: str, *, question: bool = False):
    user = request.user
    if question:
        obj = get_visible_or_404(Question.objects.select_related("survey"), user, pk=pk)
        survey = obj.survey
    else:
        obj = survey = get_visible_or_404(Survey, user, pk=pk)
    _require_edit(user, survey)
    try:
        result = action(user, obj)
    except ValidationError as error:
        return survey_detail(request, survey.pk, errors=error.messages)
    messages.success(request, success)
    target = result if isinstance(result, Survey) else survey
    return redirect("surveys:detail", pk=target.pk)


@login_required
@require_POST
def question_delete(request, pk: int):
    return _survey_action(
        request,
        pk,
        lambda user, q: services.question_delete(actor=user, question=q),
        _("The question was removed."),
        question=True,
    )


@login_required
@require_POST
def question_move(request, pk: int):
    up = request.POST.get("direction") != "down"
    return _survey_action(
        request,
        pk,
        lambda user, q: services.question_move(actor=user, question=q, up=up),
        _("The order was changed."),
        question=True,
    )


@login_required
@require_POST
def survey_publish(request, pk: int):
    return _survey_action(
        request,
        pk,
        lambda user, s: services.survey_publish(actor=user, survey=s),
        _("The survey is published: residents can answer it from its link or QR code."),
    )


@login_required
@require_POST
def survey_close(request, pk: int):
    return _survey_action(
        request,
        pk,
        lambda user, s: services.survey_close(actor=user, survey=s),
        _("The survey is closed: its link no longer takes answers."),
    )


@login_required
@require_POST
def survey_new_version(request, pk: int):
    return _survey_action(
        request,
        pk,
        lambda user, s: services.survey_new_version(actor=user, survey=s),
        _("A new draft version was made: edit it, then publish it to replace the old one."),
    )


# --- Poster and QR code ------------------------------------------------------------


def _published(request, pk: int) -> Survey:
    survey = get_visible_or_404(
        Survey.objects.select_related("station__street__district"), request.user, pk=pk
    )
    if survey.status != SurveyStatus.PUBLISHED or survey.is_template:
        raise Http404(_("The survey is not published."))
    return survey


@login_required
def survey_qr(request, pk: int):
    """The public link as a QR code PNG (segno)."""
    survey = _published(request, pk)
    buffer = io.BytesIO()
    segno.make_qr(public_url(request, survey), error="m").save(
        buffer, kind="png", scale=10, border=2
    )
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="survey-{survey.pk}-qr.png"'
    return response


@login_required
def survey_poster(request, pk: int):
    survey = _published(request, pk)
    context = {"survey": survey, "public_url": public_url(request, survey)}
    return render(request, "surveys/poster.html", context)


@login_required
def survey_poster_pdf(request, pk: int):
    """The poster as an A4 PDF, the QR code inline (nothing is fetched)."""
    survey = _published(request, pk)
    buffer = io.BytesIO()
    segno.make_qr(public_url(request, survey), error="m").save(
        buffer, kind="png", scale=10, border=2
    )
    context = {
        "survey": survey,
        "public_url": public_url(request, survey),
        "qr": "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode(),
    }
    return pdf_response(
        request,
        "surveys/poster_pdf.html",
        context,
        filename=f"survey-{survey.pk}-poster.pdf",
        title=survey.title,
    )


# --- Paper questionnaires ------------------------------------------------------------


@login_required
def survey_paper(request, pk: int):
    user = request.user
    survey = get_visible_or_404(Survey.objects.select_related("station"), user, pk=pk)
    if not _is_station_staff_of(user, survey):
        raise PermissionDenied(_("Only the station's own staff enter paper questionnaires."))
    if survey.status == SurveyStatus.DRAFT:
        raise PermissionDenied(_("Publish the survey before entering responses."))
    form = forms.AnswerForm(
        request.POST or None,
        survey=survey,
        paper=True,
        initial={"answered_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        saved = apply_service(
            form,
            lambda: services.response_enter_paper(
                actor=user,
                survey=survey,
                answers=form.answers(),
                answered_on=form.cleaned_data["answered_on"],
                contact_name=form.cleaned_data["contact_name"],
                contact_phone=form.cleaned_data["contact_phone"],
            ),
        )
        if saved is not None:
            messages.success(request, _("The paper questionnaire was entered. Next one:"))
            return redirect("surveys:paper", pk=survey.pk)
    context = {"survey": survey, "form": form, "count": survey.responses.count()}
    return render(request, "surveys/paper.html", context, status=_status(form))


# --- Results -------------------------------------------------------------------------


@login_required
def survey_results(request, pk: int):
    user = request.user
    survey = get_visible_or_404(Survey.objects.select_related("station"), user, pk=pk)
    results = selectors.survey_results(survey)
    context = {
        "survey": survey,
        "results": results,
        "charts": selectors.chart_data(results),
        "ranking": selectors.needs_ranking(survey) if survey.kind == SurveyKind.NEEDS else None,
        "show_contacts": _is_station_staff_of(user, survey),
    }
    if context["show_contacts"]:
        context["contacts"] = (
            survey.responses.exclude(contact_name="", contact_phone="")
            .order_by("-submitted_at", "-pk")
            .values("submitted_at", "contact_name", "contact_phone", "source")[:200]
        )
    if survey.kind == SurveyKind.NEEDS and _may_edit(user, survey) and not survey.is_template:
        plans = AnnualPlan.objects.visible_to(user).filter(
            station=survey.station, status__in=(PlanStatus.DRAFT, PlanStatus.RETURNED)
        )
        if plans.exists() and survey.status != SurveyStatus.DRAFT:
            context["attach_form"] = bootstrap(forms.AttachPlanForm(plans=plans))
        context["attached_plans"] = AnnualPlan.objects.visible_to(user).filter(needs_survey=survey)
    return render(request, "surveys/results.html", context)


@login_required
@require_POST
def survey_attach_plan(request, pk: int):
    user = request.user
    survey = get_visible_or_404(Survey, user, pk=pk)
    # Naming the needs survey changes a plan of the survey's station.
    refused = _("Only the station director drafts the station's plan.")
    if survey.station is None:
        raise PermissionDenied(refused)
    require_at(user, CHANGE, AnnualPlan, survey.station, message=refused)
    plans = AnnualPlan.objects.visible_to(user).filter(station=survey.station_id)
    form = forms.AttachPlanForm(request.POST, plans=plans)
    if not form.is_valid():
        messages.error(request, _("Choose an annual plan."))
        return redirect("surveys:results", pk=survey.pk)
    plan = form.cleaned_data["plan"]
    try:
        services.plan_needs_survey_attach(actor=user, plan=plan, survey=survey)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:results", pk=survey.pk)
    messages.success(request, _("The needs survey is now the reason of the plan's key project."))
    return redirect("plans:plan-detail", pk=plan.pk)


# --- Satisfaction ----------------------------------------------------------------------


def _year(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default


@login_required
def satisfaction(request):
    """Satisfaction rates of the stations the user can see: the whole, each district,
    each station, for a year against a baseline year."""
    user = request.user
    this_year = timezone.localdate().year
    year = _year(request.GET.get("year"), this_year)
    baseline = _year(request.GET.get("baseline"), year - 1)
    stations = Station.objects.visible_to(user)
    overview = selectors.satisfaction_overview(
        stations_queryset=stations, year=year, baseline_year=baseline, user=user
    )
    years = list(range(this_year, this_year - 10, -1))
    return render(
        request,
        "surveys/satisfaction.html",
        {"overview": overview, "years": years},
    )
