"""Each role's home page is its work queue (issue 14 point 1): the items of the
world of tests/home_world.py, their figures, and the pages they link to."""

from __future__ import annotations

import datetime
import re

import pytest

from shegong.cases.models import Alert
from shegong.core import roles
from shegong.stats.selectors import station_progress, year_share
from tests.conftest import shared
from tests.delivery_world import TODAY
from tests.home_world import make_homes
from tests.survey_world import survey_settings  # noqa: F401  (fixture: no minimum fill time)

homes = shared(make_homes)


def page(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def block(html: str, testid: str) -> str:
    """The HTML of the card `data-testid=testid` (to its closing card)."""
    start = html.index(f'data-testid="{testid}"')
    end = html.find("</div></div>\n  </div>", start)
    return html[start:end]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def expected_share() -> int:
    return round(100 * year_share(TODAY().year, TODAY()))


# --- The share of the year ------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "today", "share"),
    [
        (2026, datetime.date(2026, 1, 1), 1 / 365),
        (2026, datetime.date(2026, 7, 2), 183 / 365),
        (2024, datetime.date(2024, 12, 31), 1.0),
        (2025, datetime.date(2026, 3, 1), 1.0),
        (2027, datetime.date(2026, 3, 1), 0.0),
    ],
)
def test_share_of_the_year_elapsed(year, today, share):
    assert year_share(year, today) == pytest.approx(share)


# --- The worker ------------------------------------------------------------------


def test_worker_sees_today_the_week_and_the_groups(homes, client):
    html = page(client, homes["worker"])
    week = block(html, "my-week")
    activity, session = homes.extra["activity"], homes.extra["session"]
    today = text(block(html, "services-today"))
    assert "邻里互助茶话会 社区活动 42 人次" in today
    assert "长者怀旧小组 第 1 节" in today and "5 人次" in today
    assert f'href="/services/{activity.pk}/"' in week
    assert f'href="/services/{session.pk}/"' in week
    # Eight days ago is last week: not listed.
    assert "上周探访" not in html
    groups = block(html, "groups-to-run")
    grp = homes.extra["group"]
    assert "已开展 1/6 节" in text(groups)
    assert f'href="/services/groups/{grp.pk}/sessions/new/"' in groups
    assert "记录第 2 节" in text(groups)
    # No appointment booked: the calendar's block says so.
    assert "本周没有预约。" in text(block(html, "appointments"))
    assert "没有待探访的对象。" in text(block(html, "outreach-due"))


def test_worker_sees_the_appointment_booked_for_this_week(homes, client):
    import datetime

    from django.utils import timezone

    from shegong.agenda import services as agenda

    worker = homes["worker"]
    resident = homes.extra["group"].members.first()
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    start += datetime.timedelta(hours=1)
    booked = agenda.appointment_book(
        actor=worker,
        client=resident,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
        purpose="跟进近况",
        kind="home_visit",
    )
    shown = block(page(client, worker), "appointments")
    assert f'href="/agenda/appointments/{booked.pk}/"' in shown
    assert f"{resident.name} · 探访" in text(shown)
    assert "跟进近况" not in shown  # the purpose stays on the appointment's page


def test_worker_sees_their_alert_their_review_and_the_roll_call(homes, client):
    html = page(client, homes["worker"])
    alert = Alert.objects.get(kind="crisis_flag")
    alerts = block(html, "my-alerts")
    assert 'data-testid="open-alert-count">1<' in alerts
    assert "观察记录标记危机 · 居民01" in text(alerts)
    assert f'href="/residents/{alert.resident_id}/"' in alerts
    link = f"/cases/alerts/?assigned_to={homes['worker'].pk}"
    assert f'href="{link}#alert-{alert.pk}"' in alerts
    assert f'id="alert-{alert.pk}"' in client.get(link).content.decode()
    reviews = block(html, "my-reviews")
    soon, later = homes.extra["review_soon"], homes.extra["review_later"]
    due = (TODAY() + datetime.timedelta(days=3)).isoformat()
    assert f"{soon.number} · 居民02 · 评估到期 {due}" in text(reviews)
    assert f'href="/cases/{soon.pk}/"' in reviews
    assert later.number not in reviews
    assert "我负责的在办个案共 2 个" in text(reviews)
    roll_call = text(block(html, "roll-call-due"))
    assert "今天长者饭堂尚未点名：登记就餐长者 2 位。" in roll_call
    assert 'href="/community/meals/roll-call/"' in html
    actions = block(html, "quick-actions")
    assert 'href="/residents/new/"' in actions and 'href="/services/new/"' in actions


