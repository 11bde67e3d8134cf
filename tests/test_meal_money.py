"""The meal programme's money (docs/meals.md): DESIGN.md's worked example (a ¥12
meal: the elder in hardship pays ¥1, 80+ ¥3, 60–79 ¥5; the city a quarter, at
most ¥3; the district the rest) checked in by card at canteen A, each share
computed by hand; eating in another district loses the district's subsidy;
settlement totals, approvals station → street → district, and the lock."""

import datetime

import pytest
from django.utils import timezone

from shegong.clients import services as clients_services
from shegong.community import meal_services
from shegong.community import services as community_services
from shegong.community.meal_models import (
    MealCard,
    MealCheckIn,
    MealEligibility,
    MealSettlement,
    SettlementAdjustment,
    ShareKind,
    SubsidyRule,
)
from shegong.community.models import MealEnrolment, MealRecord
from shegong.core.roles import Role
from tests.conftest import make_user, shared
from tests.helpers import refusal, register_resident, workbook_of, xlsx_table
from tests.meal_world import make_canteen

CHECK_IN = "/canteen/check-in/"


def last_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=10)


canteen = shared(make_canteen)


def _check_in(client, code, meal="lunch", kind="dine_in"):
    return client.post(CHECK_IN, {"code": code, "meal": meal, "kind": kind})


def _shares(name):
    check_in = MealCheckIn.objects.get(resident__name=name)
    return (
        check_in.price_fen,
        check_in.elder_fen,
        check_in.city_fen,
        check_in.district_fen,
        check_in.street_fen,
    )


@pytest.mark.parametrize(
    ("key", "name", "expected"),
    [
        # price, elder, city = min(1200/4, 300), district = 1200 - elder - city, street
        ("hardship", "张桂英", (1200, 100, 300, 800, 0)),
        ("age_80", "李国华", (1200, 300, 300, 600, 0)),
        ("age_60", "王秀兰", (1200, 500, 300, 400, 0)),
        # No class recorded: the elder pays the whole price.
        ("none", "陈建平", (1200, 1200, 0, 0, 0)),
        # Home in 越秀 (another district): the district's ¥4 is the elder's to pay.
        ("outside", "刘美玲", (1200, 900, 300, 0, 0)),
    ],
)
def test_the_worked_example_for_each_class_and_funder(
    world, canteen, client, login, key, name, expected
):
    login(world["worker"])
    response = _check_in(client, canteen.codes[key])
    assert response.status_code == 302
    assert _shares(name) == expected
    # The day's roll call shows the elder present.
    assert MealRecord.objects.filter(resident__name=name, served_on=timezone.localdate()).exists()


def test_a_delivered_meal_splits_its_own_price(world, canteen, client, login):
    login(world["worker"])
    _check_in(client, canteen.codes["hardship"], kind="delivery")
    # city: a quarter of ¥15 is ¥3.75, capped at ¥3; district: 15 - 1 - 3 = ¥11.
    assert _shares("张桂英") == (1500, 100, 300, 1100, 0)


def test_lunch_and_dinner_are_subsidised_separately_and_a_second_lunch_is_refused(
    world, canteen, client, login
):
    login(world["worker"])
    code = canteen.codes["age_80"]
    assert _check_in(client, code, meal="lunch").status_code == 302
    assert _check_in(client, code, meal="dinner").status_code == 302
    again = _check_in(client, code, meal="lunch")
    assert again.status_code == 400
    assert "该长者本餐已签到。" in again.content.decode()
    rows = MealCheckIn.objects.filter(resident__name="李国华").order_by("meal")
    assert [(c.meal, c.elder_fen, c.district_fen) for c in rows] == [
        ("dinner", 300, 600),
        ("lunch", 300, 600),
    ]


