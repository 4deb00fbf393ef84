"""Helpers for catalog-svc tests: org units in the read model, complete elements, actors."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import httpx
from fastapi import FastAPI

from catalog.consumers import upsert_org_unit
from yiwang_shared.db import Database
from yiwang_shared.testing.tokens import TestTokens
from yiwang_shared.validators import uscc_check_char

_seq = itertools.count(1)

MZ_ID = "00000000-0000-4000-8000-000000000001"  # 区民政局
SC_ID = "00000000-0000-4000-8000-000000000002"  # 区市场监督管理局
MZ_CODE = "110105MZJ"
SC_CODE = "110105SCJ"


def uscc(body: str = "11110105MB0000000") -> str:
    """A USCC that passes GB 32100."""
    return body + uscc_check_char(body)


MZ_USCC = uscc("11110105MB0000001")


async def seed_units(app: FastAPI) -> None:
    """Put two departments into the org read model (as identity's events would)."""
    db: Database = app.state.db
    async with db.transaction() as session:
        for uid, code, name, u in (
            (MZ_ID, MZ_CODE, "区民政局", MZ_USCC),
            (SC_ID, SC_CODE, "区市场监督管理局", None),
        ):
            await upsert_org_unit(
                session,
                {
                    "org_unit_id": uid,
                    "code": code,
                    "name": name,
                    "kind": "department",
                    "level": 4,
                    "parent_id": None,
                    "uscc": u,
                    "changed_at": "2026-01-01T00:00:00+00:00",
                },
            )


def elements(name: str = "最低生活保障审核确认", unit_code: str = MZ_CODE, **over: Any) -> dict[str, Any]:
    """A complete, consistent element document that passes the quality checker."""
    doc: dict[str, Any] = {
        "name": name,
        "item_type": "07",
        "implementing_unit": {"code": unit_code, "name": "区民政局", "uscc": MZ_USCC},
        "level": 4,
        "power_source": "1",
        "legal_basis": [
            {
                "law": "《社会救助暂行办法》",
                "article": "第十一条",
                "text": (
                    "申请最低生活保障，按照下列程序办理：（一）由共同生活的家庭成员"
                    "向户籍所在地的乡镇人民政府、街道办事处提出书面申请。"
                ),
            }
        ],
        "handling_type": "2",
        "legal_limit": {"value": 30, "unit": "working_day"},
        "promised_limit": {"value": 15, "unit": "working_day"},
        "service_objects": ["1"],
        "handling_forms": ["1", "2"],
        "place": {
            "address": "北京市朝阳区日坛北路17号 区政务服务中心二层 12号窗口",
            "street": "日坛北路",
            "number": "17号",
            "room": "12号窗口",
        },
        "hours": "周一至周五 上午9:00-12:00，下午13:30-17:00（法定节假日除外）",
        "enquiry_phone": "010-85990001",
        "supervision_phone": "010-85990002",
        "acceptance_conditions": (
            "共同生活的家庭成员人均收入低于当地最低生活保障标准，且家庭财产状况符合规定。"
        ),
        "quantity_limit": "无数量限制",
        "no_special_steps": True,
        "materials": [
            {
                "name": "最低生活保障申请书",
                "source": "申请人自备",
                "originals": 1,
                "copies": 0,
                "media": ["original"],
                "requirement": "required",
                "blank_form_url": "https://zwfw.example.gov.cn/forms/dibao-sqs.docx",
                "sample_form_url": "https://zwfw.example.gov.cn/forms/dibao-sqs-sample.pdf",
            },
            {
                "name": "居民身份证",
                "source": "公安机关",
                "originals": 1,
                "copies": 1,
                "media": ["original", "copy"],
                "requirement": "required",
                "exempt": True,
                "exempt_source": "电子证照库",
            },
            {
                "name": "居民户口簿",
                "source": "公安机关",
                "originals": 1,
                "copies": 1,
                "media": ["original", "copy"],
                "requirement": "required",
            },
        ],
        "process_chart_url": "https://zwfw.example.gov.cn/charts/dibao.png",
        "process": [
            {
                "step": "accept",
                "actor": "窗口工作人员",
                "time_limit": {"value": 1, "unit": "working_day"},
                "description": "审查材料，材料齐全的予以受理。",
            },
            {
                "step": "review",
                "actor": "街道社会救助经办人",
                "time_limit": {"value": 8, "unit": "working_day"},
                "description": "家庭经济状况调查和入户核查。",
            },
            {
                "step": "decide",
                "actor": "区民政局分管负责人",
                "time_limit": {"value": 4, "unit": "working_day"},
                "description": "作出审批决定。",
            },
            {
                "step": "complete",
                "actor": "区民政局",
                "time_limit": {"value": 1, "unit": "working_day"},
                "description": "办结并告知申请人。",
            },
            {
                "step": "deliver",
                "actor": "窗口工作人员",
                "time_limit": {"value": 1, "unit": "working_day"},
                "description": "窗口领取或邮寄送达决定书。",
            },
        ],
        "visits": 1,
        "visits_reason": "需现场核验申请人身份并签署承诺书。",
        "fees": {"charged": False, "items": []},
        "online_depth": "III",
        "appointment_supported": True,
        "online_payment_supported": False,
        "post_delivery_supported": True,
        "faq": [{"question": "外地户籍可以申请吗？", "answer": "须向户籍所在地申请。"}],
        "result": {
            "name": "最低生活保障金领取证",
            "sample_url": "https://zwfw.example.gov.cn/samples/dibao.pdf",
        },
        "keywords": ["低保"],
        "themes": ["社会救助"],
    }
    doc = copy.deepcopy(doc)
    doc.update(over)
    return doc


def editor(tokens: TestTokens, unit_id: str = MZ_ID) -> dict[str, str]:
    """Headers of a catalogue editor of `unit_id`."""
    return tokens.headers(
        kind="staff", roles=["catalog_editor"], org_unit=unit_id, subject=f"editor-{next(_seq)}"
    )


def admin(tokens: TestTokens) -> dict[str, str]:
    """Headers of an administrator."""
    return tokens.headers(kind="staff", roles=["admin"], subject="admin-1")


async def create(
    client: httpx.AsyncClient, headers: dict[str, str], doc: dict[str, Any], **body: Any
) -> dict[str, Any]:
    """POST /v1/items, asserting 201."""
    resp = await client.post("/v1/items", headers=headers, json={"elements": doc, **body})
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


async def publish(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    code: str,
    version_no: int = 1,
    *,
    reviewer: dict[str, str],
) -> dict[str, Any]:
    """The author (`headers`) submits a version, `reviewer` (someone else) publishes it; asserts success."""
    resp = await client.post(f"/v1/items/{code}/versions/{version_no}/submit", headers=headers)
    assert resp.status_code == 200, resp.text
    resp = await client.post(f"/v1/items/{code}/versions/{version_no}/publish", headers=reviewer)
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]
