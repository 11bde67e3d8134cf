"""Writes of the surveys app: the questionnaire builder, publishing and versions,
the built-in templates, and responses (online and paper). One function per action;
each validates, then saves inside a transaction.

    draft ─publish→ published ─close→ closed
      ↑ (edits only here)  └─new version─→ a new draft (v+1); publishing it
      └──────────────────────────────────── closes the version it replaces
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.clients.identity import validate_mobile
from shegong.core.access import ensure_visible, require, require_at
from shegong.core.scope import CHANGE, CREATE, can, may
from shegong.org.models import City, Station
from shegong.plans.models import AnnualPlan, PlanStatus
from shegong.surveys.builtin import BUILTIN_TEMPLATES
from shegong.surveys.models import (
    CHOICE_KINDS,
    EDIT,
    EDIT_TEMPLATE,
    RATING_VALUES,
    TEXT_MAX_LENGTH,
    Answer,
    Option,
    Question,
    QuestionKind,
    Response,
    ResponseSource,
    Survey,
    SurveyKind,
    SurveyStatus,
)

OptionSpec = tuple[str, str]  # (label, domain or "")


def new_token() -> str:
    return secrets.token_urlsafe(32)


# --- Who may edit ---------------------------------------------------------------


def _require_editor(actor: User, survey: Survey) -> None:
    """The station's director edits the station's surveys; a city officer edits the
    city's templates (the survey scope's EDIT and EDIT_TEMPLATE)."""
    if survey.is_template:
        message = _("Only a city officer edits the city-wide templates.")
    else:
        message = _("Only the station director edits the station's surveys.")
    if not can(actor, survey.edit_action(), survey):
        raise PermissionDenied(message)


def _editable(actor: User, survey: Survey) -> Survey:
    ensure_visible(actor, survey)
    _require_editor(actor, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.is_editable:
        raise ValidationError(
            _(
                "A published survey's questions cannot be changed: make a new version "
                "and edit that."
            ),
            code="published",
        )
    return survey


# --- Surveys --------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *, actor: User, kind: str, title: str, introduction: str = "", station: Station | None = None
) -> Survey:
    """A new draft: at the director's station, or a city-wide template by a city
    officer."""
    if station is None and may(actor, CREATE, Survey) and may(actor, EDIT_TEMPLATE, Survey):
        survey = Survey(city=actor.city, is_template=True)
    else:
        station = station or actor.station
        if station is None or not (may(actor, CREATE, Survey) and may(actor, EDIT, Survey)):
            raise PermissionDenied(_("Only the station director creates the station's surveys."))
        survey = Survey(station=station)
    survey.kind, survey.title, survey.introduction = kind, title.strip(), introduction.strip()
    survey.token, survey.created_by = new_token(), actor
    survey.full_clean()
    survey.save()
    _require_editor(actor, survey)
    ensure_visible(actor, survey)
    return survey


@transaction.atomic
def survey_update(
    *, actor: User, survey: Survey, kind: str, title: str, introduction: str = ""
) -> Survey:
    survey = _editable(actor, survey)
    survey.kind, survey.title, survey.introduction = kind, title.strip(), introduction.strip()
    survey.full_clean()
    survey.save()
    return survey


def _copy_questions(source: Survey, target: Survey) -> None:
    questions = list(source.questions.prefetch_related("options").order_by("position", "pk"))
    copies = Question.objects.bulk_create(
        Question(
            survey=target,
            position=q.position,
            section=q.section,
            kind=q.kind,
            text=q.text,
            help_text=q.help_text,
            required=q.required,
        )
        for q in questions
    )
    Option.objects.bulk_create(
        Option(question=copy, position=o.position, label=o.label, domain=o.domain)
        for q, copy in zip(questions, copies, strict=True)
        for o in q.options.all()
    )


@transaction.atomic
def survey_create_from_template(
    *, actor: User, template: Survey, station: Station | None = None
) -> Survey:
    """A new draft at the director's station with the template's questions."""
    ensure_visible(actor, template)
    if not template.is_template:
        raise ValidationError(_("Choose a template."))
    survey = survey_create(
        actor=actor,
        kind=template.kind,
        title=template.title,
        introduction=template.introduction,
        station=station,
    )
    _copy_questions(template, survey)
    return survey


@transaction.atomic
def survey_new_version(*, actor: User, survey: Survey) -> Survey:
    """A new draft copied from a published (or closed) survey, to be edited. The old
    version keeps its responses and stays open until the new one is published."""
    ensure_visible(actor, survey)
    _require_editor(actor, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.is_editable:
        raise ValidationError(_("This survey is still a draft: edit it directly."))
    if survey.next_versions.filter(status=SurveyStatus.DRAFT).exists():
        raise ValidationError(_("A new version of this survey is already being drafted."))
    draft = Survey(
        station=survey.station,
        city=survey.city,
        is_template=survey.is_template,
        kind=survey.kind,
        title=survey.title,
        introduction=survey.introduction,
        version=survey.version + 1,
        previous=survey,
        token=new_token(),
        created_by=actor,
    )
    draft.full_clean()
    draft.save()
    _copy_questions(survey, draft)
    return draft


@transaction.atomic
def survey_publish(*, actor: User, survey: Survey) -> Survey:
    """Open the survey's public link. Its questions are frozen from now on; the
    version it replaces (if any) is closed, and that version's link forwards here."""
    survey = _editable(actor, survey)
    questions = list(survey.questions.prefetch_related("options"))
    if not questions:
        raise ValidationError(_("Add at least one question before publishing."))
    for question in questions:
        if question.kind in CHOICE_KINDS and len(question.options.all()) < 2:
            raise ValidationError(
                _("“%(question)s” needs at least two options.") % {"question": question.text}
            )
    now = timezone.now()
    survey.status, survey.published_at = SurveyStatus.PUBLISHED, now
    survey.save(update_fields=["status", "published_at", "updated_at"])
    if survey.previous_id:
        Survey.objects.filter(pk=survey.previous_id, status=SurveyStatus.PUBLISHED).update(
            status=SurveyStatus.CLOSED, closed_at=now
        )
    return survey


