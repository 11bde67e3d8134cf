"""The two built-in city-wide templates: the residents' needs survey
(居民服务需求调查) and the satisfaction survey (满意度调查). Stations start their
own survey from them. The questionnaires are in Chinese, the residents' language.

In the needs survey every option of the four need questions is a need counted in
one statistical domain (family, elderly, youth, featured), so the analysis can
rank the street's needs per domain and the director can pick the key project.
"""

from shegong.core.models import Domain
from shegong.surveys.models import QuestionKind, SurveyKind

F, E, Y, X = Domain.FAMILY, Domain.ELDERLY, Domain.YOUTH, Domain.FEATURED

NEEDS_QUESTIONS = [
    {
        "section": "基本情况",
        "kind": QuestionKind.SINGLE,
        "text": "您的年龄段",
        "options": [("18岁以下", ""), ("18–59岁", ""), ("60–79岁", ""), ("80岁及以上", "")],
    },
    {
        "section": "基本情况",
        "kind": QuestionKind.SINGLE,
        "text": "您在本街道居住了多久？",
        "options": [("不到1年", ""), ("1–5年", ""), ("5年以上", "")],
    },
    {
        "section": "家庭服务需求",
        "kind": QuestionKind.MULTIPLE,
        "text": "您的家庭最需要哪些服务？（可多选）",
        "options": [
            ("邻里互助", F),
            ("亲子关系与家庭教育", F),
            ("婚姻家庭关系调适", F),
            ("困境家庭帮扶", F),
        ],
    },
    {
        "section": "长者服务需求",
        "kind": QuestionKind.MULTIPLE,
        "text": "家中长者最需要哪些服务？（可多选）",
        "options": [
            ("长者照顾", E),
            ("独居长者探访", E),
            ("长者饭堂与送餐", E),
            ("长者健康与防跌倒", E),
        ],
    },
    {
        "section": "青少年服务需求",
        "kind": QuestionKind.MULTIPLE,
        "text": "家中青少年最需要哪些服务？（可多选）",
        "required": False,
        "options": [
            ("青少年课后托管", Y),
            ("学业辅导", Y),
            ("青少年心理支持", Y),
            ("“小候鸟”暑期活动", Y),
        ],
    },
    {
        "section": "社区特色服务需求",
        "kind": QuestionKind.MULTIPLE,
        "text": "您希望社区开展哪些特色服务？（可多选）",
        "options": [
            ("旧楼加装电梯协商", X),
            ("社区图书馆", X),
            ("志愿服务与义工培训", X),
            ("社区安全与禁毒宣传", X),
        ],
    },
    {
        "section": "意见与建议",
        "kind": QuestionKind.TEXT,
        "text": "您对社工站的服务还有什么需求或建议？",
        "required": False,
    },
]

SATISFACTION_QUESTIONS = [
    {"section": "服务评价", "kind": QuestionKind.RATING, "text": "您对社工站服务的总体满意程度"},
    {"section": "服务评价", "kind": QuestionKind.RATING, "text": "社工的服务态度"},
    {"section": "服务评价", "kind": QuestionKind.RATING, "text": "服务的及时性"},
    {"section": "服务评价", "kind": QuestionKind.RATING, "text": "服务对您或家人的帮助"},
    {"section": "服务评价", "kind": QuestionKind.RATING, "text": "活动场地与环境"},
    {
        "section": "意见与建议",
        "kind": QuestionKind.TEXT,
        "text": "您对社工站还有什么意见或建议？",
        "required": False,
    },
]

BUILTIN_TEMPLATES = {
    "needs": {
        "kind": SurveyKind.NEEDS,
        "title": "居民服务需求调查",
        "introduction": (
            "为了解街坊的服务需求、做好明年的服务计划，请您花3分钟填写本问卷。"
            "问卷匿名填写，感谢您的支持！"
        ),
        "questions": NEEDS_QUESTIONS,
    },
    "satisfaction": {
        "kind": SurveyKind.SATISFACTION,
        "title": "满意度调查",
        "introduction": "请为社工站的服务打分（1分最低，5分最高）。问卷匿名填写，感谢您的支持！",
        "questions": SATISFACTION_QUESTIONS,
    },
}
