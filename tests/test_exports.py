"""Excel files officials can hand on (core.exports): a title block naming the
report, its scope, period and who generated it when; a bold frozen header; widths;
thousands separators; Chinese sheet names; the 113X target report with every
metric. CSV stays plain rows with a BOM."""

from __future__ import annotations

import datetime
from decimal import Decimal

from shegong.plans import services as plan_services
from tests.conftest import shared
from tests.delivery_world import TODAY, make_delivery, record, this_year
from tests.helpers import workbook_of, xlsx_table, xlsx_title_block


def _targets_world(world):
    d = make_delivery(world)
    director = d["director"]
    plan_services.target_set(
        actor=director,
        project=d.projects["elderly"],
        targets={"person_times": 1200, "activities": 4, "volunteer_hours": 10},
    )
    plan_services.target_set(actor=director, project=d.projects["key"], targets={"activities": 2})
    day = TODAY()
    held_on = day if day.year == this_year() else datetime.date(this_year(), 1, 1)
    # Elderly: one activity of 3 named + 997 head-count, one volunteer 2.5 h.
    record(
        d,
        project="elderly",
        held_on=held_on,
        attendees=d.residents[:3],
        headcount=997,
        volunteers=[(d.volunteers[0], Decimal("2.5"))],
    )
    record(d, project="key", held_on=held_on, attendees=d.residents[3:4])
    return d


targets_world = shared(_targets_world)


def test_the_target_report_lists_every_metric_with_its_figure(targets_world, login):
    d = targets_world
    response = login(d["director"]).get(f"/stats/reports/targets.xlsx?year={this_year()}")
    assert response.status_code == 200
    rows = xlsx_table(response)
    assert rows[0] == ("区", "社工站", "项目", "类型", "指标", "年度目标", "完成", "完成率（%）")
    assert rows[1:] == [
        ("海珠区", "沙园街社工站", "邻里互助", "重点项目（最迫切需求）", "社区活动", 2, 1, 50),
        ("海珠区", "沙园街社工站", "长者服务", "基础项目", "服务人次", 1200, 1000, 83.3),
        ("海珠区", "沙园街社工站", "长者服务", "基础项目", "社区活动", 4, 1, 25),
        ("海珠区", "沙园街社工站", "长者服务", "基础项目", "义工时数", 10, 2.5, 25),
    ]


def test_the_workbook_has_a_title_block_and_a_frozen_bold_header(targets_world, login):
    d = targets_world
    response = login(d["director"]).get(f"/stats/reports/monthly.xlsx?year={this_year()}")
    title, block = xlsx_title_block(response)
    assert title == "服务人次月报"
    assert block["范围"] == "沙园街社工站"
    assert block["统计期间"] == str(this_year())
    assert block["生成人"] == str(d["director"])
    assert datetime.datetime.strptime(block["生成时间"], "%Y-%m-%d %H:%M")

    workbook = workbook_of(login(d["director"]).get("/stats/reports/monthly.xlsx"))
    sheet = workbook.active
    assert sheet.title == "服务人次月报"
    header_row = int(sheet.freeze_panes[1:]) - 1
    header = sheet[header_row]
    assert header[0].value == "月份"
    assert all(cell.font.bold for cell in header)
    assert sheet.column_dimensions["A"].width >= 8
    first_month = sheet[header_row + 1]
    assert first_month[5].number_format == "#,##0"  # the month's person-times


def test_a_district_view_is_titled_with_the_district(targets_world, login):
    d = targets_world
    district = d.world.station_a.street.district
    response = login(d["city"]).get(
        f"/stats/reports/districts.xlsx?year={this_year()}&district={district.pk}"
    )
    title, block = xlsx_title_block(response)
    assert title == "分区年度服务人次报表"
    assert block["范围"] == "海珠区"
    assert xlsx_table(response)[1][0] == "海珠区"


def test_csv_stays_plain_rows_with_a_bom(targets_world, login):
    d = targets_world
    response = login(d["director"]).get(f"/stats/reports/targets.csv?year={this_year()}")
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "区,社工站,项目,类型,指标,年度目标,完成,完成率（%）"
    assert len(lines) == 5