def test_a_street_subsidy_is_lost_outside_the_elders_street(world, canteen, client, login):
    meal_services.subsidy_rule_add(
        actor=world["district"],
        level="street",
        area=world.street_a,
        subsidy_class="age_60",
        share=ShareKind.FIXED,
        fixed_fen=100,
        valid_from=timezone.localdate(),
    )
    login(world["worker"])
    _check_in(client, canteen.codes["age_60"])
    _check_in(client, canteen.codes["outside"])
    # At home: city 3, street 1, district 12 - 5 - 3 - 1 = 3; from 越秀 the
    # street's and the district's shares are lost (the elder pays 5 + 1 + 3).
    assert _shares("王秀兰") == (1200, 500, 300, 300, 100)
    assert _shares("刘美玲") == (1200, 900, 300, 0, 0)
    assert MealCheckIn.objects.get(resident__name="刘美玲").lost_levels == "district,street"


def test_unknown_code_not_enrolled_and_enrolled_elsewhere_are_refused(
    world, canteen, client, login
):
    worker_c = world["worker_c"]
    elsewhere = register_resident(world, "周丽华", station=world.station_c, actor=worker_c)
    enrolment_c = community_services.meal_enrol(
        actor=worker_c, resident=elsewhere, started_on=timezone.localdate()
    )
    code_c = meal_services.meal_card_issue(actor=worker_c, enrolment=enrolment_c).code
    ended = canteen.enrolments["age_80"]
    MealEnrolment.objects.filter(pk=ended.pk).update(
        ended_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    login(world["worker"])
    cases = {
        "ZZZZ2222": "没有餐卡使用此编号。",
        code_c: "该长者在另一个饭堂登记用餐，请在那里签到。",
        canteen.codes["age_80"]: "该长者当天未登记长者饭堂。",
    }
    for code, message in cases.items():
        response = _check_in(client, code)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not MealCheckIn.objects.exists()


def test_a_typed_code_is_read_without_spaces_and_in_any_case(world, canteen, client, login):
    login(world["worker"])
    code = canteen.codes["hardship"]
    assert _check_in(client, f" {code[:4].lower()} {code[4:]} ").status_code == 302
    assert _shares("张桂英") == (1200, 100, 300, 800, 0)


def test_the_card_page_shows_the_qr_code_as_svg(world, canteen, client, login):
    login(world["worker"])
    enrolment = canteen.enrolments["hardship"]
    page = client.get(f"/canteen/cards/{enrolment.pk}/").content.decode()
    assert "<svg" in page
    assert canteen.codes["hardship"] in page
    # Replacing the card: the old code stops working.
    client.post(f"/canteen/cards/{enrolment.pk}/")
    response = _check_in(client, canteen.codes["hardship"])
    assert response.status_code == 400


def test_a_class_is_recorded_with_its_evidence_and_ends_the_previous(world, canteen, client, login):
    login(world["worker"])
    enrolment = canteen.enrolments["age_60"]
    today = timezone.localdate()
    response = client.post(
        f"/canteen/cards/{enrolment.pk}/class/",
        {"subsidy_class": "hardship", "valid_from": today.isoformat(), "evidence": "特困证 001"},
    )
    assert response.status_code == 302
    classes = enrolment.resident.meal_eligibilities.order_by("valid_from")
    assert [(c.subsidy_class, c.valid_until, c.evidence) for c in classes] == [
        ("age_60", today - datetime.timedelta(days=1), "身份证"),
        ("hardship", None, "特困证 001"),
    ]
    _check_in(client, canteen.codes["age_60"])
    assert _shares("王秀兰") == (1200, 100, 300, 800, 0)


def _last_month_meals(world, canteen):
    day = last_month()
    for key in ("hardship", "age_80", "age_60", "none", "outside"):
        for meal in ("lunch", "dinner"):
            meal_services.meal_check_in(
                actor=world["worker"],
                station=world.station_a,
                code=canteen.codes[key],
                meal=meal,
                served_on=day,
            )


def _settlement_url(world, funder):
    return f"/canteen/settlements/{world.station_a.pk}/{last_month():%Y-%m}/{funder}/"


def test_settlement_totals_per_funder_computed_by_hand(world, canteen, client, login):
    _last_month_meals(world, canteen)
    login(world["director"])
    # Ten meals of ¥12: ¥120. The city pays 4 classed elders x 2 meals x ¥3 = ¥24;
    # the district (8 + 6 + 4 + 0) x 2 = ¥36; the elders (1 + 3 + 5 + 12 + 9) x 2 = ¥60.
    expected = {
        "city": ("10", "120.00", "24.00", "60.00", "2"),
        "district": ("10", "120.00", "36.00", "60.00", "4"),
        "street": ("10", "120.00", "0.00", "60.00", "2"),
    }
    for funder, figures in expected.items():
        page = client.get(_settlement_url(world, funder)).content.decode()
        for testid, value in zip(
            ("meals", "price", "funder", "elder", "exceptions"), figures, strict=True
        ):
            assert f'data-testid="figure-{testid}">{value}<' in page, (funder, testid)


def test_settlement_approved_station_street_district_then_locked(world, canteen, client, login):
    _last_month_meals(world, canteen)
    url = _settlement_url(world, "district")
    buyer = make_user("buyer", Role.STREET_OFFICE, street=world.street_a)
    # The street office cannot approve before the station.
    login(buyer)
    assert client.post(url).status_code == 403
    login(world["worker"])
    assert client.post(url).status_code == 403
    login(world["director"])
    assert client.post(url).status_code == 302
    settlement = MealSettlement.objects.get(funder="district")
    assert (settlement.status, settlement.meals, settlement.funder_fen) == ("station", 10, 3600)
    # Locked: a late check-in for that month is refused, the figures stay.
    MealCheckIn.objects.filter(served_on=last_month(), meal="dinner").delete()
    assert refusal(
        meal_services.meal_check_in,
        actor=world["worker"],
        station=world.station_a,
        code=canteen.codes["hardship"],
        meal="dinner",
        served_on=last_month(),
    ) == ["The month's settlement is approved: record a correction as an adjustment."]
    login(buyer)
    assert client.post(url).status_code == 302
    login(world["district"])
    assert client.post(url).status_code == 302
    settlement.refresh_from_db()
    assert settlement.status == "district"
    assert settlement.district_approved_by == world["district"]
    # Approving again is refused with a message; nothing changes.
    response = client.post(url, follow=True)
    assert "该结算已全部审批，不能再更改。" in response.content.decode()
    login(world["worker"])
    response = client.post(
        f"{url}adjust/",
        {"made_on": timezone.localdate().isoformat(), "amount_yuan": "-4.00", "reason": "重复签到"},
    )
    assert response.status_code == 302
    assert list(SettlementAdjustment.objects.values_list("amount_fen", "reason")) == [
        (-400, "重复签到")
    ]
    page = client.get(url).content.decode()
    assert 'data-testid="figure-funder">36.00<' in page
    assert 'data-testid="figure-adjusted">32.00<' in page


def test_the_current_month_cannot_be_settled(world, canteen, client, login):
    login(world["director"])
    url = f"/canteen/settlements/{world.station_a.pk}/{timezone.localdate():%Y-%m}/city/"
    response = client.post(url, follow=True)
    assert "月份结束后才能结算。" in response.content.decode()
    assert not MealSettlement.objects.exists()


ELDERS = ("张桂英", "李国华", "王秀兰", "陈建平", "刘美玲")


def test_settlement_excel_for_finance(world, canteen, client, login):
    _last_month_meals(world, canteen)
    login(world["director"])
    client.post(_settlement_url(world, "city"))
    response = client.get(f"{_settlement_url(world, 'city')}export/")
    assert response.status_code == 200
    rows = xlsx_table(response)
    assert rows[1][2:] == (10, 120, 24, 60, 2)
    assert rows[2][0] == "应付合计"
    assert rows[2][4] == 24
    # The totals only: no meal, no elder's name (those are a personal-data export).
    assert len(rows) == 1 + 2
    book = str([cell for row in rows for cell in row])
    assert not [name for name in ELDERS if name in book]


def _ask_meals(client, **data):
    body = {"kind": "meal_settlement", "month": f"{last_month():%Y-%m}", "funder": "city"}
    return client.post("/privacy/exports/new/", {**body, **data})


def test_the_month_meal_by_meal_is_a_personal_data_export(world, canteen, client, login):
    from shegong.core.models import AccessLog, AuditEntry
    from shegong.privacy.models import PersonalExport

    _last_month_meals(world, canteen)
    login(world["director"])
    page = client.get(_settlement_url(world, "city")).content.decode()
    link = (
        f"/privacy/exports/new/?kind=meal_settlement&amp;month={last_month():%Y-%m}&amp;funder=city"
    )
    assert f'href="{link}"' in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'value="meal_settlement" selected' in form
    # No reason, or one too short: refused with the message, nothing saved.
    response = _ask_meals(client, reason="")
    assert response.status_code == 400 and "该字段是必填项" in response.content.decode()
    response = _ask_meals(client, reason="对账")
    assert response.status_code == 400
    assert "请说明文件的用途（至少 4 个字）" in response.content.decode()
    response = _ask_meals(client, month="11/2026", reason="区民政局抽查对账")
    assert response.status_code == 400
    assert "请按 YYYY-MM 填写月份，例如 2026-11。" in response.content.decode()
    assert PersonalExport.objects.count() == 0

    response = _ask_meals(client, reason="区民政局抽查对账")
    export = PersonalExport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/privacy/exports/{export.pk}/"
    assert (export.kind, export.rows, export.status) == ("meal_settlement", 10, "approved")
    response = client.get(f"/privacy/exports/{export.pk}/download.xlsx")
    assert response.status_code == 200
    rows = xlsx_table(response)
    headers = (
        "检查项",
        "日期",
        "餐数",
        "餐费总额（元）",
        "出资方应付（元）",
        "长者自付（元）",
        "异常",
    )
    assert rows[0] == headers
    # Per elder, lunch and dinner alike: (meal value, the city pays, the elder pays, exception).
    shares = {"张桂英": (12, 3, 1, 0), "李国华": (12, 3, 3, 0), "王秀兰": (12, 3, 5, 0)}
    shares |= {"陈建平": (12, 0, 12, 1), "刘美玲": (12, 3, 9, 0)}
    expected = sorted(
        (f"{name} · {meal}", 1, *figures)
        for name, figures in shares.items()
        for meal in ("午餐", "晚餐")
    )
    assert sorted((row[0], *row[2:]) for row in rows[1:]) == expected
    sheet = workbook_of(response).active
    mark = f"E{export.pk:06d} · 导出人 "
    assert sheet.oddHeader.center.text.startswith(mark)
    assert sheet.oddFooter.center.text.endswith("用途：区民政局抽查对账")
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT_PERSONAL)
    assert (log.user, log.object_id) == (world["director"], export.pk)
    assert log.object_label == f"E{export.pk:06d} 助餐结算明细（逐餐） ×10"
    [entry] = [e for e in AuditEntry.objects.filter(action="export") if "reason" in e.detail]
    assert (entry.detail["kind"], entry.detail["rows"]) == ("meal_settlement", 10)


