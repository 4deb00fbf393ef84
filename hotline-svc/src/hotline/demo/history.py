"""A year of demo tickets for hot topics (热点问题): realistic topics across the demo streets, seeded
so the same seed and the same moment give the same tickets, plus a planted rising topic.

Each (topic, street) has its own weekly rate; a week's count is Poisson around it (heating only in
the heating season, 11-15 to 03-15). The last seven days of every background topic are held to at
most their own mean of the weeks before, so nothing but the planted topic rises: 夜间施工噪音 in
呼家楼街道, `PLANTED_COUNT` calls in the last five days about one building site, several of them
near-duplicates (the same site, the same words). Every background ticket is closed; the planted
ones wait for dispatch (registered), so they can still be merged.

`generate(now, seed)` gives the tickets with their true topic (`DemoTicket.topic`): the demo loads
them, and bench/topics scores the clustering against those labels on a sample of another seed.
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

D = "110105"
#: The demo streets (identity.demo) with their communities' places.
PLACES: dict[str, list[tuple[str, str]]] = {
    f"{D}001": [(f"{D}001001", "吉祥里小区"), (f"{D}001002", "雅宝里小区"), (f"{D}001003", "芳草地西街")],
    f"{D}002": [(f"{D}002001", "永安里东小区"), (f"{D}002002", "建国里小区")],
    f"{D}003": [(f"{D}003001", "呼家楼北小区"), (f"{D}003002", "金台里小区"), (f"{D}003003", "核桃园小区")],
}
#: The street and place of the planted rising topic.
PLANTED_STREET = f"{D}003"
PLANTED_COMMUNITY = (f"{D}003002", "金台里小区")
PLANTED_TOPIC = "noise_construction"
PLANTED_COUNT = 14
HISTORY_ACTOR = "system:hotline-demo-history"
WEEKS = 52

FILL = {
    "effect": ["严重影响休息", "孩子没法学习", "老人整夜睡不着", "晚上根本睡不着觉"],
    "hour": ["十", "十一", "十二"],
    "time": ["早上六点", "晚上七点到九点", "傍晚", "中午"],
    "temp": ["14", "15", "16", "17"],
    "bldg": [str(n) for n in range(1, 13)],
    "n": ["两", "三", "四", "五"],
}

#: What callers add whatever the matter: said in one of two calls, it blurs the topics' words.
EXTRA = (
    "之前已经打过电话，一直没有解决。",
    "物业说这事不归他们管。",
    "希望相关部门尽快来现场看看。",
    "这个情况已经持续一个多月了。",
    "社区也反映过，没有下文。",
    "请给个答复。",
    "晚上回家路过这里特别不方便。",
    "家里有老人和孩子。",
)


@dataclass(frozen=True)
class TopicSpec:
    """One demo topic: its true label, category, request type, titles, descriptions, rate."""

    key: str
    label: str
    category: str
    request_type: str
    titles: tuple[str, ...]
    descriptions: tuple[str, ...]
    heating_season: bool = False


TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(
        "noise_construction",
        "夜间施工噪音",
        "noise",
        "complaint",
        ("夜间施工噪音扰民", "工地晚上施工太吵", "深夜施工噪声大", "工地夜间施工影响休息"),
        (
            "{place}旁边的工地每天晚上{hour}点以后还在施工，机器轰鸣，{effect}。",
            "{place}附近工地夜间打桩、渣土车进出，噪声很大，{effect}。",
            "{place}东侧工地连续几天夜里施工到凌晨，{effect}，请查处夜间违规施工。",
        ),
    ),
    TopicSpec(
        "noise_dance",
        "广场舞噪音",
        "noise",
        "complaint",
        ("广场舞音响声音太大", "广场舞扰民", "跳舞音响噪音大"),
        (
            "{place}旁边的空地每天{time}有人跳广场舞，音响开得很大，{effect}。",
            "{place}楼下广场舞音乐声音太响，劝说过也不听，{effect}。",
        ),
    ),
    TopicSpec(
        "street_vending",
        "占道经营",
        "roads",
        "complaint",
        ("商贩占道经营", "路边摊占用人行道", "早市摊贩占道摆摊"),
        (
            "{place}门口每天{time}有商贩占用人行道摆摊，行人只能走机动车道，存在安全隐患。",
            "{place}附近路边摊占道经营，油烟和垃圾很多，道路拥堵。",
        ),
    ),
    TopicSpec(
        "heating",
        "供暖不热",
        "heating",
        "help",
        ("暖气不热", "供暖温度不达标", "家里暖气不热室温低"),
        (
            "{place}{bldg}号楼暖气不热，室内温度只有{temp}度，联系供热公司一直没人来修。",
            "{place}供暖后暖气片一直是凉的，家里有老人孩子，室温只有{temp}度。",
        ),
        heating_season=True,
    ),
    TopicSpec(
        "garbage",
        "垃圾清运不及时",
        "sanitation",
        "complaint",
        ("垃圾清运不及时", "垃圾桶满了没人清运", "垃圾堆放发臭"),
        (
            "{place}的垃圾桶已经满了{n}天没人清运，垃圾堆在地上，气味很大。",
            "{place}垃圾站垃圾清运不及时，招苍蝇蚊子，环境卫生很差。",
        ),
    ),
    TopicSpec(
        "parking",
        "停车难",
        "property",
        "complaint",
        ("停车难车位不够", "车辆乱停占用消防通道", "停车位严重不足"),
        (
            "{place}车位严重不足，晚上车辆乱停乱放，堵住了消防通道。",
            "{place}周边停车难，很多车停在人行道上，请增加停车位、规范停车管理。",
        ),
    ),
    TopicSpec(
        "elevator",
        "电梯故障",
        "property",
        "help",
        ("电梯经常故障", "电梯坏了没人修", "老旧电梯停运"),
        ("{place}{bldg}号楼电梯经常坏，这周又停运{n}天，老人上下楼很困难，物业不及时维修。",),
    ),
    TopicSpec(
        "water",
        "停水水压低",
        "water",
        "help",
        ("家里突然停水", "自来水水压太低", "停水没有通知"),
        (
            "{place}{bldg}号楼从{time}开始停水，事先没有任何通知，生活很不方便。",
            "{place}高层自来水水压低，{time}基本没水，洗澡做饭都困难。",
        ),
    ),
    TopicSpec(
        "ebike",
        "电动车楼道充电",
        "property",
        "report",
        ("电动车楼道充电", "飞线充电安全隐患", "电动自行车进楼充电"),
        (
            "{place}{bldg}号楼有住户把电动自行车推进楼道充电，电线从窗户拉下来，存在火灾隐患。",
            "{place}多辆电动车在楼道里飞线充电，堵塞通道，担心起火。",
        ),
    ),
    TopicSpec(
        "social_card",
        "社保卡补办",
        "social_security",
        "enquiry",
        ("社保卡丢了怎么补办", "社保卡补办咨询", "社保卡挂失补卡"),
        (
            "社保卡丢失了，想咨询在哪里补办社保卡，需要带什么材料，补卡要多久。",
            "社保卡不小心丢了，请问怎么挂失和补办社保卡，能不能在街道办理。",
        ),
    ),
)
SPECS = {t.key: t for t in TOPICS}


@dataclass(frozen=True)
class DemoTicket:
    """One generated ticket and its true topic."""

    topic: str
    row: dict[str, Any]


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def in_heating_season(day: date) -> bool:
    """11-15 to 03-15 (the city's statutory heating season)."""
    return (day.month, day.day) >= (11, 15) or (day.month, day.day) <= (3, 15)


def _text(rng: random.Random, template: str, place: str) -> str:
    text = template.format(place=place, **{k: rng.choice(v) for k, v in FILL.items()})
    return text + rng.choice(EXTRA) if rng.random() < 0.5 else text


def _row(
    rng: random.Random, spec: TopicSpec, street: str, community: str, place: str, at: datetime, seq: int
) -> dict[str, Any]:
    """A closed ticket's columns."""
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "number": at.strftime("%Y%m%d") + f"-9{seq:07d}",
        "request_type": spec.request_type,
        "channel": rng.choice(("phone", "phone", "phone", "web", "mobile")),
        "category_code": spec.category,
        "title": rng.choice(spec.titles),
        "description": _text(rng, rng.choice(spec.descriptions), place),
        "urgent": False,
        "complex": False,
        "caller_name": rng.choice(("王女士", "李先生", "张女士", "刘先生", "陈女士", "赵先生")),
        "caller_phone": "139" + f"{rng.randrange(10**8):08d}",
        "anonymous": False,
        "address": f"朝阳区{place}",
        "street_code": street,
        "community_code": community,
        "attributes": {},
        "status": "closed",
        "close_reason": "completed",
        "co_unit_codes": [],
        "coordination": False,
        "reopen_count": 0,
        "token": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "created_by": HISTORY_ACTOR,
        "created_at": at,
        "updated_at": at + timedelta(days=3),
        "closed_at": at + timedelta(days=3),
    }


