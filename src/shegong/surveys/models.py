"""Needs and satisfaction surveys (居民服务需求调查 / 满意度调查).

A `Survey` belongs to a station (or, as a city-wide template, to a city). Its
`Question`s (single choice, multiple choice, rating 1–5, free text) can be edited
only while it is a draft; once published, editing makes a new draft version
(`Survey.previous`) and the old version keeps its own responses. Residents answer
without logging in; a `Response` and its `Answer`s are never changed afterwards:
the models refuse a second save and any delete.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import STATION_STAFF
from shegong.core.models import Domain, TimeStampedModel
from shegong.core.roles import Role
from shegong.core.scope import CHANGE, STAFF_WORK, Scope, ScopedQuerySet, station_scope

# Survey editors: the station director for the station's surveys, the city officer
# for city-wide templates (`edit_action` names which one applies to a survey).
SURVEY_EDITORS = frozenset({Role.STATION_DIRECTOR, Role.CITY_OFFICER})
# The scope actions of editing a station's survey (its director) and a city-wide
# template (a city officer of the city).
EDIT = "edit"
EDIT_TEMPLATE = "edit_template"
TEXT_MAX_LENGTH = 1000


class SurveyKind(models.TextChoices):
    NEEDS = "needs", _("Residents' needs survey")
    SATISFACTION = "satisfaction", _("Satisfaction survey")
    OTHER = "other", _("Other survey")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Survey(TimeStampedModel):
    """A questionnaire of one station, in one version."""

    station = models.ForeignKey(
        "org.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("station"),
    )
    # Set only on city-wide templates (station empty): every station of the city
    # can start a survey from them.
    city = models.ForeignKey(
        "org.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("city"),
    )
    is_template = models.BooleanField(_("city-wide template"), default=False)
    # The built-in templates are found again by this key (idempotent set-up).
    template_key = models.CharField(max_length=30, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=SurveyKind.choices)
    title = models.CharField(_("title"), max_length=100)
    introduction = models.TextField(_("introduction"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("previous version"),
        editable=False,
    )
    # The public link's secret part: 256 random bits, unguessable.
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city=("station__street__district__city", "city"),
        district="station__street__district",
        agency="station__agency",
        station=("station", "city__districts__streets__stations"),
        change_roles=SURVEY_EDITORS,
        create_roles=SURVEY_EDITORS,
        acts={
            EDIT: frozenset({Role.STATION_DIRECTOR}),
            EDIT_TEMPLATE: frozenset({Role.CITY_OFFICER}),
        },
        # Superusers edit the city's templates but create no survey (a new one
        # is a station director's or a city officer's).
        superuser_acts=frozenset({CHANGE, EDIT_TEMPLATE}),
        distinct=True,
    )

    def edit_action(self) -> str:
        """The scope action of editing this survey: a template is the city's."""
        return EDIT_TEMPLATE if self.is_template else EDIT

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(is_template=True, station__isnull=True, city__isnull=False))
                | Q(is_template=False, station__isnull=False),
                name="survey_station_or_city_template",
                violation_error_message=_(
                    "A survey belongs to a station; a template belongs to the city."
                ),
            ),
            models.UniqueConstraint(
                fields=["city", "template_key"],
                condition=~Q(template_key=""),
                name="survey_one_builtin_template_per_city",
            ),
        ]
        indexes = [models.Index(fields=["station", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_editable(self) -> bool:
        return self.status == SurveyStatus.DRAFT


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RATING = "rating", _("Rating 1–5")
    TEXT = "text", _("Free text")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
RATING_VALUES = range(1, 6)
# A rating of 4 (satisfied) or 5 (very satisfied) counts as satisfied.
SATISFIED_FROM = 4


class Question(TimeStampedModel):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Consecutive questions with the same section heading form one section.
    section = models.CharField(_("section"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("explanation"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city=("survey__station__street__district__city", "survey__city"),
        district="survey__station__street__district",
        agency="survey__station__agency",
        station=("survey__station", "survey__city__districts__streets__stations"),
        change_roles=SURVEY_EDITORS,
        create_roles=SURVEY_EDITORS,
        distinct=True,
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    """A choice of a single- or multiple-choice question. In a needs survey each
    option is a need, counted in one statistical domain (e.g. 邻里互助 → family)."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("option"), max_length=100)
    domain = models.CharField(
        _("statistical domain"), max_length=10, choices=Domain.choices, blank=True
    )

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city=("question__survey__station__street__district__city", "question__survey__city"),
        district="question__survey__station__street__district",
        agency="question__survey__station__agency",
        station=(
            "question__survey__station",
            "question__survey__city__districts__streets__stations",
        ),
        change_roles=SURVEY_EDITORS,
        create_roles=SURVEY_EDITORS,
        distinct=True,
    )

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class ResponseSource(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper questionnaire")


class ImmutableRecord(models.Model):
    """A record written once and never changed or deleted by anyone (a resident's
    answers). The refusal is in the model so that no path can get round it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A survey response cannot be changed once submitted."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A survey response cannot be deleted."))


class Response(ImmutableRecord):
    """One resident's filled-in questionnaire (答卷): anonymous unless the
    resident chose to leave a name or phone number."""

    survey = models.ForeignKey(
        Survey, on_delete=models.PROTECT, related_name="responses", verbose_name=_("survey")
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    # The day the questionnaire was filled in (for paper, the date on the paper):
    # the year of a satisfaction rate is the year of this date.
    answered_on = models.DateField(_("answered on"), db_index=True)
    source = models.CharField(
        _("source"), max_length=8, choices=ResponseSource.choices, default=ResponseSource.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    contact_name = models.CharField(_("name"), max_length=30, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=11, blank=True)
    # The one-time token of the form the answers came from: unique, so a replay of
    # the same submission is refused by the database itself.
    form_nonce = models.CharField(max_length=32, null=True, blank=True, unique=True)

    objects = ScopedQuerySet.as_manager()
    # The station's own staff enter paper questionnaires; superusers only read.
    scope = station_scope("survey", create_roles=STATION_STAFF, superuser_acts=STAFF_WORK)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source="online", entered_by__isnull=True)
                | Q(source="paper", entered_by__isnull=False),
                name="response_paper_has_enterer",
                violation_error_message=_("A paper response records who entered it."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Answer(ImmutableRecord):
    """One answer of a response: a chosen option (one row per option for multiple
    choice), a rating 1–5 or a text."""

    response = models.ForeignKey(
        Response, on_delete=models.PROTECT, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    option = models.ForeignKey(
        Option,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("option"),
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=TEXT_MAX_LENGTH)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope("response__survey")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response", "question", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="answer_rating_1_to_5",
                violation_error_message=_("A rating is from 1 to 5."),
            )
        ]
        indexes = [models.Index(fields=["question", "rating"])]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.option_id or self.rating or self.text[:20]}"