def test_a_large_meal_by_meal_export_waits_for_the_director(
    world, canteen, client, login, settings
):
    from shegong.privacy.models import PersonalExport

    settings.PERSONAL_EXPORT_APPROVAL_ROWS = 5
    _last_month_meals(world, canteen)
    _ask_meals(login(world["worker"]), reason="核对本月补贴")
    export = PersonalExport.objects.get()
    assert (export.rows, export.status) == (10, "pending")
    response = client.get(f"/privacy/exports/{export.pk}/download.xlsx", follow=True)
    assert "导出等待审批。" in response.content.decode()
    login(world["director"]).post(f"/privacy/exports/{export.pk}/", {"approve": "1"})
    response = login(world["worker"]).get(f"/privacy/exports/{export.pk}/download.xlsx")
    assert len(xlsx_table(response)) == 1 + 10


def test_an_adjustment_to_a_draft_is_refused(world, canteen, client, login):
    _last_month_meals(world, canteen)
    draft = MealSettlement.objects.create(
        station=world.station_a, month=last_month().replace(day=1), funder="city"
    )
    assert refusal(
        meal_services.settlement_adjust,
        actor=world["worker"],
        settlement=draft,
        made_on=timezone.localdate(),
        amount_fen=100,
        reason="x",
    ) == ["The settlement is not approved yet: its figures follow the check-ins."]