def test_roll_call_leaves_the_home_once_taken(homes, client):
    from shegong.community import services as community_services

    elder = homes.residents[10]
    community_services.meal_roll_call(
        actor=homes["worker"],
        station=homes.world.station_a,
        served_on=TODAY(),
        present={elder.pk: "dine_in"},
    )
    assert 'data-testid="roll-call-due"' not in page(client, homes["worker"])


def test_another_worker_sees_none_of_the_worker_s_queue(homes, client):
    html = page(client, homes["worker_b"])
    assert 'data-testid="open-alert-count">0<' in html
    assert "邻里互助茶话会" not in html and "长者怀旧小组" not in html
    assert "没有待开展节次的小组。" in text(html)
    assert 'data-testid="roll-call-due"' not in html


# --- The director ----------------------------------------------------------------


def test_director_sees_the_113x_progress_against_the_year(homes, client):
    html = page(client, homes["director"])
    progress = text(block(html, "plan-progress"))
    assert f"全年时间已过 {expected_share()}%" in progress
    # Key: 42 of 1,000; elderly: the session's 5 and last week's visit's 1, of 200.
    visit = 1 if "old_visit" in homes.extra else 0
    # (Thousands separators are issue 14 point 5's: either form here.)
    assert re.search(r"邻里互助 42 / 1,?000 · 4%", progress), progress
    assert f"长者服务 {5 + visit} / 200 · {round(100 * (5 + visit) / 200)}%" in progress
    assert "家庭服务 0 · 未设目标" in progress
    plan = homes.extra["plan"]
    assert f'href="/plans/{plan.pk}/"' in block(html, "plan-progress")


def test_director_sees_what_waits_and_the_caseloads(homes, client):
    html = page(client, homes["director"])
    inbox = block(html, "station-inbox")
    unassigned, rectification = homes.extra["unassigned"], homes.extra["rectification"]
    assert f"分派个案 {unassigned.number}" in text(inbox)
    assert f'href="/cases/{unassigned.pk}/assign/"' in inbox
    assert f'href="/evaluation/rectifications/{rectification.pk}/"' in inbox
    assert "整改事项: 消防通道堆放杂物" in text(inbox)
    # Submitted, the plan waits for the district, not for the director.
    assert 'data-testid="inbox-plan"' not in inbox
    loads = text(block(html, "caseloads"))
    assert "Worker 2 1" in loads and "Director 0 0" in loads
    assert f'href="/cases/?worker={homes["worker"].pk}"' in block(html, "caseloads")
    assert f'href="/cases/alerts/?assigned_to={homes["worker"].pk}"' in html


def test_a_returned_plan_waits_for_the_director(homes, client):
    from shegong.plans import services as plan_services

    plan = plan_services.plan_return(
        actor=homes["district"], plan=homes.extra["plan"], comment="请补充目标。"
    )
    inbox = block(page(client, homes["director"]), "station-inbox")
    assert f"{TODAY().year} 年度计划 · 已退回修改" in text(inbox)
    assert f'href="/plans/{plan.pk}/"' in inbox
    # And no longer waits for the district.
    assert "没有待审批的计划。" in text(page(client, homes["district"]))


# --- District and city officers -------------------------------------------------


