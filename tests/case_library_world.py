"""A closed case of station A whose client has every kind of identifier, for
the excellent-case library tests.

Client 陈秀英, ID number 44010519520314{xyz}, mobile 13812345678, address
广州市海珠区沙园街道宝岗大道123号301房, household 陈家 with her son 李志强
(mobile 13987654321) and a consent given by her guardian 王美玲."""

from __future__ import annotations

import datetime

from shegong.cases import services as case_services
from shegong.clients import services as client_services
from shegong.clients.identity import id_check_char
from tests.helpers import days_ago
from tests.helpers import open_case as _open_case

ID17 = "44010519520314201"
ID_NUMBER = ID17 + id_check_char(ID17)
PHONE = "13812345678"
ADDRESS = "广州市海珠区沙园街道宝岗大道123号301房"


def make_client(world):
    worker = world["worker"]
    household = client_services.household_create(
        actor=worker, station=world.station_a, name="陈家", address=ADDRESS
    )
    client = client_services.resident_register(
        actor=worker,
        station=world.station_a,
        name="陈秀英",
        gender="female",
        birth_date=datetime.date(1952, 3, 14),
        id_number=ID_NUMBER,
        phone=PHONE,
        address=ADDRESS,
        household=household,
        household_role="户主",
    )
    client_services.resident_register(
        actor=worker,
        station=world.station_a,
        name="李志强",
        gender="male",
        birth_date=datetime.date(1978, 6, 1),
        phone="13987654321",
        household=household,
        household_role="儿子",
    )
    client_services.consent_record(
        actor=worker,
        resident=client,
        recorded_on=days_ago(90),
        given_by="guardian",
        guardian_name="王美玲",
        guardian_relation="监护人",
    )
    return client


def closed_case(world, client=None):
    case = open_case(world, client or make_client(world))
    return case_services.case_close(
        actor=world["director"], case=case, closed_on=days_ago(10), outcome="client_withdrew"
    )


CLEAN = {
    "title": "独居长者社区支持网络的重建",
    "domain": "elderly",
    "background": "案主为七十多岁的独居长者，子女在外地工作，"
    "近期因跌倒后不敢出门，与邻里联系减少。",
    "assessment": "案主身体机能下降，存在孤独感与跌倒风险；"
    "优势是性格开朗、曾积极参加长者饭堂活动。",
    "intervention": "社工链接社区医生上门评估，协调党员义工每周探访，"
    "并邀请案主参加餐前健康操小组。",
    "outcome": "三个月后案主恢复每日到长者饭堂用餐，建立了三名邻里互助伙伴。",
    "reflection": "社区支持网络比单一服务更能持续；跌倒后的恐惧需要循序渐进地处理。",
}


def open_case(world, client):
    """An elderly case of `client` opened 60 days ago."""
    return _open_case(world, client, domain="elderly", opened_on=days_ago(60))
