"""Demo workforce 人才队伍 and excellent-case library 优秀案例.

Every demo station staff account gets a profile with a realistic mix of
qualifications (most 助理社会工作师 or 社会工作师, a few 高级社会工作师, some not
yet qualified), training courses and supervision sessions over the last year.
Each account's figures come from a generator seeded by its user name, so they
are the same on every run; profiles and records are written with bulk_create
(~750 profiles, ~10 k records in a couple of seconds) and only for accounts
that have no profile yet, so re-running adds nothing.

Then a few closed demo cases are written up anonymously, nominated by their
station's director and published by the city officer, through the library's
services (the anonymisation check included)."""

from __future__ import annotations

import datetime
import random
import zlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shegong.accounts.models import User
from shegong.cases import library
from shegong.cases.models import Case, CaseStatus, LibraryCase
from shegong.core.roles import STAFF_ROLES, Role
from shegong.workforce.models import (
    Post,
    Qualification,
    StaffProfile,
    SupervisionKind,
    SupervisionRecord,
    TrainingRecord,
)
from shegong.workforce.pay_models import MAX_GRADE, PayRate

# (qualification, weight) for directors and for social workers.
DIRECTOR_MIX = [
    (Qualification.SOCIAL_WORKER, 65),
    (Qualification.SENIOR, 12),
    (Qualification.ASSISTANT, 23),
]
WORKER_MIX = [
    (Qualification.ASSISTANT, 52),
    (Qualification.SOCIAL_WORKER, 28),
    (Qualification.SENIOR, 3),
    (Qualification.NONE, 17),
]
COURSES = [
    ("个案管理实务", "广州市社会工作协会"),
    ("长者危机干预与自杀预防", "广州市社会工作协会"),
    ("小组工作设计与带领", "中山大学社会学与人类学学院"),
    ("社区营造与居民议事", "广州市民政局"),
    ("社会工作伦理与专业界限", "广州市社会工作协会"),
    ("党建引领社会工作", "中共广州市委社会工作部"),
    ("青少年社会工作实务", "华南农业大学"),
    ("困境家庭评估工具应用", "广东省社会工作师联合会"),
    ("督导技巧进阶", "广东省社会工作师联合会"),
    ("社工站信息化平台使用", "广州市民政局"),
]
TRAINING_HOURS = ["3", "4", "6", "7.5", "8", "12", "16"]
SUPERVISORS = ["外聘督导刘老师", "外聘督导黄老师", "机构督导陈老师", "机构督导梁老师"]
SUPERVISION_NOTES = [
    "讨论高风险个案的介入策略与自我照顾。",
    "回顾小组方案设计，调整招募方式。",
    "梳理社区活动的成效评估指标。",
    "探讨专业界限与情绪耗竭的预防。",
]


def _rng(username: str) -> random.Random:
    return random.Random(zlib.crc32(username.encode()))


def _weighted(rng: random.Random, mix) -> str:
    values, weights = zip(*mix, strict=True)
    return rng.choices(values, weights=weights)[0]


# The post a demo account's role implies; the others draw one below.
POST_OF_ROLE = {Role.STATION_DIRECTOR: Post.DIRECTOR}


def _post(user: User, rng: random.Random) -> str:
    implied = POST_OF_ROLE.get(user.role)
    if implied:
        return implied
    if user.username.endswith("-1") and rng.random() < 0.25:
        return Post.SUPERVISOR
    if user.username.endswith("-3") and rng.random() < 0.2:
        return Post.ADMINISTRATION
    return Post.FRONTLINE


