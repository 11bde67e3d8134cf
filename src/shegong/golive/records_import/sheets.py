"""The records workbook: its sheets and columns (Chinese headers), and the empty
template."""

from __future__ import annotations

from dataclasses import dataclass

MAX_FILE_SIZE = 20 * 1024 * 1024
SUFFIXES = (".xlsx", ".csv")


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool = False


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    name: str  # the English file name stem of its CSV (households.csv …)
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def header_of(self, field_name: str) -> str:
        return next((c.header for c in self.columns if c.field == field_name), "")


STATION = Column("station", "站点编码", True)
SHEETS = (
    Sheet(
        "households",
        "家庭",
        "households",
        (
            STATION,
            Column("code", "家庭编号", True),
            Column("name", "家庭名称", True),
            Column("address", "地址"),
        ),
    ),
    Sheet(
        "residents",
        "居民",
        "residents",
        (
            STATION,
            Column("code", "居民编号", True),
            Column("name", "姓名", True),
            Column("gender", "性别", True),
            Column("birth_date", "出生日期", True),
            Column("id_number", "身份证号"),
            Column("phone", "手机号"),
            Column("address", "地址"),
            Column("household", "家庭编号"),
            Column("household_role", "家庭关系"),
            Column("community", "社区代码"),
            Column("consent_on", "知情同意日期"),
            Column("guardian", "监护人姓名"),
        ),
    ),
    Sheet(
        "statuses",
        "服务对象分类",
        "classifications",
        (
            STATION,
            Column("resident", "居民编号", True),
            Column("domain", "领域", True),
            Column("category", "类别", True),
            Column("priority_kind", "重点类型"),
            Column("started_on", "开始日期", True),
            Column("ended_on", "结束日期"),
        ),
    ),
    Sheet(
        "volunteers",
        "义工",
        "volunteers",
        (
            STATION,
            Column("code", "义工编号", True),
            Column("name", "姓名", True),
            Column("phone", "手机号"),
            Column("skills", "技能"),
            Column("party", "党员"),
            Column("registered_on", "登记日期", True),
            Column("consent_on", "知情同意日期", True),
        ),
    ),
    Sheet(
        "memberships",
        "小组成员",
        "group-members",
        (STATION, Column("group", "小组名称", True), Column("resident", "居民编号", True)),
    ),
    Sheet(
        "cases",
        "个案",
        "cases",
        (
            STATION,
            Column("code", "个案编号", True),
            Column("resident", "居民编号", True),
            Column("domain", "领域", True),
            Column("source", "来源"),
            Column("opened_on", "开案日期", True),
            Column("status", "当前阶段", True),
            Column("workers", "负责社工", True),
            Column("risk_level", "风险等级"),
            Column("last_contact_on", "最近联系日期"),
            Column("summary", "历史摘要"),
        ),
    ),
)
SHEET_BY_KEY = {sheet.key: sheet for sheet in SHEETS}
SHEET_BY_TITLE = {sheet.title: sheet for sheet in SHEETS}


def template_workbook(path_or_file) -> None:
    """The empty template: one sheet per kind, its headers in the first row."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for sheet in SHEETS:
        ws = workbook.create_sheet(title=sheet.title)
        ws.append(sheet.headers)
    workbook.save(path_or_file)
