"""Demo entries of the directory of services 资源库: in each district its
hospital, its Disabled Persons' Federation 残联 and its legal aid office, kept by
the district officer; and a few city-wide partners kept by the city officer. All
through `referrals.services`; an entry already there (same name) is left alone,
so re-running adds nothing."""

from __future__ import annotations

import zlib

from shegong.accounts.models import User
from shegong.core.models import Domain
from shegong.core.roles import Role
from shegong.org.models import City, District
from shegong.referrals import services
from shegong.referrals.models import Partner, PartnerKind

# (name suffix, kind, domains, services, eligibility)
DISTRICT_PARTNERS = [
    (
        "人民医院",
        PartnerKind.HOSPITAL,
        [Domain.ELDERLY, Domain.FAMILY],
        "门诊转诊、家庭病床、康复护理、长者体检",
        "本区常住居民；家庭病床需经医生评估",
    ),
    (
        "残疾人联合会",
        PartnerKind.DISABLED_PERSONS,
        [Domain.FEATURED, Domain.FAMILY],
        "残疾人证办理、辅具适配、康复补贴、就业扶持",
        "持有或申请《残疾人证》的本区户籍居民",
    ),
    (
        "法律援助处",
        PartnerKind.LEGAL_AID,
        [Domain.FAMILY, Domain.ELDERLY, Domain.YOUTH],
        "法律咨询、法律援助申请、家事纠纷调解",
        "经济困难或符合法律援助条件的居民",
    ),
]
CITY_PARTNERS = [
    (
        "广州市慈善会",
        PartnerKind.CHARITY,
        [Domain.FAMILY, Domain.ELDERLY, Domain.YOUTH, Domain.FEATURED],
        "临时救助、助学、大病救助",
        "经社工评估的困难家庭",
        "020-83000000",
    ),
    (
        "广州市12355青少年服务台",
        PartnerKind.OTHER,
        [Domain.YOUTH],
        "青少年心理辅导、权益维护",
        "14至35周岁青少年及其家庭",
        "12355",
    ),
]


def _phone(district: District) -> str:
    return f"020-8{zlib.crc32(district.code.encode()) % 10**7:07d}"


def load_demo_directory() -> int:
    """Register the demo directory entries that are not there yet; their number."""
    added = 0
    city = City.objects.order_by("pk").first()
    if city is None:
        return 0
    city_officer = User.objects.filter(role=Role.CITY_OFFICER, city=city).first()
    for district in District.objects.filter(city=city).order_by("code"):
        officer = (
            User.objects.filter(role=Role.DISTRICT_OFFICER, district=district).first()
            or city_officer
        )
        if officer is None:
            continue
        for suffix, kind, domains, offered, eligibility in DISTRICT_PARTNERS:
            name = f"{district.name}{suffix}"
            if Partner.objects.filter(name=name, city=city).exists():
                continue
            services.partner_create(
                actor=officer,
                keeper=district,
                name=name,
                kind=kind,
                domains=domains,
                services=offered,
                eligibility=eligibility,
                served_district=district,
                contact_person="服务窗口",
                phone=_phone(district),
                address=f"广州市{district.name}",
            )
            added += 1
    if city_officer is None:
        return added
    for name, kind, domains, offered, eligibility, phone in CITY_PARTNERS:
        if Partner.objects.filter(name=name, city=city).exists():
            continue
        services.partner_create(
            actor=city_officer,
            keeper=city,
            name=name,
            kind=kind,
            domains=domains,
            services=offered,
            eligibility=eligibility,
            phone=phone,
            address="广州市",
        )
        added += 1
    return added
