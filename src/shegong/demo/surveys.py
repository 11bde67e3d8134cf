"""Demo surveys: for every station a published residents' needs survey
(居民服务需求调查) for this year, and a satisfaction survey (满意度调查) answered
last year (version 1, closed) and this year (version 2, published), each with a
few dozen plausible responses. Satisfaction is around 85–90 % city-wide, varying
by station and a little higher this year.

Surveys are made through the services (from the built-in templates, published,
versioned); responses are written in bulk, as `surveys.services` would write them
from paper questionnaires. Deterministic (seeded per station) and idempotent: a
station that already has a survey is left alone.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from shegong.accounts.models import User
from shegong.core.bulk import refresh_statistics
from shegong.core.roles import Role
from shegong.org.models import City, Station
from shegong.plans.models import AnnualPlan
from shegong.surveys import services
from shegong.surveys.models import (
    Answer,
    Question,
    QuestionKind,
    Response,
    ResponseSource,
    Survey,
)

NEEDS_RESPONSES = 30
SATISFACTION_RESPONSES = 20
SUGGESTIONS = [
    "希望多开展长者活动。",
    "社工很耐心，谢谢！",
    "周末能否开放活动室？",
    "希望增加青少年暑期班。",
    "服务很好，继续加油。",
    "希望电梯加装能尽快推进。",
]


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _rating(rng: random.Random, satisfied: float) -> int:
    if rng.random() < satisfied:
        return 5 if rng.random() < 0.55 else 4
    return rng.choices([3, 2, 1], weights=[7, 2, 1])[0]


def _answers_needs(questions, rng, weights) -> list[Answer]:
    rows = []
    for q in questions:
        options = list(q.options.all())
        if q.kind == QuestionKind.SINGLE:
            rows.append(Answer(question=q, option=rng.choice(options)))
        elif q.kind == QuestionKind.MULTIPLE:
            if not q.required and rng.random() < 0.4:
                continue
            k = rng.choice([1, 1, 2, 2, 3])
            chosen = set()
            while len(chosen) < k:
                chosen.add(rng.choices(options, weights=[weights[o.pk] for o in options])[0])
            rows += [Answer(question=q, option=o) for o in sorted(chosen, key=lambda o: o.pk)]
        elif rng.random() < 0.2:
            rows.append(Answer(question=q, text=rng.choice(SUGGESTIONS)))
    return rows


def _answers_satisfaction(questions, rng, satisfied) -> list[Answer]:
    rows = []
    for q in questions:
        if q.kind == QuestionKind.RATING:
            rows.append(Answer(question=q, rating=_rating(rng, satisfied)))
        elif rng.random() < 0.25:
            rows.append(Answer(question=q, text=rng.choice(SUGGESTIONS)))
    return rows


def _responses(survey: Survey, count: int, make_answers, dates, worker: User) -> int:
    """`count` responses, about a third typed in from paper by `worker`."""
    questions = list(survey.questions.prefetch_related("options").order_by("position", "pk"))
    responses, answers = [], []
    for n in range(count):
        paper = n % 3 == 0
        responses.append(
            Response(
                survey=survey,
                answered_on=dates(),
                source=ResponseSource.PAPER if paper else ResponseSource.ONLINE,
                entered_by=worker if paper else None,
            )
        )
        answers.append(make_answers(questions))
    Response.objects.bulk_create(responses)
    rows = []
    for response, answer_rows in zip(responses, answers, strict=True):
        for row in answer_rows:
            row.response = response
            rows.append(row)
    Answer.objects.bulk_create(rows, batch_size=2000)
    return count


@transaction.atomic
def load_station_surveys(station: Station, templates: dict[str, Survey], seed: int) -> int:
    if Survey.objects.filter(station=station).exists():
        return 0
    director = User.objects.filter(station=station, role=Role.STATION_DIRECTOR).first()
    worker = User.objects.filter(station=station, role=Role.SOCIAL_WORKER).order_by("pk").first()
    if director is None or worker is None:
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    year_start = datetime.date(today.year, 1, 1)
    last_year = (datetime.date(today.year - 1, 9, 1), datetime.date(today.year - 1, 12, 31))
    written = 0

    needs = services.survey_create_from_template(actor=director, template=templates["needs"])
    needs = services.survey_publish(actor=director, survey=needs)
    options = Question.objects.filter(survey=needs).values_list("options__pk", "options__label")
    # Each street has its own needs; 邻里互助 and 长者照顾 are often near the top.
    weights = {
        pk: rng.uniform(1, 4) + (3 if label in ("邻里互助", "长者照顾") else 0)
        for pk, label in options
        if pk
    }
    written += _responses(
        needs,
        NEEDS_RESPONSES,
        lambda qs: _answers_needs(qs, rng, weights),
        lambda: _day(rng, year_start, today),
        worker,
    )
    # The demo's plans were approved before any survey existed; a director would
    # attach the survey while drafting (surveys.services.plan_needs_survey_attach).
    AnnualPlan.objects.filter(station=station, year=today.year, needs_survey=None).update(
        needs_survey=needs
    )

    satisfied = rng.uniform(0.78, 0.94)
    earlier = services.survey_create_from_template(
        actor=director, template=templates["satisfaction"]
    )
    earlier = services.survey_publish(actor=director, survey=earlier)
    written += _responses(
        earlier,
        SATISFACTION_RESPONSES,
        lambda qs: _answers_satisfaction(qs, rng, satisfied),
        lambda: _day(rng, *last_year),
        worker,
    )
    current = services.survey_new_version(actor=director, survey=earlier)
    current = services.survey_publish(actor=director, survey=current)
    better = min(0.97, satisfied + rng.uniform(-0.01, 0.05))
    written += _responses(
        current,
        SATISFACTION_RESPONSES,
        lambda qs: _answers_satisfaction(qs, rng, better),
        lambda: _day(rng, year_start, today),
        worker,
    )
    return written


def load_demo_surveys(stations: list[Station] | None = None, progress=None) -> int:
    """Surveys and responses for every (or the given) station; returns the number
    of responses written (0 on a re-run)."""
    if stations is None:
        stations = list(Station.objects.select_related("street__district").order_by("pk"))
    templates: dict[int, dict[str, Survey]] = {}
    written = 0
    for station in progress(stations) if progress else stations:
        city_id = station.street.district.city_id
        if city_id not in templates:
            made = services.builtin_templates_ensure(city=City.objects.get(pk=city_id))
            templates[city_id] = {t.template_key: t for t in made}
        written += load_station_surveys(station, templates[city_id], seed=station.pk * 104729)
    if written:
        refresh_statistics()  # the answers were written in bulk
    return written
