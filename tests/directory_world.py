"""The directory of services for the tests: six entries around the conftest world.

| entry | kept by | kind | domains | area served | active |
|---|---|---|---|---|---|
| 海珠区第一人民医院 | station A | hospital | elderly, family | 海珠区 · 沙园街 | yes |
| 海珠区法律援助处 | 海珠区 | legal aid | family | 海珠区 | yes |
| 北京街助残服务站 | station C | 残联 | featured | 越秀区 | yes |
| 越秀旧合作单位 | station C | other | family | 越秀区 | no |
| 广州市慈善会 | the city | charity | all four | whole city | yes |
| 沙园旧伙伴 | station A | school | youth | 海珠区 | no |
"""

from __future__ import annotations

from dataclasses import dataclass

from shegong.referrals import services
from shegong.referrals.models import Partner


@dataclass
class Directory:
    hospital: Partner
    legal_aid: Partner
    disabled: Partner
    old_c: Partner
    charity: Partner
    old_a: Partner


def make_directory(world) -> Directory:
    def add(actor, **fields):
        return services.partner_create(actor=actor, **fields)

    return Directory(
        hospital=add(
            world["worker"],
            name="海珠区第一人民医院",
            kind="hospital",
            domains=["elderly", "family"],
            services="家庭病床、康复护理",
            served_district=world.district,
            served_street=world.street_a,
            contact_person="李医生",
            phone="020-84123456",
        ),
        legal_aid=add(
            world["district"],
            name="海珠区法律援助处",
            kind="legal_aid",
            domains=["family"],
            services="法律咨询",
            served_district=world.district,
            phone="12348",
        ),
        disabled=add(
            world["worker_c"],
            name="北京街助残服务站",
            kind="disabled_persons",
            domains=["featured"],
            services="辅具适配",
            served_district=world.other_district,
        ),
        old_c=add(
            world["worker_c"],
            name="越秀旧合作单位",
            kind="other",
            domains=["family"],
            served_district=world.other_district,
            active=False,
        ),
        charity=add(
            world["city"],
            name="广州市慈善会",
            kind="charity",
            domains=["family", "elderly", "youth", "featured"],
            services="临时救助",
        ),
        old_a=add(
            world["worker"],
            name="沙园旧伙伴",
            kind="school",
            domains=["youth"],
            served_district=world.district,
            active=False,
        ),
    )
