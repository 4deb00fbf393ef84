"""The citizen guide (办事指南): JSON for front-ends and a printable, escaped HTML page."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import pytest

from catalog.schemas.elements import ItemElements
from catalog.services.guide import guide_html, guide_json, limit_text

DOCS = "https://zwdt.changning.example.gov.cn/files/jzcz"
META: dict[str, Any] = {
    "code": "310105-11310105002425373D-05-0031-001",
    "basic_code": "000105031000",
    "version_no": 2,
    "published_at": datetime(2024, 5, 6, 9, 30, tzinfo=UTC),
}


def full_entry() -> dict[str, Any]:
    """居家养老服务补贴 at community level, every element filled with a recognisable value."""
    return {
        "name": "居家养老服务补贴申请",
        "item_type": "05",
        "implementing_unit": {
            "code": "310105-MZJ",
            "name": "上海市长宁区民政局",
            "uscc": "11310105002425373D",
        },
        "level": 6,
        "power_source": "4",
        "legal_basis": [
            {
                "law": "《上海市养老服务条例》",
                "article": "第四十一条第二款",
                "text": "对经济困难的老年人给予居家养老服务补贴。",
            }
        ],
        "handling_type": "2",
        "legal_limit": {"value": 30, "unit": "natural_day", "note": "自受理之日起计算"},
        "promised_limit": {"value": 12, "unit": "working_day"},
        "service_objects": ["1", "4"],
        "handling_forms": ["1", "2", "4"],
        "place": {
            "address": "上海市长宁区天山路345号",
            "street": "天山路",
            "number": "345号",
            "room": "2号窗口",
        },
        "hours": "周一至周五 08:30-17:00，周六上午 09:00-12:00",
        "enquiry_phone": "021-62590001",
        "supervision_phone": "021-12345",
        "acceptance_conditions": "本区户籍、经评估需要照护的60周岁以上老年人。",
        "quantity_limit": "每人限申请一次",
        "special_steps": [
            {
                "kind": "assessment",
                "description": "老年照护统一需求评估",
                "time_limit": {"value": 5, "unit": "working_day"},
            }
        ],
        "materials": [
            {
                "name": "居家养老服务补贴申请表",
                "source": "申请人填写",
                "originals": 1,
                "copies": 2,
                "media": ["original", "copy"],
                "blank_form_url": f"{DOCS}/blank.docx",
                "sample_form_url": f"{DOCS}/sample.pdf",
                "notes": "须本人签字",
            },
            {
                "name": "低保证明",
                "source": "街道社区事务受理服务中心",
                "requirement": "conditional",
                "condition": "享受低保的老年人",
                "exempt": True,
                "exempt_source": "数据共享（民政救助系统）",
                "media": ["electronic"],
            },
        ],
        "process": [
            {"step": "accept", "actor": "受理窗口", "time_limit": {"value": 0, "unit": "working_day"}},
            {
                "step": "review",
                "actor": "街道审核岗",
                "time_limit": {"value": 5, "unit": "working_day"},
                "description": "入户核查家庭经济状况",
            },
            {
                "step": "decide",
                "actor": "区民政局养老服务科",
                "time_limit": {"value": 5, "unit": "working_day"},
            },
            {
                "step": "complete",
                "actor": "区民政局养老服务科",
                "time_limit": {"value": 1, "unit": "working_day"},
            },
            {"step": "deliver", "actor": "邮政快递", "time_limit": {"value": 1, "unit": "working_day"}},
        ],
        "process_chart_url": f"{DOCS}/flow.png",
        "visits": 1,
        "visits_reason": "需本人到场确认评估结果",
        "fees": {
            "charged": True,
            "items": [
                {"name": "评估工本费", "standard": "每次20元", "basis": "《长宁区收费文件》〔2023〕7号"}
            ],
        },
        "online_depth": "III",
        "appointment_supported": True,
        "online_payment_supported": True,
        "post_delivery_supported": True,
        "faq": [{"question": "补贴可以转给家属吗？", "answer": "不可以，补贴以服务券形式发放。"}],
        "result": {"name": "居家养老服务补贴核定通知书", "sample_url": f"{DOCS}/result.pdf"},
        "community_kind": "collect_forward",
        "keywords": ["居家养老", "养老补贴"],
        "themes": ["养老服务"],
        "demo": True,
    }


def entry(**changes: Any) -> ItemElements:
    data = copy.deepcopy(full_entry())
    data.update(changes)
    return ItemElements.model_validate(data)


class StrictParser(HTMLParser):
    """Checks well-formedness: every non-void element closed in order; records text and links."""

    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.links: list[str] = []
        self.tags: list[str] = []
        self.doctype: str | None = None
        self.html_attrs: dict[str, str | None] = {}

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "html":
            self.html_attrs = dict(attrs)
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}>, open: {self.stack[-3:]}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> StrictParser:
    p = StrictParser()
    p.feed(page)
    p.close()
    assert p.errors == []
    assert p.stack == []
    return p


# --------------------------------------------------------------------------------------------
# JSON


def test_json_has_every_element_and_translates_codes() -> None:
    data = guide_json(entry(), META)
    assert set(ItemElements.model_fields) <= set(data)
    assert data["item_type"] == {"code": "05", "label": "行政给付"}
    assert data["level"] == {"code": 6, "label": "村（社区）级"}
    assert data["power_source"] == {"code": "4", "label": "同级委托"}
    assert data["handling_type"] == {"code": "2", "label": "承诺件"}
    assert data["service_objects"] == [
        {"code": "1", "label": "自然人"},
        {"code": "4", "label": "社会组织法人"},
    ]
    assert [f["label"] for f in data["handling_forms"]] == ["窗口办理", "网上办理", "快递申请"]
    assert data["online_depth"]["label"].startswith("三级")
    assert data["community_kind"] == {"code": "collect_forward", "label": "代收代办类"}
    assert data["legal_limit"]["unit"] == {"code": "natural_day", "label": "自然日"}
    assert data["legal_limit"]["text"] == "30个自然日"
    assert data["promised_limit"]["text"] == "12个工作日"
    assert data["process"][0]["step"] == {"code": "accept", "label": "受理"}
    assert data["process"][0]["time_limit"]["text"] == "当场办结"
    assert data["special_steps"][0]["kind"] == {"code": "assessment", "label": "评估"}
    assert data["materials"][0]["media"] == [
        {"code": "original", "label": "原件"},
        {"code": "copy", "label": "复印件"},
    ]
    assert data["materials"][1]["requirement"] == {"code": "conditional", "label": "情形材料"}
    assert data["materials"][1]["exempt"] is True
    assert data["fees"]["label"] == "收费"
    assert data["visits_text"] == "1次"
    assert data["place"]["text"] == "上海市长宁区天山路345号（2号窗口）"


def test_json_meta_and_serialisable() -> None:
    data = guide_json(entry(), META)
    assert data["meta"]["code"] == META["code"]
    assert data["meta"]["basic_code"] == "000105031000"
    assert data["meta"]["version_no"] == 2
    assert data["meta"]["published_at"] == "2024-05-06T09:30:00+00:00"
    assert data["meta"]["unit_name"] == "上海市长宁区民政局"
    assert data["demo"] is True
    json.dumps(data, ensure_ascii=False)  # no datetimes or models left


def test_json_of_a_sparse_draft() -> None:
    draft = ItemElements.model_validate(
        {"name": "草稿", "item_type": "20", "implementing_unit": {"code": "u", "name": "某单位"}, "level": 4}
    )
    data = guide_json(draft, {})
    assert data["power_source"] is None
    assert data["legal_limit"] is None
    assert data["place"] is None
    assert data["online_depth"] is None
    assert data["visits_text"] == ""
    assert data["fees"] == {"charged": False, "label": "不收费", "items": []}
    assert data["meta"]["code"] is None
    assert data["meta"]["unit_name"] == "某单位"


@pytest.mark.parametrize(
    ("limit", "text"),
    [
        ({"value": 0, "unit": "working_day"}, "当场办结"),
        ({"value": 20, "unit": "working_day"}, "20个工作日"),
        ({"value": 30, "unit": "natural_day"}, "30个自然日"),
        ({"value": 2, "unit": "hour"}, "2小时"),
    ],
)
def test_limit_text(limit: dict[str, Any], text: str) -> None:
    from catalog.schemas.elements import TimeLimit

    assert limit_text(TimeLimit.model_validate(limit)) == text


# --------------------------------------------------------------------------------------------
# HTML


def test_html_is_a_complete_well_formed_page() -> None:
    page = guide_html(entry(), META)
    assert page.startswith("<!doctype html>")
    p = parse(page)
    assert p.doctype is not None and p.doctype.lower() == "doctype html"
    assert p.html_attrs.get("lang") == "zh-CN"
    assert '<meta charset="utf-8">' in page
    assert "@media print" in page
    assert "<title>居家养老服务补贴申请 办事指南</title>" in page
    for tag in ("head", "body", "main", "table", "h1", "h2"):
        assert tag in p.tags


def test_html_has_every_section() -> None:
    text = "".join(parse(guide_html(entry(), META)).text)
    for section in (
        "基本信息",
        "设定依据",
        "受理条件",
        "申请材料",
        "办理流程",
        "特殊环节",
        "收费",
        "办理地点和时间",
        "咨询和监督电话",
        "到现场次数",
        "网办深度",
        "常见问题",
        "办理结果",
    ):
        assert section in text, section


def test_html_shows_every_element() -> None:
    page = guide_html(entry(), META)
    text = "".join(parse(page).text)
    expected = [
        # basic information
        "居家养老服务补贴申请",
        "行政给付",
        "上海市长宁区民政局",
        "11310105002425373D",
        "村（社区）级",
        "代收代办类",
        "同级委托",
        "承诺件",
        "30个自然日",
        "自受理之日起计算",
        "12个工作日",
        "自然人、社会组织法人",
        "窗口办理、网上办理、快递申请",
        "每人限申请一次",
        "居家养老、养老补贴",
        "养老服务",
        META["code"],
        "000105031000",
        "2024-05-06",
        # basis, conditions
        "《上海市养老服务条例》",
        "第四十一条第二款",
        "对经济困难的老年人给予居家养老服务补贴。",
        "本区户籍、经评估需要照护的60周岁以上老年人。",
        # materials
        "材料名称",
        "居家养老服务补贴申请表",
        "申请人填写",
        "1份",
        "2份",
        "原件、复印件",
        "必要",
        "情形材料：享受低保的老年人",
        "免提交",
        "数据共享（民政救助系统）",
        "须本人签字",
        "下载空表",
        "下载样表",
        # process
        "受理",
        "审核",
        "审批",
        "办结",
        "送达",
        "街道审核岗",
        "入户核查家庭经济状况",
        "5个工作日",
        "当场办结",
        "查看办理流程图",
        # special steps, fees
        "评估",
        "老年照护统一需求评估",
        "评估工本费",
        "每次20元",
        "《长宁区收费文件》〔2023〕7号",
        # place, time, phones, visits, online
        "上海市长宁区天山路345号（2号窗口）",
        "周一至周五 08:30-17:00，周六上午 09:00-12:00",
        "021-62590001",
        "021-12345",
        "1次",
        "需本人到场确认评估结果",
        "三级：网上预审或申报，最多跑一次",
        "网上预约",
        "网上支付",
        "物流快递送达",
        # FAQ, result
        "补贴可以转给家属吗？",
        "不可以，补贴以服务券形式发放。",
        "居家养老服务补贴核定通知书",
        "查看结果样本",
        # demo banner
        "演示数据",
    ]
    for value in expected:
        assert value in text, value
    links = parse(page).links
    for url in (
        f"{DOCS}/blank.docx",
        f"{DOCS}/sample.pdf",
        f"{DOCS}/flow.png",
        f"{DOCS}/result.pdf",
    ):
        assert url in links


def test_html_escapes_every_value() -> None:
    evil = '<script>alert("x")</script>'
    data = full_entry()
    data["name"] = f"补贴{evil}"
    data["materials"][0]["name"] = f"申请表{evil}"
    data["materials"][0]["notes"] = evil
    data["materials"][0]["source"] = "A&B <b>单位</b>"
    data["faq"][0]["answer"] = evil
    data["hours"] = f"09:00-17:00 {evil}"
    data["legal_basis"][0]["text"] = evil
    data["implementing_unit"]["name"] = evil
    meta = {**META, "code": f'"><img src=x onerror=alert(1)>{evil}'}
    page = guide_html(ItemElements.model_validate(data), meta)
    assert "<script>" not in page
    assert "<img" not in page
    assert "<b>单位</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "A&amp;B &lt;b&gt;单位&lt;/b&gt;" in page
    p = parse(page)
    text = "".join(p.text)
    assert f"申请表{evil}" in text  # shown as text, literally
    assert "script" not in p.tags and "img" not in p.tags


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,<script>x</script>", "/relative/blank.docx", "ftp://x/y"],
)
def test_html_links_only_http_urls(url: str) -> None:
    data = full_entry()
    data["materials"][0]["blank_form_url"] = url
    data["result"]["sample_url"] = url
    data["process_chart_url"] = url
    page = guide_html(ItemElements.model_validate(data), META)
    p = parse(page)
    assert all(link.startswith(("http://", "https://")) for link in p.links)
    assert "链接无效" in "".join(p.text)
    assert "<script>" not in page


def test_html_link_attribute_is_escaped() -> None:
    data = full_entry()
    data["result"]["sample_url"] = 'https://example.gov.cn/a?x=1&y="2"'
    page = guide_html(ItemElements.model_validate(data), META)
    assert 'href="https://example.gov.cn/a?x=1&amp;y=&quot;2&quot;"' in page
    assert 'https://example.gov.cn/a?x=1&y="2"' in parse(page).links


def test_no_demo_banner_for_real_data() -> None:
    page = guide_html(entry(demo=False), META)
    assert "演示数据" not in "".join(parse(page).text)


def test_html_of_a_sparse_draft_is_well_formed() -> None:
    draft = ItemElements.model_validate(
        {"name": "草稿", "item_type": "20", "implementing_unit": {"code": "u", "name": "某单位"}, "level": 4}
    )
    page = guide_html(draft, {})
    text = "".join(parse(page).text)
    assert "未填写" in text
    assert "不收费" in text
    assert "草稿 办事指南" in text


def test_no_special_steps_and_free_item() -> None:
    page = guide_html(
        entry(
            special_steps=[], no_special_steps=True, fees={"charged": False}, online_payment_supported=False
        ),
        META,
    )
    text = "".join(parse(page).text)
    assert "无特殊环节" in text
    assert "不收费" in text