@pytest.mark.parametrize("person", ["district", "city"])
def test_officers_see_approvals_stations_behind_and_rounds(homes, client, person):
    html = page(client, homes[person])
    plan = homes.extra["plan"]
    approvals = block(html, "approvals")
    assert "沙园街社工站 · " + str(TODAY().year) in text(approvals)
    assert f'href="/plans/{plan.pk}/"' in approvals
    behind = text(block(html, "behind-target"))
    visit = 1 if "old_visit" in homes.extra else 0
    # Ranked by the gap to the share of the year: B (0 %) before A (4 %).
    assert re.search(
        rf"南石头街社工站 海珠区 0 / 100 · 0% 沙园街社工站 海珠区 {47 + visit} / 1,?200 · 4%",
        behind,
    ), behind
    assert f'href="/stats/stations/{homes.world.station_b.pk}/"' in block(html, "behind-target")
    rounds = block(html, "rounds")
    deadline = (TODAY() + datetime.timedelta(days=5)).isoformat()
    assert f"2026 final evaluation 已提交 0/1 份评估表 · 期限 {deadline}" in text(rounds)
    assert f'href="/evaluation/rounds/{homes.extra["round"].pk}/"' in rounds
    overdue = block(html, "overdue-rectifications")
    assert f'href="/evaluation/rectifications/{homes.extra["rectification"].pk}/"' in overdue
    assert 'data-testid="satisfaction"' in html
    # No directory counts any more.
    assert 'data-testid="count-stations"' not in html


def test_other_district_sees_none_of_haizhu(homes, client):
    html = page(client, homes["other_district"])
    assert "没有待审批的计划。" in text(html)
    assert "没有进度落后的社工站。" in text(html)
    assert "沙园街" not in text(html.split("<main", 1)[1])


def test_station_progress_equals_the_sum_of_its_projects(homes):
    """One computation: the station's row is the sum of its targeted projects."""
    from shegong.stats.selectors import project_progress

    rows = {r.name: r for r in station_progress(homes["city"], TODAY().year)}
    projects = project_progress(homes["city"], homes.world.station_a, TODAY().year)
    targeted = [p for p in projects if p.target]
    assert rows["沙园街社工站"].done == sum(p.person_times for p in targeted)
    assert rows["沙园街社工站"].target == sum(p.target for p in targeted) == 1200


# --- Agency manager and evaluator ------------------------------------------------


def test_agency_sees_its_stations_progress_and_contracts_ending(homes, client):
    html = page(client, homes["agency"])
    progress = text(block(html, "station-progress"))
    assert "沙园街社工站" in progress and "南石头街" not in progress
    ends = (TODAY() + datetime.timedelta(days=30)).isoformat()
    contracts = block(html, "contracts-ending")
    assert f"沙园街社工站 · GZ-2024-A-OLD 到期 {ends} (还有 30 天)" in text(contracts)
    # The world's own contracts end in 2028: not listed.
    assert "GZ-2025-A" not in contracts
    assert "GZ-2024-A-OLD" not in page(client, homes["other_agency"])


def test_evaluator_sees_the_sheets_to_score_linking_to_the_sheet(homes, client):
    from shegong.evaluation.models import StationEvaluation

    html = page(client, homes["evaluator"])
    sheet = StationEvaluation.objects.get()
    sheets = block(html, "sheets-to-score")
    deadline = (TODAY() + datetime.timedelta(days=5)).isoformat()
    assert f"沙园街社工站 海珠区 · 2026 final evaluation · 已评 0 项指标 期限 {deadline}" in text(
        sheets
    )
    assert f'href="/evaluation/sheets/{sheet.pk}/"' in sheets
    assert "/org/" not in sheets


def test_admin_keeps_the_directory(homes, client):
    html = page(client, homes["admin"])
    assert 'data-testid="count-stations">3<' in html


# --- The rule book decides ---------------------------------------------------------


def test_each_role_home_blocks_are_its_sections(homes, client):
    blocks = {
        roles.HOME_MY_WEEK: "my-week",
        roles.HOME_PLAN_PROGRESS: "plan-progress",
        roles.HOME_APPROVALS: "approvals",
        roles.HOME_SHEETS: "sheets-to-score",
        roles.HOME_STATION_PROGRESS: "station-progress",
    }
    for person in ("worker", "director", "district", "agency", "evaluator"):
        html = page(client, homes[person])
        sections = roles.sections_for(homes[person])
        shown = {s for s, testid in blocks.items() if f'data-testid="{testid}"' in html}
        assert shown == {s for s in blocks if s in sections}, person