def test_subsidy_rules_are_the_officials(world, canteen):
    with pytest.raises(meal_services.PermissionDenied):
        meal_services.subsidy_rule_add(
            actor=world["worker"],
            level="city",
            area=world.city,
            subsidy_class="age_60",
            share=ShareKind.FIXED,
            fixed_fen=1,
            valid_from=timezone.localdate(),
        )
    with pytest.raises(meal_services.PermissionDenied):
        meal_services.subsidy_rule_add(
            actor=world["other_district"],
            level="district",
            area=world.district,
            subsidy_class="age_60",
            share=ShareKind.FIXED,
            fixed_fen=1,
            valid_from=timezone.localdate(),
        )
    assert SubsidyRule.objects.count() == 6


def _duplicate_with_a_card(world, name="张桂英"):
    worker = world["worker"]
    duplicate = register_resident(world, name, born=datetime.date(1940, 5, 2))
    since = timezone.localdate() - datetime.timedelta(days=40)
    enrolment = community_services.meal_enrol(actor=worker, resident=duplicate, started_on=since)
    meal_services.meal_eligibility_set(
        actor=worker, enrolment=enrolment, subsidy_class="hardship", valid_from=since, evidence="x"
    )
    return duplicate, meal_services.meal_card_issue(actor=worker, enrolment=enrolment).code


