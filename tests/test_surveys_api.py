"""The surveys API: list scoping, creating surveys and questions through the
services (a published survey refuses new questions), the results endpoint."""

from __future__ import annotations

from shegong.surveys.models import Question, Survey
from tests.survey_world import (
    full_answers,
    published,
    submit,
    survey_settings,  # noqa: F401  (autouse fixture)
    templates,
)


def test_survey_list_is_scoped(world, api, client):
    mine = published(world)
    theirs = published(world, director=world["director_b"])
    templates(world)

    def ids(person, **params):
        response = api(world[person]).get("/api/surveys/", {"is_template": "false", **params})
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids("worker") == {mine.pk}
    assert ids("director_b") == {theirs.pk}
    assert ids("district") == {mine.pk, theirs.pk}
    assert ids("worker_c") == set()
    assert ids("city", station=world.station_b.pk) == {theirs.pk}
    assert api().get("/api/surveys/").status_code == 401
    assert api(world["worker_c"]).get(f"/api/surveys/{mine.pk}/").status_code == 404


def test_director_creates_a_survey_and_questions_through_the_api(world, api):
    client = api(world["director"])
    created = client.post(
        "/api/surveys/", {"kind": "needs", "title": "需求调查（简版）"}, format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["station"], body["status"], body["version"]) == (world.station_a.pk, "draft", 1)
    question = client.post(
        "/api/survey-questions/",
        {
            "survey": body["id"],
            "kind": "multiple",
            "text": "最需要的服务",
            "options": [
                {"label": "邻里互助", "domain": "family"},
                {"label": "长者照顾", "domain": "elderly"},
            ],
        },
        format="json",
    )
    assert question.status_code == 201, question.json()
    assert [(o["label"], o["domain"]) for o in question.json()["options"]] == [
        ("邻里互助", "family"),
        ("长者照顾", "elderly"),
    ]
    assert client.post(f"/api/surveys/{body['id']}/publish/").json()["status"] == "published"
    refused = client.post(
        "/api/survey-questions/",
        {"survey": body["id"], "kind": "text", "text": "再加一题"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json() == {"detail": ["已发布问卷的题目不能修改：请创建新版本后再编辑。"]}
    assert Question.objects.filter(survey_id=body["id"]).count() == 1


def test_director_creates_from_a_template_through_the_api(world, api):
    template = templates(world)["satisfaction"]
    response = api(world["director"]).post(
        "/api/surveys/from-template/", {"template": template.pk}, format="json"
    )
    assert response.status_code == 201
    assert Survey.objects.get(pk=response.json()["id"]).questions.count() == 6


def test_worker_and_officials_cannot_create_surveys(world, api):
    for person in ("worker", "district", "evaluator"):
        response = api(world[person]).post(
            "/api/surveys/", {"kind": "other", "title": "x"}, format="json"
        )
        assert response.status_code == 403
    assert Survey.objects.count() == 0


def test_the_superuser_creates_no_survey_whatever_the_body(world, api):
    """Superusers edit the city's templates but create no survey: 403 before the
    body is read, for a valid body and an invalid one alike."""
    template = templates(world)["satisfaction"]
    count = Survey.objects.count()
    client = api(world["admin"])
    for path, body in [
        ("/api/surveys/", {}),
        ("/api/surveys/", {"kind": "other", "title": "x"}),
        ("/api/surveys/from-template/", {}),
        ("/api/surveys/from-template/", {"template": template.pk}),
    ]:
        assert client.post(path, body, format="json").status_code == 403, (path, body)
    assert Survey.objects.count() == count
    # A city officer may make a template from a template: a bad body is a 400.
    response = api(world["city"]).post("/api/surveys/from-template/", {}, format="json")
    assert response.status_code == 400


def test_results_endpoint(world, api, client):
    survey = published(world)
    submit(client, survey, full_answers(survey, rating=4, text="好"))
    client.cookies.clear()
    submit(client, survey, full_answers(survey, rating=2, text=""))
    response = api(world["district"]).get(f"/api/surveys/{survey.pk}/results/")
    assert response.status_code == 200
    body = response.json()
    assert body["responses"] == 2 and body["needs_ranking"] is None
    first = body["questions"][0]
    assert (first["answered"], first["mean"], first["satisfied_percent"]) == (2, 3.0, 50.0)
    assert [r["count"] for r in first["ratings"]] == [0, 1, 0, 1, 0]
    assert body["questions"][-1]["texts"] == ["好"]
    assert api(world["director_b"]).get(f"/api/surveys/{survey.pk}/results/").status_code == 404


def test_needs_results_endpoint_ranks_needs(world, api, client):
    survey = published(world, "needs")
    submit(client, survey, full_answers(survey))
    body = api(world["director"]).get(f"/api/surveys/{survey.pk}/results/").json()
    family = body["needs_ranking"][0]
    assert (family["domain"], family["needs"][0]["count"]) == ("family", 1)