# --- Figures say what they cover (issue 14 point 6) -------------------------------


def test_a_worker_s_statistics_are_their_station_s_and_titled_so(homes, client):
    client.force_login(homes["worker"])
    html = client.get("/stats/").content.decode()
    title = re.search(r'data-testid="stats-title">([^<]*)<', html).group(1)
    assert title == "服务统计 · 沙园街社工站"
    # No ranking presenting the station's own figure as the district's.
    assert 'data-testid="ranking"' not in html
    assert "113X" in html
    # The year field shows the year shown.
    assert f'name="year" id="id_year" value="{TODAY().year}"' in html
    crumbs = html[html.index('class="breadcrumb"') : html.index("</ol>")]
    assert "/stats/districts/" not in crumbs and ">市<" not in crumbs


def test_a_district_officer_s_statistics_are_the_district_s(homes, client):
    client.force_login(homes["district"])
    html = client.get("/stats/").content.decode()
    title = re.search(r'data-testid="stats-title">([^<]*)<', html).group(1)
    assert title == "服务统计 · 海珠区"
    ranking = text(html[html.index('data-testid="ranking"') :].split("</table>")[0])
    visit = 1 if "old_visit" in homes.extra else 0
    assert f"1 沙园街社工站 {47 + visit}" in ranking


def test_the_city_statistics_rank_the_districts(homes, client):
    client.force_login(homes["city"])
    html = client.get("/stats/").content.decode()
    assert re.search(r'data-testid="stats-title">([^<]*)<', html).group(1) == "服务统计 · 广州市"
    ranking = text(html[html.index('data-testid="ranking"') :].split("</table>")[0])
    visit = 1 if "old_visit" in homes.extra else 0
    assert f"1 海珠区 {47 + visit}" in ranking


def test_a_round_created_with_a_scoring_deadline_shows_it(world, client):
    from shegong.evaluation.models import EvaluationRound

    client.force_login(world["city"])
    created = client.post(
        "/evaluation/rounds/new/",
        {
            "name": "2026年中期评估",
            "kind": "mid_term",
            "year": 2026,
            "scoring_due_on": "2026-07-15",
        },
    )
    assert created.status_code == 302
    round = EvaluationRound.objects.get(name="2026年中期评估")
    assert round.scoring_due_on == datetime.date(2026, 7, 15)
    page = client.get(created["Location"]).content.decode()
    assert 'data-testid="round-deadline">评分截止日期 2026-07-15<' in page
    refused = client.post(
        "/evaluation/rounds/new/",
        {"name": "坏日期", "kind": "final", "year": 2026, "scoring_due_on": "2026-13-40"},
    )
    assert refused.status_code == 400
    assert not EvaluationRound.objects.filter(name="坏日期").exists()


def test_survey_results_reach_the_director_and_the_satisfaction_the_officers(homes, client):
    from tests.survey_world import full_answers, published, submit

    survey = published(homes.world)
    for rating in (5, 2):
        client.cookies.clear()
        assert submit(client, survey, full_answers(survey, rating=rating)).status_code in (200, 302)
    inbox = block(page(client, homes["director"]), "station-inbox")
    assert f"问卷结果: {survey.title} · 2 份答卷" in text(inbox)
    assert f'href="/surveys/{survey.pk}/results/"' in inbox
    # Half of the rating answers are 4 or 5; no answers last year, so no change.
    satisfaction = block(page(client, homes["district"]), "satisfaction")
    assert 'data-testid="satisfaction-rate">50.00%<' in satisfaction
    assert "尚无满意度评分" not in text(satisfaction)


def test_a_worker_s_statistics_api_is_their_station_s(homes, api):
    figures = api(homes["worker"]).get("/api/stats/person-times/").json()
    visit = 1 if "old_visit" in homes.extra else 0
    assert figures["units"] == []
    assert figures["person_times"] == 47 + visit
    assert [p["name"] for p in figures["projects"]] == ["邻里互助", "长者服务"]


