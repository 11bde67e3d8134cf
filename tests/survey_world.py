"""Survey fixtures: the built-in templates of the test city and published
surveys of station A made from them by its director."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from shegong.surveys import services
from shegong.surveys.models import QuestionKind, Survey


@pytest.fixture(autouse=True)
def survey_settings(settings):
    """No minimum fill time (tests submit at once) and fresh rate-limit counters."""
    settings.SURVEYS_MIN_FILL_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def templates(world) -> dict[str, Survey]:
    return {t.template_key: t for t in services.builtin_templates_ensure(city=world.city)}


def published(world, key: str = "satisfaction", director=None) -> Survey:
    director = director or world["director"]
    survey = services.survey_create_from_template(actor=director, template=templates(world)[key])
    return services.survey_publish(actor=director, survey=survey)


def full_answers(survey: Survey, rating: int = 5, text: str = "很好") -> dict[str, object]:
    """POST data answering every question: the first option (multiple: the first
    two), the rating, the text."""
    data: dict[str, object] = {}
    for q in survey.questions.prefetch_related("options").order_by("position"):
        options = [o.pk for o in q.options.all()]
        if q.kind == QuestionKind.SINGLE:
            data[f"q{q.pk}"] = options[0]
        elif q.kind == QuestionKind.MULTIPLE:
            data[f"q{q.pk}"] = options[:2]
        elif q.kind == QuestionKind.RATING:
            data[f"q{q.pk}"] = rating
        else:
            data[f"q{q.pk}"] = text
    return data


def form_token(client, survey: Survey) -> str:
    page = client.get(f"/s/{survey.token}/")
    assert page.status_code == 200
    return page.context["form"].initial["token"]


def submit(client, survey: Survey, data: dict, token: str | None = None, **extra):
    token = form_token(client, survey) if token is None else token
    return client.post(f"/s/{survey.token}/", {**data, "token": token}, **extra)