def test_merging_a_duplicate_drops_its_second_claim_for_the_same_meal(
    world, canteen, client, login
):
    duplicate, code = _duplicate_with_a_card(world)
    login(world["worker"])
    assert _check_in(client, canteen.codes["hardship"]).status_code == 302
    assert _check_in(client, code).status_code == 302
    assert _check_in(client, code, meal="dinner").status_code == 302
    keep = canteen.enrolments["hardship"].resident
    clients_services.resident_merge(actor=world["director"], keep=keep, duplicate=duplicate)
    # One lunch (a person eats once), and the duplicate's dinner now keep's.
    assert sorted(MealCheckIn.objects.values_list("resident__name", "meal", "elder_fen")) == [
        ("张桂英", "dinner", 100),
        ("张桂英", "lunch", 100),
    ]
    assert set(MealCheckIn.objects.values_list("resident", flat=True)) == {keep.pk}
    # One open subsidy class per elder and canteen: the duplicate's has ended.
    assert MealEligibility.objects.filter(resident=keep, valid_until__isnull=True).count() == 1


def test_merging_is_refused_when_the_double_claim_is_in_a_settled_month(
    world, canteen, client, login
):
    duplicate, code = _duplicate_with_a_card(world)
    keep = canteen.enrolments["hardship"].resident
    day = last_month()
    for resident in (keep, duplicate):
        meal_services.meal_check_in(
            actor=world["worker"],
            station=world.station_a,
            code=MealCard.objects.get(enrolment__resident=resident).code,
            meal="lunch",
            served_on=day,
        )
    login(world["director"])
    assert client.post(_settlement_url(world, "city")).status_code == 302
    assert refusal(
        clients_services.resident_merge, actor=world["director"], keep=keep, duplicate=duplicate
    ) == [
        f"Both records checked in for the same meal on {day.isoformat()}, in a month already "
        "settled: record an adjustment of that settlement before merging."
    ]
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None
    assert MealCheckIn.objects.filter(resident=duplicate).count() == 1
