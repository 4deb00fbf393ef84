"""A seeded knowledge-base corpus for the benchmark: 20,000 realistic Q&A entries.

Questions are composed the way callers ask (subject × matter × action × place): 朝外街道的老年人
怎么申请高龄津贴？ 社保卡丢了在哪里补办？ … answers name the unit, materials and time limit.
"""

from __future__ import annotations

import random

SUBJECTS = [
    "老年人",
    "残疾人",
    "新生儿",
    "外地来京人员",
    "退役军人",
    "个体工商户",
    "小微企业",
    "低收入家庭",
    "失业人员",
    "大学毕业生",
    "孕产妇",
    "留学回国人员",
    "灵活就业人员",
    "租房居民",
    "业主",
]
MATTERS = [
    ("高龄津贴", "区民政局"),
    ("最低生活保障", "区民政局"),
    ("临时救助", "区民政局"),
    ("居住证", "区公安分局"),
    ("社保卡", "区人力社保局"),
    ("失业保险金", "区人力社保局"),
    ("职工医保报销", "区医疗保障局"),
    ("城乡居民医保参保", "区医疗保障局"),
    ("营业执照", "区市场监管局"),
    ("食品经营许可证", "区市场监管局"),
    ("公租房", "区住房城乡建设委"),
    ("物业费", "区住房城乡建设委"),
    ("供暖费", "区住房城乡建设委"),
    ("出生医学证明", "区卫生健康委"),
    ("预防接种", "区卫生健康委"),
    ("残疾人证", "区残联"),
    ("住房公积金提取", "区住房城乡建设委"),
    ("不动产登记", "区规划自然资源分局"),
    ("户口迁移", "区公安分局"),
    ("就业创业补贴", "区人力社保局"),
    ("养老服务补贴", "区民政局"),
    ("婚姻登记", "区民政局"),
]
ACTIONS = [
    "怎么申请",
    "在哪里办理",
    "需要什么材料",
    "多长时间能办好",
    "可以网上办吗",
    "怎么补办",
    "有什么条件",
    "怎么查询进度",
    "办不成找谁",
    "标准是多少",
]
PLACES = [
    "朝外街道",
    "建外街道",
    "呼家楼街道",
    "三里屯街道",
    "左家庄街道",
    "团结湖街道",
    "六里屯街道",
    "八里庄街道",
    "双井街道",
    "劲松街道",
    "潘家园街道",
    "麦子店街道",
]
MATERIALS = [
    "居民身份证",
    "户口簿",
    "申请表",
    "收入证明",
    "居住证明",
    "医疗费用票据",
    "劳动合同",
    "结婚证",
    "营业执照副本",
    "房屋租赁合同",
]

#: Queries an agent types while on the call (short, colloquial).
QUERIES = [
    "高龄津贴怎么申请",
    "低保",
    "社保卡丢了",
    "居住证签注",
    "失业金怎么领",
    "医保报销材料",
    "营业执照网上办",
    "公租房申请条件",
    "暖气不热",
    "供暖费标准",
    "出生医学证明补办",
    "孩子打疫苗",
    "残疾人证办理",
    "公积金提取需要什么",
    "不动产登记多久",
    "户口迁移",
    "创业补贴",
    "养老服务补贴标准",
    "结婚登记在哪",
    "食品经营许可证",
    "临时救助",
    "物业费纠纷",
    "朝外街道低保",
    "建外街道居住证",
    "个体户营业执照注销",
    "大学毕业生就业补贴",
    "外地人居住证",
    "孕产妇医保",
    "退役军人优待",
    "灵活就业社保",
    "办不成事找谁",
    "进度查询",
    "网上可以办吗",
    "需要哪些材料",
    "多长时间办好",
    "租房提取公积金",
    "医保参保缴费",
    "老年人补贴",
    "残疾人补贴",
    "小微企业补贴",
]


def generate(n: int, seed: int = 2026) -> list[tuple[str, str, list[str], str]]:
    """n entries: (question, answer, keywords, owner unit name)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        subject = rng.choice(SUBJECTS)
        matter, unit = rng.choice(MATTERS)
        action = rng.choice(ACTIONS)
        place = rng.choice(PLACES)
        question = f"{place}的{subject}{matter}{action}？（{i}）"
        materials = "、".join(rng.sample(MATERIALS, 3))
        days = rng.choice([1, 3, 5, 7, 10, 15, 20])
        answer = (
            f"{subject}办理{matter}，可到{place}政务服务中心或通过网上办事大厅申请，由{unit}负责审核。"
            f"需提交{materials}。承诺时限{days}个工作日。咨询请拨打12345。"
        )
        out.append((question, answer, [matter, subject, place], unit))
    return out
