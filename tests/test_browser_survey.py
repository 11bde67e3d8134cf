"""A resident answers the satisfaction survey on a phone (390×844) in real
Chromium, without logging in: every question answered, submitted, the thank-you
page shown, the response in the database with nothing that identifies them."""

import pytest

from shegong.surveys.models import Answer, QuestionKind, Response
from tests.browser import screenshot
from tests.survey_world import (
    published,
    survey_settings,  # noqa: F401  (autouse fixture)
)

pytestmark = pytest.mark.browser


def test_resident_answers_a_survey_on_a_phone(transactional_db, world, live_server, browser):
    survey = published(world)
    questions = list(survey.questions.order_by("position"))
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{survey.token}/")
    assert page.locator("h1").inner_text() == "满意度调查"
    # The honeypot is off-screen, and no log-in is asked for.
    assert page.locator("#id_website").bounding_box()["x"] < -1000
    assert page.get_by_test_id("whoami").count() == 0
    for n, q in enumerate(questions):
        if q.kind == QuestionKind.RATING:
            # Radio ids count from 0: _3 is the rating 4, _4 the rating 5.
            page.click(f'label[for="id_q{q.pk}_{4 if n % 2 else 3}"]')
        else:
            page.fill(f"#id_q{q.pk}", "社工很用心，谢谢！<b>好</b>")
    page.fill("#id_contact_phone", "13800138000")
    # The page fits the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "resident-survey-phone-form")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(f"{live_server.url}/s/{survey.token}/thanks/")
    assert "谢谢您" in page.get_by_test_id("thanks").inner_text()
    screenshot(page, "resident-survey-phone-thanks")

    response = Response.objects.get()
    assert (response.survey, response.source, response.entered_by) == (survey, "online", None)
    assert response.contact_phone == "13800138000"
    ratings = sorted(Answer.objects.exclude(rating=None).values_list("rating", flat=True))
    assert ratings == [4, 4, 4, 5, 5]
    assert Answer.objects.get(rating=None).text == "社工很用心，谢谢！<b>好</b>"
    context.close()