@transaction.atomic
def survey_close(*, actor: User, survey: Survey) -> Survey:
    ensure_visible(actor, survey)
    _require_editor(actor, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.PUBLISHED:
        raise ValidationError(_("Only a published survey can be closed."))
    survey.status, survey.closed_at = SurveyStatus.CLOSED, timezone.now()
    survey.save(update_fields=["status", "closed_at", "updated_at"])
    return survey


# --- Questions ------------------------------------------------------------------


def _clean_options(kind: str, options: Iterable[OptionSpec]) -> list[OptionSpec]:
    options = [(label.strip(), domain or "") for label, domain in options if label.strip()]
    if kind in CHOICE_KINDS:
        if len(options) < 2:
            raise ValidationError({"options": _("A choice question needs at least two options.")})
        labels = [label for label, _domain in options]
        if len(set(labels)) != len(labels):
            raise ValidationError({"options": _("Two options have the same text.")})
        return options
    if options:
        raise ValidationError({"options": _("Only choice questions have options.")})
    return []


def _save_options(question: Question, options: list[OptionSpec]) -> None:
    question.options.all().delete()
    built = [
        Option(question=question, position=n, label=label, domain=domain)
        for n, (label, domain) in enumerate(options, start=1)
    ]
    for option in built:
        option.full_clean(exclude=["question"])
    Option.objects.bulk_create(built)


@transaction.atomic
def question_add(
    *,
    actor: User,
    survey: Survey,
    kind: str,
    text: str,
    section: str = "",
    help_text: str = "",
    required: bool = True,
    options: Iterable[OptionSpec] = (),
) -> Question:
    survey = _editable(actor, survey)
    last = survey.questions.order_by("-position").values_list("position", flat=True).first()
    question = Question(
        survey=survey,
        position=(last or 0) + 1,
        kind=kind,
        text=text.strip(),
        section=section.strip(),
        help_text=help_text.strip(),
        required=required,
    )
    question.full_clean()
    cleaned = _clean_options(kind, options)
    question.save()
    _save_options(question, cleaned)
    return question


@transaction.atomic
def question_update(
    *,
    actor: User,
    question: Question,
    kind: str,
    text: str,
    section: str = "",
    help_text: str = "",
    required: bool = True,
    options: Iterable[OptionSpec] = (),
) -> Question:
    _editable(actor, question.survey)
    question = Question.objects.get(pk=question.pk)
    question.kind, question.text, question.section = kind, text.strip(), section.strip()
    question.help_text, question.required = help_text.strip(), required
    question.full_clean()
    cleaned = _clean_options(kind, options)
    question.save()
    _save_options(question, cleaned)
    return question


@transaction.atomic
def question_delete(*, actor: User, question: Question) -> None:
    _editable(actor, question.survey)
    question.delete()


@transaction.atomic
def question_move(*, actor: User, question: Question, up: bool) -> None:
    """Swap the question with its neighbour above (or below)."""
    survey = _editable(actor, question.survey)
    ordered = list(survey.questions.order_by("position", "pk"))
    index = next(n for n, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for n, q in enumerate(ordered, start=1):
        q.position = n
    Question.objects.bulk_update(ordered, ["position"])


# --- Built-in templates ---------------------------------------------------------


@transaction.atomic
def builtin_templates_ensure(*, city: City) -> list[Survey]:
    """The two built-in city-wide templates (居民服务需求调查, 满意度调查), created
    once per city. Idempotent: existing templates are left as they are."""
    made = []
    for key, spec in BUILTIN_TEMPLATES.items():
        template = Survey.objects.filter(city=city, template_key=key).first()
        if template is None:
            template = Survey(
                city=city,
                is_template=True,
                template_key=key,
                kind=spec["kind"],
                title=spec["title"],
                introduction=spec["introduction"],
                status=SurveyStatus.PUBLISHED,
                token=new_token(),
            )
            template.full_clean()
            template.save()
            for n, q in enumerate(spec["questions"], start=1):
                question = Question.objects.create(
                    survey=template,
                    position=n,
                    section=q.get("section", ""),
                    kind=q["kind"],
                    text=q["text"],
                    help_text=q.get("help_text", ""),
                    required=q.get("required", True),
                )
                _save_options(question, list(q.get("options", ())))
        made.append(template)
    return made


# --- Responses ------------------------------------------------------------------


def _clean_answers(survey: Survey, answers: Mapping[int, Any]) -> list[Answer]:
    """Answer rows from {question id: value}; value is an option id (single), a
    list of option ids (multiple), 1–5 (rating) or text. Raises ValidationError
    with the question id as the key of each problem."""
    rows: list[Answer] = []
    errors: dict[str, str] = {}
    for question in survey.questions.prefetch_related("options"):
        value = answers.get(question.pk)
        options = {o.pk: o for o in question.options.all()}
        key = f"q{question.pk}"
        if question.kind == QuestionKind.SINGLE:
            value = [value] if value not in (None, "") else []
        elif question.kind == QuestionKind.MULTIPLE:
            value = list(value or [])
        if value in (None, "", []):
            if question.required:
                errors[key] = _("Please answer this question.")
            continue
        if question.kind in CHOICE_KINDS:
            try:
                chosen = sorted({int(v) for v in value})
            except (TypeError, ValueError):
                chosen = [-1]
            if not set(chosen) <= set(options):
                errors[key] = _("Choose one of the options.")
                continue
            rows += [Answer(question=question, option=options[pk]) for pk in chosen]
        elif question.kind == QuestionKind.RATING:
            try:
                rating = int(value)
            except (TypeError, ValueError):
                rating = 0
            if rating not in RATING_VALUES:
                errors[key] = _("A rating is from 1 to 5.")
                continue
            rows.append(Answer(question=question, rating=rating))
        else:
            text = str(value).strip()
            if len(text) > TEXT_MAX_LENGTH:
                errors[key] = _("At most %(n)d characters, please.") % {"n": TEXT_MAX_LENGTH}
                continue
            if text:
                rows.append(Answer(question=question, text=text))
            elif question.required:
                errors[key] = _("Please answer this question.")
    if errors:
        raise ValidationError(errors)
    return rows


def _clean_contact(name: str, phone: str) -> tuple[str, str]:
    name, phone = (name or "").strip(), (phone or "").strip()
    errors = {}
    if len(name) > 30:
        errors["contact_name"] = _("At most %(n)d characters, please.") % {"n": 30}
    if phone:
        try:
            phone = validate_mobile(phone)
        except ValidationError as error:
            errors["contact_phone"] = error.messages
    if errors:
        raise ValidationError(errors)
    return name, phone


def _replay() -> ValidationError:
    return ValidationError(_("This form has already been submitted. Thank you!"), code="replay")


def _save_response(response: Response, rows: list[Answer]) -> Response:
    if response.form_nonce and Response.objects.filter(form_nonce=response.form_nonce).exists():
        raise _replay()
    response.full_clean(exclude=["form_nonce"])
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        # The unique form nonce: the same form was submitted at the same moment.
        raise _replay() from None
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    return response


@transaction.atomic
def response_submit(
    *,
    survey: Survey,
    answers: Mapping[int, Any],
    nonce: str,
    contact_name: str = "",
    contact_phone: str = "",
) -> Response:
    """A resident's online answers: anonymous (no user is stored) unless they left
    a name or phone number. `nonce` is the form's one-time token; a second
    submission with it is refused."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.PUBLISHED or survey.is_template:
        raise ValidationError(_("This survey is closed."), code="closed")
    rows = _clean_answers(survey, answers)
    name, phone = _clean_contact(contact_name, contact_phone)
    response = Response(
        survey=survey,
        answered_on=timezone.localdate(),
        source=ResponseSource.ONLINE,
        contact_name=name,
        contact_phone=phone,
        form_nonce=nonce,
    )
    return _save_response(response, rows)


@transaction.atomic
def response_enter_paper(
    *,
    actor: User,
    survey: Survey,
    answers: Mapping[int, Any],
    answered_on: datetime.date,
    contact_name: str = "",
    contact_phone: str = "",
) -> Response:
    """A paper questionnaire typed in by the station's staff (marked as paper, with
    who entered it)."""
    ensure_visible(actor, survey)
    survey = Survey.objects.get(pk=survey.pk)
    refused = _("Only the station's own staff enter paper questionnaires.")
    if survey.is_template:
        raise PermissionDenied(refused)
    # The response's create at the survey's station: its own staff.
    require_at(actor, CREATE, Response, survey.station, message=refused)
    if survey.status == SurveyStatus.DRAFT:
        raise ValidationError(_("Publish the survey before entering responses."))
    if answered_on > timezone.localdate():
        raise ValidationError({"answered_on": _("The date cannot be in the future.")})
    rows = _clean_answers(survey, answers)
    name, phone = _clean_contact(contact_name, contact_phone)
    response = Response(
        survey=survey,
        answered_on=answered_on,
        source=ResponseSource.PAPER,
        entered_by=actor,
        contact_name=name,
        contact_phone=phone,
    )
    response = _save_response(response, rows)
    ensure_visible(actor, response)
    return response


# --- The plan's key project -------------------------------------------------------


@transaction.atomic
def plan_needs_survey_attach(*, actor: User, plan: AnnualPlan, survey: Survey | None) -> AnnualPlan:
    """Name the needs survey whose ranking is the reason for the plan's key project
    (or detach it with None). Same rules as editing the plan's reason."""
    ensure_visible(actor, plan)
    require(actor, CHANGE, plan, message=_("Only the station director drafts the station's plan."))
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ValidationError(_("A submitted or approved plan cannot be changed."))
    if survey is not None:
        ensure_visible(actor, survey)
        if survey.kind != SurveyKind.NEEDS or survey.station_id != plan.station_id:
            raise ValidationError(_("Choose a needs survey of the plan's station."))
        if survey.status == SurveyStatus.DRAFT:
            raise ValidationError(_("Choose a published needs survey."))
    plan.needs_survey = survey
    plan.version += 1
    plan.save(update_fields=["needs_survey", "version", "updated_at"])
    return plan