def _profile(user: User, today: datetime.date) -> StaffProfile:
    rng = _rng(user.username)
    post = _post(user, rng)
    mix = DIRECTOR_MIX if post in (Post.DIRECTOR, Post.SUPERVISOR) else WORKER_MIX
    qualification = _weighted(rng, mix)
    employed = today - datetime.timedelta(days=rng.randint(200, 12 * 365))
    profile = StaffProfile(
        user=user,
        station_id=user.station_id,
        post=post,
        qualification=qualification,
        employed_since=employed,
        # One grade for every two years of service (no random draw: the rest of
        # the demo draws as before).
        pay_grade=min(MAX_GRADE, 1 + (today - employed).days // 730),
    )
    if qualification != Qualification.NONE:
        certified = employed + datetime.timedelta(days=rng.randint(-700, 150))
        profile.certified_on = min(certified, today)
        profile.certificate_number = (
            f"{profile.certified_on.year}0{zlib.crc32(user.username.encode()) % 10**8:08d}"
        )
    return profile


def _records(profile: StaffProfile, today: datetime.date):
    rng = _rng(profile.user.username + ":records")
    since = max(profile.employed_since, today - datetime.timedelta(days=420))
    span = (today - since).days
    trainings, supervisions = [], []
    if span < 1:
        return trainings, supervisions
    for course, provider in rng.sample(COURSES, rng.randint(3, 7)):
        trainings.append(
            TrainingRecord(
                profile=profile,
                course=course,
                provider=provider,
                held_on=today - datetime.timedelta(days=rng.randint(1, span)),
                hours=Decimal(rng.choice(TRAINING_HOURS)),
                evidence=rng.choice(["结业证书", "签到表", "培训照片及签到表", ""]),
            )
        )
    for _ in range(rng.randint(4, 10)):
        group = rng.random() < 0.5
        supervisions.append(
            SupervisionRecord(
                profile=profile,
                supervisor=rng.choice(SUPERVISORS),
                held_on=today - datetime.timedelta(days=rng.randint(1, span)),
                hours=Decimal(rng.choice(["1", "1.5", "2"] if not group else ["2", "2.5", "3"])),
                kind=SupervisionKind.GROUP if group else SupervisionKind.INDIVIDUAL,
                note=rng.choice(SUPERVISION_NOTES),
            )
        )
    return trainings, supervisions


# The demo's pay table 薪酬表, in yuan a month: SAMPLE VALUES, labelled so on every
# page (no current official Guangzhou figures were found). Base per post, an
# addition per qualification, and a step per grade above the first.
SAMPLE_PAY_BASE = {
    Post.DIRECTOR: 7800,
    Post.SUPERVISOR: 8500,
    Post.FRONTLINE: 5200,
    Post.ADMINISTRATION: 4600,
}
SAMPLE_PAY_QUALIFICATION = {
    Qualification.NONE: 0,
    Qualification.ASSISTANT: 600,
    Qualification.SOCIAL_WORKER: 1200,
    Qualification.SENIOR: 2400,
}
SAMPLE_PAY_STEP = 250


def load_demo_pay_table(valid_from: datetime.date) -> int:
    """The sample pay table, once."""
    if PayRate.objects.exists():
        return 0
    rates = [
        PayRate(
            post=post,
            qualification=qualification,
            grade=grade,
            monthly_fen=(base + extra + SAMPLE_PAY_STEP * (grade - 1)) * 100,
            valid_from=valid_from,
            is_sample=True,
        )
        for post, base in SAMPLE_PAY_BASE.items()
        for qualification, extra in SAMPLE_PAY_QUALIFICATION.items()
        for grade in range(1, MAX_GRADE + 1)
    ]
    PayRate.objects.bulk_create(rates)
    return len(rates)


@transaction.atomic
def load_demo_staff(today: datetime.date | None = None) -> int:
    """Profiles with records for the demo staff accounts that have none, and the
    sample pay table."""
    today = today or timezone.localdate()
    load_demo_pay_table(datetime.date(2000, 1, 1))
    users = list(
        User.objects.filter(
            role__in=STAFF_ROLES, station__isnull=False, staff_profile__isnull=True
        ).order_by("username")
    )
    profiles = StaffProfile.objects.bulk_create([_profile(u, today) for u in users])
    trainings, supervisions = [], []
    for profile in profiles:
        t, s = _records(profile, today)
        trainings += t
        supervisions += s
    TrainingRecord.objects.bulk_create(trainings, batch_size=2000)
    SupervisionRecord.objects.bulk_create(supervisions, batch_size=2000)
    return len(profiles)


LIBRARY = {
    "elderly": {
        "title": "从“不敢出门”到“饭堂常客”：独居长者社区支持网络重建",
        "background": "案主为七十多岁的独居长者，子女在外地工作。半年前在家中跌倒后不敢出门，"
        "逐渐减少到长者饭堂用餐，邻里反映其情绪低落。",
        "assessment": "案主存在跌倒风险和孤独感，社会支持薄弱；优势是性格开朗、"
        "曾积极参加饭堂的餐前活动，对社区有归属感。",
        "intervention": "社工链接社区医生上门评估居家安全，协调加装扶手；安排党员义工每周探访；"
        "邀请案主参加餐前健康操小组，由熟悉的邻里陪同出行，循序渐进恢复外出。",
        "outcome": "三个月后案主恢复每日到长者饭堂用餐，结识三名互助伙伴，主动报名担任饭堂义工。",
        "reflection": "跌倒后的恐惧需要循序渐进地处理；把正式服务与邻里互助结合，"
        "支持网络才能在结案后持续运转。",
    },
    "family": {
        "title": "困境家庭照顾压力的纾解：链接资源与家庭会议并行",
        "background": "案主一家三代同住，母亲长期照顾患慢性病的老人和读小学的孩子，"
        "父亲收入不稳定，家庭矛盾增多。",
        "assessment": "主要照顾者身心疲惫，家庭沟通以指责为主；家庭成员彼此关心，"
        "孩子学习态度积极，是家庭的重要动力。",
        "intervention": "社工协助申请临时救助与居家养老服务，为老人链接日间照料；"
        "组织三次家庭会议，重新分配照顾任务；为孩子链接四点半课堂。",
        "outcome": "主要照顾者每周获得两天喘息时间，家庭冲突明显减少，孩子期末成绩提升。",
        "reflection": "照顾压力背后往往是分工失衡；资源链接解决燃眉之急，"
        "家庭会议才能改变相处方式。",
    },
    "youth": {
        "title": "“小候鸟”的暑期适应：流动儿童融入社区的小组与个案结合",
        "background": "案主为随父母来穗过暑假的小学生，父母工作繁忙，"
        "孩子白天独自在出租屋内，接触电子产品时间过长。",
        "assessment": "案主缺乏看护与同伴交往，存在安全隐患；优势是喜欢画画、"
        "愿意尝试新活动，父母重视孩子的成长。",
        "intervention": "社工将案主纳入“小候鸟”暑期成长小组，安排大学生义工结对陪伴；"
        "与父母制定作息约定，链接社区图书室与安全教育课程。",
        "outcome": "暑期内案主参加小组活动十二次，交到固定玩伴，父母表示孩子更愿意交流。",
        "reflection": "流动儿童的需要有明显的季节性，提前与学校和用工单位联动，"
        "能更早发现需要支持的家庭。",
    },
}


def load_demo_case_library(limit: int = 3) -> int:
    """Publish up to `limit` anonymised write-ups of closed demo cases, one per
    domain; a domain already in the library is skipped."""
    city = User.objects.filter(role=Role.CITY_OFFICER).order_by("pk").first()
    if city is None:
        return 0
    published = 0
    for domain, text in list(LIBRARY.items())[:limit]:
        if LibraryCase.objects.filter(title=text["title"]).exists():
            continue
        candidates = (
            Case.objects.filter(status=CaseStatus.CLOSED, domain=domain, library_entry__isnull=True)
            .select_related("station")
            .order_by("pk")[:10]
        )
        for case in candidates:
            director = User.objects.filter(
                role=Role.STATION_DIRECTOR, station_id=case.station_id
            ).first()
            if director is None:
                continue
            try:
                entry = library.library_case_create(
                    actor=director, case=case, domain=domain, **text
                )
            except ValidationError:
                continue  # the write-up happens to name this client: try another case
            library.library_case_publish(actor=city, entry=entry)
            published += 1
            break
    return published


def load_demo_workforce() -> tuple[int, int]:
    """Staff profiles with their records, then the library's published cases."""
    return load_demo_staff(), load_demo_case_library()
