"""Surveys: the builder and its versions, public answering without log-in (contact
details optional and validated), spam resistance (rate limits, one-time tokens,
honeypot, size limits), immutable responses, paper entry, poster and QR code,
scope of the staff pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shegong.plans.models import AnnualPlan
from shegong.surveys import services
from shegong.surveys.models import (
    Answer,
    Question,
    QuestionKind,
    Response,
    ResponseSource,
    Survey,
    SurveyKind,
    SurveyStatus,
)
from tests.helpers import refusal
from tests.survey_world import (
    form_token,
    full_answers,
    published,
    submit,
    survey_settings,  # noqa: F401  (autouse fixture)
    templates,
)

# --- Builder and versions ------------------------------------------------------------


def test_builtin_templates_are_created_once(world):
    first = templates(world)
    again = templates(world)
    assert {k: t.pk for k, t in first.items()} == {k: t.pk for k, t in again.items()}
    assert {t.title for t in first.values()} == {"居民服务需求调查", "满意度调查"}
    needs = first["needs"]
    domains = set(
        needs.questions.filter(kind=QuestionKind.MULTIPLE).values_list("options__domain", flat=True)
    )
    assert domains == {"family", "elderly", "youth", "featured"}
    assert "邻里互助" in set(needs.questions.values_list("options__label", flat=True))
    assert Survey.objects.filter(is_template=True).count() == 2


def test_director_creates_a_survey_from_a_template_on_the_web(world, client):
    template = templates(world)["needs"]
    client.force_login(world["director"])
    response = client.post("/surveys/new/", {"template": template.pk})
    survey = Survey.objects.get(is_template=False)
    assert response.status_code == 302 and response["Location"] == f"/surveys/{survey.pk}/"
    assert (survey.station, survey.kind, survey.status, survey.version) == (
        world.station_a,
        SurveyKind.NEEDS,
        SurveyStatus.DRAFT,
        1,
    )
    assert survey.questions.count() == template.questions.count() == 7
    assert survey.token != template.token and len(survey.token) >= 40


def test_director_builds_a_blank_survey_with_sections_and_ordering(world, client):
    client.force_login(world["director"])
    client.post("/surveys/new/", {"kind": "other", "title": "长者饭堂口味调查"})
    survey = Survey.objects.get(title="长者饭堂口味调查")
    url = f"/surveys/{survey.pk}/questions/"
    client.post(
        url,
        {
            "section": "口味",
            "kind": "single",
            "text": "咸淡如何？",
            "required": "on",
            "options": "偏咸\n适中\n偏淡",
        },
    )
    client.post(url, {"section": "口味", "kind": "rating", "text": "总体评分", "required": "on"})
    response = client.post(
        url, {"kind": "multiple", "text": "想加什么？", "options": "汤 | 长者\n水果 | nope"}
    )
    assert response.status_code == 400
    first, second = survey.questions.order_by("position")
    assert (first.text, second.text) == ("咸淡如何？", "总体评分")
    assert list(first.options.values_list("label", flat=True)) == ["偏咸", "适中", "偏淡"]
    client.post(f"/surveys/questions/{second.pk}/move/", {"direction": "up"})
    assert list(survey.questions.order_by("position").values_list("text", flat=True)) == [
        "总体评分",
        "咸淡如何？",
    ]
    page = client.get(f"/surveys/{survey.pk}/")
    assert page.status_code == 200 and "口味" in page.content.decode()


def test_a_choice_question_needs_two_options(world):
    survey = services.survey_create(actor=world["director"], kind="other", title="测试")
    messages = refusal(
        services.question_add,
        actor=world["director"],
        survey=survey,
        kind="single",
        text="问题",
        options=[("只有一个", "")],
    )
    assert messages == ["A choice question needs at least two options."]


def test_published_survey_refuses_question_edits_and_a_new_version_is_editable(world, client):
    director = world["director"]
    survey = published(world)
    question = survey.questions.order_by("position").first()
    expected = [
        "A published survey's questions cannot be changed: make a new version and edit that."
    ]
    assert (
        refusal(services.question_add, actor=director, survey=survey, kind="text", text="新问题")
        == expected
    )
    assert refusal(services.question_delete, actor=director, question=question) == expected
    client.force_login(director)
    response = client.post(
        f"/surveys/questions/{question.pk}/edit/", {"kind": "rating", "text": "改过的问题"}
    )
    assert response.status_code == 400
    question.refresh_from_db()
    assert question.text == "您对社工站服务的总体满意程度"

    # Old responses stay with the version they answered.
    assert submit(client, survey, full_answers(survey)).status_code == 302
    response = client.post(f"/surveys/{survey.pk}/new-version/")
    draft = Survey.objects.get(previous=survey)
    assert response["Location"] == f"/surveys/{draft.pk}/"
    assert (draft.version, draft.status, draft.questions.count()) == (2, "draft", 6)
    services.question_add(actor=director, survey=draft, kind="text", text="新问题", required=False)
    services.survey_publish(actor=director, survey=draft)
    survey.refresh_from_db()
    assert (survey.status, draft.questions.count(), survey.questions.count()) == ("closed", 7, 6)
    assert survey.responses.count() == 1 and draft.responses.count() == 0
    # The old link (on printed posters) forwards to the new version.
    old_link = client.get(f"/s/{survey.token}/")
    assert (old_link.status_code, old_link["Location"]) == (302, f"/s/{draft.token}/")


def test_only_the_director_of_the_station_edits_its_surveys(world):
    survey = services.survey_create(actor=world["director"], kind="other", title="测试")
    assert refusal(
        services.question_add,
        PermissionDenied,
        actor=world["worker"],
        survey=survey,
        kind="text",
        text="x",
    ) == ["Only the station director edits the station's surveys."]
    with pytest.raises(PermissionDenied):
        services.question_add(actor=world["director_b"], survey=survey, kind="text", text="x")


def test_city_officer_builds_a_city_wide_template_that_directors_can_use(world, client):
    client.force_login(world["city"])
    client.post("/surveys/new/", {"kind": "satisfaction", "title": "长者饭堂满意度"})
    template = Survey.objects.get(title="长者饭堂满意度")
    assert (template.is_template, template.city, template.station) == (True, world.city, None)
    services.question_add(actor=world["city"], survey=template, kind="rating", text="饭菜质量")
    survey = services.survey_create_from_template(actor=world["director"], template=template)
    assert (survey.station, survey.questions.get().text) == (world.station_a, "饭菜质量")
    # A director cannot edit the city's template.
    with pytest.raises(PermissionDenied):
        services.question_add(actor=world["director"], survey=template, kind="text", text="x")


# --- Public answering ----------------------------------------------------------------


def test_resident_answers_anonymously_without_logging_in(world, client):
    survey = published(world)
    page = client.get(f"/s/{survey.token}/")
    body = page.content.decode()
    assert page.status_code == 200 and "满意度调查" in body and "沙园街社工站" in body
    response = submit(client, survey, full_answers(survey, rating=4, text="社工很耐心"))
    assert (response.status_code, response["Location"]) == (302, f"/s/{survey.token}/thanks/")
    saved = Response.objects.get()
    assert (saved.source, saved.entered_by, saved.contact_name, saved.contact_phone) == (
        ResponseSource.ONLINE,
        None,
        "",
        "",
    )
    assert saved.answered_on == timezone.localdate()
    assert sorted(saved.answers.exclude(rating=None).values_list("rating", flat=True)) == [4] * 5
    assert saved.answers.get(text__gt="").text == "社工很耐心"
    # No user, no session of a user: the resident stays anonymous.
    assert "_auth_user_id" not in client.session
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "沙园街社工站" in thanks.content.decode()


def test_needs_survey_with_multiple_choices_is_answered(world, client):
    survey = published(world, "needs")
    assert submit(client, survey, full_answers(survey)).status_code == 302
    # 2 single + 4 multiple × 2 options + 1 text
    assert Answer.objects.count() == 2 + 4 * 2 + 1


def test_contact_details_are_optional_and_validated(world, client):
    survey = published(world)
    data = full_answers(survey)
    bad = submit(client, survey, {**data, "contact_name": "陈姨", "contact_phone": "12345"})
    assert bad.status_code == 400
    assert "11位" in bad.content.decode() or "11" in bad.content.decode()
    assert Response.objects.count() == 0
    good = submit(
        client, survey, {**data, "contact_name": "陈姨", "contact_phone": "138 0013 8000"}
    )
    assert good.status_code == 302
    assert Response.objects.values_list("contact_name", "contact_phone").get() == (
        "陈姨",
        "13800138000",
    )


def test_required_question_left_empty_is_refused_with_nothing_saved(world, client):
    survey = published(world)
    data = full_answers(survey)
    first = survey.questions.order_by("position").first()
    del data[f"q{first.pk}"]
    response = submit(client, survey, data)
    assert response.status_code == 400
    assert response.context["form"].errors[f"q{first.pk}"] == ["该字段是必填项。"]
    assert Response.objects.count() == Answer.objects.count() == 0


def test_draft_survey_link_is_404_and_closed_survey_link_is_410(world, client):
    draft = services.survey_create(actor=world["director"], kind="other", title="草稿")
    assert client.get(f"/s/{draft.token}/").status_code == 404
    assert client.get("/s/not-a-token/").status_code == 404
    survey = published(world)
    data = full_answers(survey)
    token = form_token(client, survey)
    services.survey_close(actor=world["director"], survey=survey)
    closed = client.get(f"/s/{survey.token}/")
    assert closed.status_code == 410 and "已结束" in closed.content.decode()
    assert client.post(f"/s/{survey.token}/", {**data, "token": token}).status_code == 410
    assert Response.objects.count() == 0


# --- Spam resistance ------------------------------------------------------------------


def test_rate_limit_per_ip_refuses_the_n_plus_first_submission_with_429(world, client, settings):
    settings.SURVEYS_MAX_PER_IP_PER_HOUR = 3
    settings.SURVEYS_MAX_PER_DEVICE_PER_HOUR = 100
    survey = published(world)
    data = full_answers(survey)
    for _n in range(3):
        client.cookies.clear()  # a new device each time: only the IP limit applies
        assert submit(client, survey, data).status_code == 302
    client.cookies.clear()
    refused = submit(client, survey, data)
    assert refused.status_code == 429
    assert "提交的问卷过多" in refused.content.decode()
    assert Response.objects.count() == 3
    # Another address is not affected.
    other = submit(client, survey, data, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_rate_limit_per_device_cookie(world, client, settings):
    settings.SURVEYS_MAX_PER_DEVICE_PER_HOUR = 2
    survey = published(world)
    data = full_answers(survey)
    assert [submit(client, survey, data).status_code for _n in range(3)] == [302, 302, 429]
    # The same phone on another network is still the same device.
    assert submit(client, survey, data, REMOTE_ADDR="10.0.0.7").status_code == 429
    assert Response.objects.count() == 2


def test_a_submission_that_saves_nothing_gives_its_count_back(world, client, settings):
    # The count is taken before the save (the gate) and given back when nothing
    # was saved: a resident who missed a question, or a replay, keeps the allowance.
    settings.SURVEYS_MAX_PER_DEVICE_PER_HOUR = 2
    survey = published(world)
    data = full_answers(survey)
    missing = {k: v for k, v in data.items() if k != next(iter(data))}
    assert submit(client, survey, missing).status_code == 400
    assert submit(client, survey, missing).status_code == 400
    token = form_token(client, survey)
    assert client.post(f"/s/{survey.token}/", {**data, "token": token}).status_code == 302
    assert client.post(f"/s/{survey.token}/", {**data, "token": token}).status_code == 409
    assert [submit(client, survey, data).status_code for _n in range(2)] == [302, 429]
    assert Response.objects.count() == 2


def test_replayed_form_token_is_refused(world, client):
    survey = published(world)
    data = full_answers(survey)
    token = form_token(client, survey)
    assert client.post(f"/s/{survey.token}/", {**data, "token": token}).status_code == 302
    replay = client.post(f"/s/{survey.token}/", {**data, "token": token})
    assert replay.status_code == 409
    assert "已经提交过" in replay.content.decode()
    assert Response.objects.count() == 1


def test_missing_forged_or_foreign_token_is_refused(world, client):
    survey = published(world)
    other = published(world, "needs")
    data = full_answers(survey)
    assert client.post(f"/s/{survey.token}/", data).status_code == 400
    assert client.post(f"/s/{survey.token}/", {**data, "token": "x:y:z"}).status_code == 400
    foreign = form_token(client, other)
    assert client.post(f"/s/{survey.token}/", {**data, "token": foreign}).status_code == 400
    assert Response.objects.count() == 0


def test_a_submission_faster_than_the_minimum_fill_time_is_refused(world, client, settings):
    settings.SURVEYS_MIN_FILL_SECONDS = 60
    survey = published(world)
    response = submit(client, survey, full_answers(survey))
    assert response.status_code == 400 and "太快" in response.content.decode()
    assert Response.objects.count() == 0


def test_honeypot_filled_is_refused(world, client):
    survey = published(world)
    response = submit(client, survey, {**full_answers(survey), "website": "http://spam.example"})
    assert response.status_code == 400
    assert Response.objects.count() == 0


def test_oversized_text_answer_is_refused_with_a_clear_message(world, client):
    survey = published(world)
    text_question = survey.questions.get(kind=QuestionKind.TEXT)
    response = submit(client, survey, full_answers(survey, text="长" * 1001))
    assert response.status_code == 400
    errors = response.context["form"].errors[f"q{text_question.pk}"]
    assert errors == ["确保该变量包含不超过 1000 字符 (目前字符数 1001)。"]
    assert Response.objects.count() == Answer.objects.count() == 0
    assert submit(client, survey, full_answers(survey, text="长" * 1000)).status_code == 302


def test_oversized_request_is_refused_with_413(world, client, settings):
    settings.SURVEYS_MAX_REQUEST_BYTES = 2000
    survey = published(world)
    response = submit(client, survey, {**full_answers(survey), "padding": "x" * 3000})
    assert response.status_code == 413
    assert "太长" in response.content.decode()
    assert Response.objects.count() == 0


def test_resident_text_is_escaped_on_the_results_page(world, client):
    survey = published(world)
    submit(client, survey, full_answers(survey, text="<script>alert(1)</script>"))
    client.force_login(world["director"])
    page = client.get(f"/surveys/{survey.pk}/results/")
    body = page.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- Immutability ------------------------------------------------------------------------


def test_responses_cannot_be_changed_or_deleted(world, client):
    survey = published(world)
    submit(client, survey, full_answers(survey))
    response = Response.objects.get()
    response.contact_name = "改"
    with pytest.raises(ValidationError):
        response.save()
    with pytest.raises(ValidationError):
        response.delete()
    answer = response.answers.first()
    answer.rating = 1
    with pytest.raises(ValidationError):
        answer.save()
    with pytest.raises(ValidationError):
        answer.delete()
    response.refresh_from_db()
    assert response.contact_name == ""


def test_there_is_no_web_or_api_path_to_change_a_response(world, client, api):
    from django.urls import NoReverseMatch, reverse

    survey = published(world)
    submit(client, survey, full_answers(survey))
    pk = Response.objects.get().pk
    for name in ("response-detail", "response-list", "answer-list"):
        with pytest.raises(NoReverseMatch):
            reverse(f"api:{name}", args=[pk] if name.endswith("detail") else [])
    admin = world["admin"]
    client.force_login(admin)
    assert client.get(f"/admin/surveys/response/{pk}/change/").status_code == 200
    assert client.post(f"/admin/surveys/response/{pk}/change/", {}).status_code == 403
    assert client.post(f"/admin/surveys/response/{pk}/delete/", {"post": "yes"}).status_code == 403
    assert Response.objects.count() == 1


# --- Paper entry ------------------------------------------------------------------------


def test_worker_enters_a_paper_questionnaire(world, client):
    survey = published(world)
    client.force_login(world["worker"])
    page = client.get(f"/surveys/{survey.pk}/paper/")
    assert page.status_code == 200
    day = timezone.localdate() - datetime.timedelta(days=3)
    response = client.post(
        f"/surveys/{survey.pk}/paper/", {**full_answers(survey, rating=3), "answered_on": day}
    )
    assert response.status_code == 302
    saved = Response.objects.get()
    assert (saved.source, saved.entered_by, saved.answered_on, saved.form_nonce) == (
        ResponseSource.PAPER,
        world["worker"],
        day,
        None,
    )
    assert set(saved.answers.exclude(rating=None).values_list("rating", flat=True)) == {3}


def test_paper_entry_is_for_the_station_staff_only(world, client):
    survey = published(world)
    client.force_login(world["district"])
    assert client.get(f"/surveys/{survey.pk}/paper/").status_code == 403
    client.force_login(world["director_b"])
    assert client.get(f"/surveys/{survey.pk}/paper/").status_code == 404
    future = timezone.localdate() + datetime.timedelta(days=1)
    assert refusal(
        services.response_enter_paper,
        actor=world["worker"],
        survey=survey,
        answers={},
        answered_on=future,
    ) == ["The date cannot be in the future."]


# --- Poster and QR ------------------------------------------------------------------------


def test_qr_code_is_a_png_of_the_public_link(world, client):
    survey = published(world)
    client.force_login(world["worker"])
    response = client.get(f"/surveys/{survey.pk}/qr.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    poster = client.get(f"/surveys/{survey.pk}/poster/")
    body = poster.content.decode()
    assert poster.status_code == 200
    assert "沙园街社工站" in body and "满意度调查" in body and "扫描" in body
    assert f"/s/{survey.token}/" in body and f"/surveys/{survey.pk}/qr.png" in body


def test_draft_has_no_qr_code(world, client):
    draft = services.survey_create(actor=world["director"], kind="other", title="草稿")
    client.force_login(world["director"])
    assert client.get(f"/surveys/{draft.pk}/qr.png").status_code == 404


# --- Scope of the staff pages --------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("director", 200),
        ("worker", 200),
        ("district", 200),
        ("city", 200),
        ("agency", 200),
        ("director_b", 404),
        ("worker_c", 404),
        ("other_district", 404),
        ("other_agency", 404),
    ],
)
def test_results_are_visible_only_within_scope(world, client, person, status):
    survey = published(world)
    client.force_login(world[person])
    assert client.get(f"/surveys/{survey.pk}/results/").status_code == status
    assert client.get(f"/surveys/{survey.pk}/").status_code == status


def test_anonymous_staff_pages_redirect_to_log_in(world, client):
    survey = published(world)
    response = client.get(f"/surveys/{survey.pk}/results/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_insiders_who_may_read_cannot_publish_or_edit(world, client):
    survey = services.survey_create(actor=world["director"], kind="other", title="草稿")
    for person in ("worker", "district"):
        client.force_login(world[person])
        assert client.post(f"/surveys/{survey.pk}/publish/").status_code == 403
        assert (
            client.post(
                f"/surveys/{survey.pk}/questions/", {"kind": "text", "text": "x"}
            ).status_code
            == 403
        )
    assert Question.objects.count() == 0


def test_survey_list_shows_only_surveys_in_scope(world, client):
    mine = published(world)
    theirs = published(world, director=_director_c(world))
    client.force_login(world["worker"])
    page = client.get("/surveys/")
    assert list(page.context["surveys"]) == [mine]
    client.force_login(world["city"])
    assert set(client.get("/surveys/").context["surveys"]) == {mine, theirs}


def _director_c(world):
    from tests.conftest import make_user

    return make_user("director_c", "station_director", station=world.station_c)


# --- The plan's key project ------------------------------------------------------------------


def test_director_attaches_the_needs_survey_to_the_plan(world, client):
    survey = published(world, "needs")
    for _n in range(2):
        client.cookies.clear()
        submit(client, survey, full_answers(survey))
    plan = AnnualPlan.objects.create(station=world.station_a, year=timezone.localdate().year)
    client.force_login(world["director"])
    results = client.get(f"/surveys/{survey.pk}/results/")
    assert "attach_form" in results.context
    response = client.post(f"/surveys/{survey.pk}/attach-plan/", {"plan": plan.pk})
    assert response["Location"] == f"/plans/{plan.pk}/"
    plan.refresh_from_db()
    assert (plan.needs_survey, plan.version) == (survey, 2)
    page = client.get(f"/plans/{plan.pk}/")
    needs = page.content.decode()
    # The top five needs: both respondents chose the first two options of each need
    # question (8 needs at 100 %), shown in name order.
    assert 'data-testid="plan-needs"' in needs and needs.count("· <strong>2</strong> (100.0%)") == 5
    satisfaction = published(world)
    assert refusal(
        services.plan_needs_survey_attach,
        actor=world["director"],
        plan=plan,
        survey=satisfaction,
    ) == ["Choose a needs survey of the plan's station."]


def test_admin_lists_only_surveys_in_scope_and_is_read_only(world, client):
    from django.contrib.auth.models import Permission

    mine = published(world)
    theirs = published(world, director=_director_c(world))
    officer = world["district"]
    officer.is_staff = True
    officer.save()
    officer.user_permissions.add(
        Permission.objects.get(codename="view_survey"),
        Permission.objects.get(codename="change_survey"),
    )
    client.force_login(officer)
    listing = client.get("/admin/surveys/survey/")
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [mine]
    assert client.get(f"/admin/surveys/survey/{theirs.pk}/change/").status_code == 302
    before = mine.title
    client.post(f"/admin/surveys/survey/{mine.pk}/change/", {"title": "改", "kind": "other"})
    mine.refresh_from_db()
    assert mine.title == before


def test_a_second_draft_version_is_refused(world):
    survey = published(world)
    services.survey_new_version(actor=world["director"], survey=survey)
    assert refusal(services.survey_new_version, actor=world["director"], survey=survey) == [
        "A new version of this survey is already being drafted."
    ]


def test_the_new_survey_page_offers_the_builtin_templates_from_the_start(world, client):
    from io import StringIO

    from django.core.management import call_command

    client.force_login(world["director"])
    page = client.get("/surveys/new/")
    offered = {t.title for t in page.context["from_template"].fields["template"].queryset}
    assert offered == {"居民服务需求调查", "满意度调查"}
    out = StringIO()
    call_command("survey_templates", stdout=out)
    assert Survey.objects.filter(is_template=True).count() == 2
    assert "居民服务需求调查" in out.getvalue()