def _weekly_counts(rng: random.Random, spec: TopicSpec, lam: float, now: datetime) -> list[int]:
    """Counts for weeks WEEKS-1 … 0 before `now` (0: the last seven days), the last held to the mean."""
    counts = []
    for back in range(WEEKS - 1, -1, -1):
        day = (now - timedelta(days=7 * back + 3)).date()
        rate = lam if not spec.heating_season or in_heating_season(day) else 0.0
        counts.append(_poisson(rng, rate))
    prior = counts[-9:-1]
    counts[-1] = min(counts[-1], math.floor(sum(prior) / len(prior)))
    return counts


def _planted(rng: random.Random, now: datetime, seq: int) -> list[DemoTicket]:
    """The rising topic: one site's night works, called in again and again over five days."""
    spec = SPECS[PLANTED_TOPIC]
    community, place = PLANTED_COMMUNITY
    out = []
    for i in range(PLANTED_COUNT):
        at = now - timedelta(hours=2 + (PLANTED_COUNT - 1 - i) * 8 + rng.random() * 4)
        row = _row(rng, spec, PLANTED_STREET, community, place, at, seq + i)
        if i % 3 == 0:  # the same words from neighbours: near-duplicates the desk did not merge
            row["title"] = "金台里工地夜间施工噪音扰民"
            row["description"] = f"{place}东侧工地连续几天夜里施工到凌晨，严重影响休息，请查处夜间违规施工。"
        row.update(status="registered", close_reason=None, closed_at=None, updated_at=at)
        out.append(DemoTicket(spec.key, row))
    return out


def generate(
    now: datetime, *, seed: int = 2026, weeks: int = WEEKS, planted: bool = True
) -> list[DemoTicket]:
    """The demo's tickets up to `now`, oldest first, each with its true topic."""
    rng = random.Random(seed)
    tickets: list[DemoTicket] = []
    seq = 0
    for spec in TOPICS:
        for street, places in PLACES.items():
            lam = 2.5 if spec.heating_season else round(rng.uniform(0.4, 2.0), 2)
            counts = _weekly_counts(rng, spec, lam, now)[-weeks:]
            for back, count in zip(range(len(counts) - 1, -1, -1), counts, strict=True):
                for _ in range(count):
                    at = now - timedelta(days=7 * back + rng.uniform(0.05, 6.95))
                    community, place = rng.choice(places)
                    tickets.append(DemoTicket(spec.key, _row(rng, spec, street, community, place, at, seq)))
                    seq += 1
    if planted:
        tickets += _planted(rng, now, seq)
    tickets.sort(key=lambda t: t.row["created_at"])
    return tickets