@pytest.mark.parametrize(
    "person", ["worker", "director", "district", "city", "agency", "evaluator"]
)
def test_every_link_of_a_home_opens_for_its_user(homes, client, person):
    html = page(client, homes[person])
    main = html[html.index("<main") : html.index("</main>")]
    links = sorted({href.split("#")[0] for href in re.findall(r'href="(/[^"]*)"', main)})
    assert len(links) >= (1 if person == "evaluator" else 2), links
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, (person, link)


def test_officers_see_the_stations_whose_satisfaction_fell(homes, client):
    from shegong.surveys import services as survey_services
    from tests.survey_world import full_answers, published, submit

    survey = published(homes.world)
    last_year = datetime.date(TODAY().year - 1, 11, 20)
    for _ in range(2):
        answers = {int(k[1:]): v for k, v in full_answers(survey, rating=5).items()}
        survey_services.response_enter_paper(
            actor=homes["worker"], survey=survey, answers=answers, answered_on=last_year
        )
    for rating in (5, 2):
        client.cookies.clear()
        submit(client, survey, full_answers(survey, rating=rating))
    satisfaction = block(page(client, homes["district"]), "satisfaction")
    # 100 % last year, 50 % this year: down 50 points, and station A leads the falls.
    assert 'data-testid="satisfaction-rate">50.00%<' in satisfaction
    assert f"{TODAY().year} · 较 {TODAY().year - 1} 年变化 -50.00 个百分点" in text(satisfaction)
    assert "降幅最大 沙园街社工站 50.00% (-50.00)" in text(satisfaction)
    assert f'href="/stats/stations/{homes.world.station_a.pk}/"' in satisfaction


def test_worker_sees_the_roster_person_never_reached(homes, client):
    import csv
    import io

    from django.utils import timezone

    from shegong.org.models import Community
    from shegong.rosters import importing
    from shegong.rosters.models import RosterEntry

    station = homes.world.station_a
    community = Community.objects.create(street=station.street, name="沙园社区")
    text_file = io.StringIO()
    writer = csv.writer(text_file)
    writer.writerow(["身份证号", "姓名", "类别", "区", "社区", "来源部门", "名单日期"])
    today = timezone.localdate()
    writer.writerow(
        ["110101194805010026", "周玉兰", "特困人员", "海珠区", community.name, "民政局", today]
    )
    result = importing.roster_import(
        actor=homes["city"],
        file=io.BytesIO(text_file.getvalue().encode()),
        filename="roster.csv",
        month=today.replace(day=1),
        source="民政局",
    )
    assert result.ok, result.errors
    entry = RosterEntry.objects.get(name="周玉兰")
    shown = block(page(client, homes["worker"]), "outreach-due")
    assert f'href="/rosters/entries/{entry.pk}/"' in shown
    assert "周玉兰 特困人员 · 沙园社区" in text(shown)
    assert "从未服务" in text(shown)


def test_officials_see_the_stations_with_roster_persons_never_reached(homes, client):
    import csv
    import io

    from django.utils import timezone

    from shegong.org.models import Community
    from shegong.rosters import importing

    station = homes.world.station_a
    community = Community.objects.create(street=station.street, name="沙园北社区")
    text_file = io.StringIO()
    writer = csv.writer(text_file)
    writer.writerow(["身份证号", "姓名", "类别", "区", "社区", "来源部门", "名单日期"])
    today = timezone.localdate()
    for id_number, name in (("110101194805010026", "周玉兰"), ("110101194805010042", "吴桂芳")):
        writer.writerow([id_number, name, "特困人员", "海珠区", community.name, "民政局", today])
    result = importing.roster_import(
        actor=homes["city"],
        file=io.BytesIO(text_file.getvalue().encode()),
        filename="roster.csv",
        month=today.replace(day=1),
        source="民政局",
    )
    assert result.ok, result.errors
    shown = block(page(client, homes["district"]), "coverage-gaps")
    assert f'href="/stats/stations/{station.pk}/"' in shown
    assert "沙园街社工站 2 人中 2 人从未服务 · 0.0%" in text(shown)
    # A worker keeps the outreach list, not the officials' ranking.
    assert 'data-testid="coverage-gaps"' not in page(client, homes["worker"])
