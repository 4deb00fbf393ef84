"""The issuing unit issues a licence directly (颁证): only the type's issuing unit, a valid holder
identifier of the type's kind, a number nobody else's; the holder then finds it."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from licence_support import MZJ, citizen, staff
from sqlalchemy import select

from licence.models import HolderBinding
from yiwang_shared.tables import outbox
from yiwang_shared.testing.tokens import TestTokens

GAFJ = "110105-GAFJ"  # 区公安分局: issues ID cards and household registers
RID = "11010519491231002X"


def _id_card(**over: Any) -> dict[str, Any]:
    return {
        "type_code": "JMSFZ",
        "number": RID,
        "holder_kind": "person",
        "holder_identifier": RID,
        "holder_name": "张三",
        "valid_from": "2020-01-01",
        "valid_until": "2040-01-01",
        "data": {"姓名": "张三", "性别": "女", "公民身份号码": RID},
        **over,
    }


async def test_the_issuing_unit_issues_and_the_holder_finds_it(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    made = await client.post("/v1/licences", json=_id_card(), headers=staff(tokens, GAFJ, "approver"))
    assert made.status_code == 201, made.text
    licence = made.json()
    assert made.headers["location"].endswith(f"/v1/issued-licences/{licence['id']}")
    assert licence["issuing_unit_code"] == GAFJ and licence["issuing_unit_name"] == "北京市公安局朝阳分局"
    assert licence["status"] == "valid" and licence["allowed_actions"]
    again = await client.get(
        made.headers["location"].split("testserver")[-1], headers=staff(tokens, GAFJ, "handler")
    )
    assert again.status_code == 200 and again.json()["number"] == RID
    # The holder (identity confirmed the number to them) finds it.
    async with app.state.db.transaction() as s:
        s.add(HolderBinding(account_id="zhang-san", identifier=RID, name="张三"))
    mine = (await client.get("/v1/licences", headers=citizen(tokens, "zhang-san"))).json()
    assert [item["id"] for item in mine["items"]] == [licence["id"]]
    async with app.state.db.transaction(write=False) as s:
        assert [row[0] for row in (await s.execute(select(outbox.c.subject))).all()] == [
            "licence.licence.issued.v1"
        ]


async def test_what_the_issuing_unit_is_refused(client: httpx.AsyncClient, tokens: TestTokens) -> None:
    gafj = staff(tokens, GAFJ, "approver")
    cases = [
        (staff(tokens, MZJ, "approver"), _id_card(), 403, "licence.not_issuing_unit"),
        (staff(tokens, GAFJ, "window_clerk"), _id_card(), 403, "licence.not_issuing_unit"),
        (citizen(tokens, "c-1"), _id_card(), 403, "licence.not_issuing_unit"),
        (gafj, _id_card(holder_identifier="110105194912310021"), 422, "validation_failed"),
        (gafj, _id_card(holder_kind="enterprise", holder_identifier="91110105MA01C7Q8X1"), 422, None),
        (gafj, _id_card(valid_until="2019-12-31"), 422, "licence.issue_invalid"),
        (gafj, _id_card(type_code="NOPE"), 404, "licence.type_not_found"),
    ]
    for headers, body, status, code in cases:
        resp = await client.post("/v1/licences", json=body, headers=headers)
        assert resp.status_code == status, (body, resp.text)
        if code:
            assert resp.json()["code"] == code, resp.text
        assert resp.json()["detail"]
    assert (await client.post("/v1/licences", json=_id_card(), headers=gafj)).status_code == 201
    taken = await client.post("/v1/licences", json=_id_card(), headers=gafj)
    assert taken.status_code == 409 and taken.json()["code"] == "licence.number_taken"
    other = await client.get("/v1/issued-licences/" + "x", headers=gafj)
    assert other.status_code == 404
