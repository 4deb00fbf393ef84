"""The knowledge base: drafts reviewed before publication, Chinese search, answering an enquiry
on the spot with usage counted, new versions, automatic withdrawal of expired entries."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from fastapi import FastAPI
from hotline_support import D, People, act, create

from hotline.services.scan import scan_once
from yiwang_shared.orm import utcnow

DIBAO = {
    "question": "最低生活保障怎么申请？",
    "answer": "户籍在本区、家庭人均收入低于本市低保标准的居民，可向户籍所在地街道社会保障事务所申请，"
    "需提供户口簿、身份证和收入证明。",
    "keywords": ["低保", "最低生活保障", "救助"],
    "owner_unit_code": f"{D}-MZJ",
}


async def publish_entry(hl: httpx.AsyncClient, people: People, body: dict) -> dict:  # type: ignore[type-arg]
    created = await hl.post("/v1/kb/entries", json=body, headers=people.agent)
    assert created.status_code == 201, created.text
    entry = created.json()
    await hl.post(f"/v1/kb/entries/{entry['id']}/submit", headers=people.agent)
    approved = await hl.post(
        f"/v1/kb/entries/{entry['id']}/approve", json={"note": "核对无误"}, headers=people.supervisor
    )
    assert approved.status_code == 200, approved.text
    return approved.json()  # type: ignore[no-any-return]


async def search(hl: httpx.AsyncClient, people: People, q: str) -> list[dict]:  # type: ignore[type-arg]
    resp = await hl.get("/v1/kb/search", params={"q": q}, headers=people.agent)
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]  # type: ignore[no-any-return]


async def test_review_before_publication(hl: httpx.AsyncClient, people: People) -> None:
    created = (await hl.post("/v1/kb/entries", json=DIBAO, headers=people.agent)).json()
    assert created["status"] == "draft" and created["latest"]["status"] == "draft"
    assert await search(hl, people, "低保怎么申请") == []
    not_yet = await hl.post(f"/v1/kb/entries/{created['id']}/approve", json={}, headers=people.supervisor)
    assert not_yet.status_code == 409 and not_yet.json()["code"] == "hotline.kb_invalid_transition"
    await hl.post(f"/v1/kb/entries/{created['id']}/submit", headers=people.agent)
    assert (
        await hl.post(f"/v1/kb/entries/{created['id']}/approve", json={}, headers=people.agent)
    ).status_code == 403
    rejected = await hl.post(
        f"/v1/kb/entries/{created['id']}/reject", json={"note": "补充办理地点"}, headers=people.supervisor
    )
    assert rejected.json()["latest"]["status"] == "draft"
    # A supervisor may not approve their own version.
    own = (await hl.post("/v1/kb/entries", json=DIBAO, headers=people.supervisor)).json()
    await hl.post(f"/v1/kb/entries/{own['id']}/submit", headers=people.supervisor)
    selfie = await hl.post(f"/v1/kb/entries/{own['id']}/approve", json={}, headers=people.supervisor)
    assert selfie.status_code == 403 and selfie.json()["code"] == "hotline.kb_self_review"


async def test_bad_entries_are_refused(hl: httpx.AsyncClient, people: People) -> None:
    resp = await hl.post("/v1/kb/entries", json={**DIBAO, "owner_unit_code": "nowhere"}, headers=people.agent)
    assert resp.status_code == 422 and resp.json()["code"] == "hotline.unknown_unit"
    resp = await hl.post(
        "/v1/kb/entries", json={**DIBAO, "item_codes": ["NOT-AN-ITEM"]}, headers=people.agent
    )
    assert resp.status_code == 422 and resp.json()["code"] == "hotline.unknown_item"
    resp = await hl.post(
        "/v1/kb/entries",
        json={**DIBAO, "review_on": "2027-05-01", "expires_on": "2027-01-01", "answer": ""},
        headers=people.agent,
    )
    assert resp.status_code == 422 and {e["field"] for e in resp.json()["errors"]} >= {"body.answer"}
    assert (
        await hl.post("/v1/kb/entries", json=DIBAO, headers=people.handler(f"{D}001-FWZX"))
    ).status_code == 403
    assert (await hl.get("/v1/kb/search?q=低保", headers=people.citizen)).status_code == 403


async def test_search_answer_and_usage(hl: httpx.AsyncClient, people: People) -> None:
    dibao = await publish_entry(hl, people, DIBAO)
    await publish_entry(
        hl,
        people,
        {
            "question": "居住证到期了怎么续签？",
            "answer": "居住证有效期一年，期满前30日内到居住地派出所或社区服务站办理签注。",
            "keywords": ["居住证", "签注"],
            "owner_unit_code": f"{D}-ZWGLJ",
        },
    )
    hits = await search(hl, people, "我想问一下低保怎么办")
    assert hits and hits[0]["id"] == dibao["id"]
    hits = await search(hl, people, "居住证续签")
    assert hits[0]["question"] == "居住证到期了怎么续签？"
    assert await search(hl, people, "护照") == []

    enquiry = await create(
        hl, people.agent, request_type="enquiry", category_code="civil_affairs", attributes={}
    )
    assert enquiry["status"] == "registered"  # enquiries are not dispatched
    answered = await act(
        hl, enquiry["id"], "answer", people.agent, {"kb_entry_id": dibao["id"], "note": "已告知申请条件"}
    )
    assert (
        answered["status"] == "closed"
        and answered["close_reason"] == "answered"
        and answered["kb_entry_id"] == dibao["id"]
    )
    complaint = await create(hl, people.agent, category_code=None, attributes={})
    wrong = await act(hl, complaint["id"], "answer", people.agent, {"kb_entry_id": dibao["id"]}, expect=409)
    assert wrong["code"] == "hotline.not_an_enquiry"
    entry = (await hl.get(f"/v1/kb/entries/{dibao['id']}", headers=people.agent)).json()
    assert entry["usage_count"] == 1
    usage = (await hl.get("/v1/kb/usage", headers=people.supervisor)).json()
    assert [(u["id"], u["used_in_period"]) for u in usage["items"]] == [(dibao["id"], 1)]
    assert usage["total"] == 1


async def test_new_version_supersedes_and_withdrawn_entries_cannot_answer(
    hl: httpx.AsyncClient, people: People
) -> None:
    entry = await publish_entry(hl, people, DIBAO)
    changed = await hl.put(
        f"/v1/kb/entries/{entry['id']}/draft",
        json={**DIBAO, "answer": "新标准：每人每月1450元。"},
        headers=people.agent,
    )
    assert changed.json()["latest"]["version_no"] == 2 and changed.json()["published"]["version_no"] == 1
    await hl.post(f"/v1/kb/entries/{entry['id']}/submit", headers=people.agent)
    v2 = (await hl.post(f"/v1/kb/entries/{entry['id']}/approve", json={}, headers=people.supervisor)).json()
    assert v2["published_version_no"] == 2 and v2["published"]["answer"] == "新标准：每人每月1450元。"
    hits = await search(hl, people, "低保")
    assert hits[0]["answer"] == "新标准：每人每月1450元。"
    withdrawn = await hl.post(
        f"/v1/kb/entries/{entry['id']}/withdraw", json={"note": "政策调整"}, headers=people.supervisor
    )
    assert withdrawn.json()["status"] == "withdrawn"
    assert await search(hl, people, "低保") == []
    enquiry = await create(hl, people.agent, request_type="enquiry", category_code=None, attributes={})
    refused = await act(hl, enquiry["id"], "answer", people.agent, {"kb_entry_id": entry["id"]}, expect=409)
    assert refused["code"] == "hotline.kb_not_answerable"


async def test_expired_entries_are_withdrawn_by_the_scan(
    app: FastAPI, hl: httpx.AsyncClient, people: People
) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    entry = await publish_entry(hl, people, {**DIBAO, "expires_on": tomorrow})
    await scan_once(app.state.db)
    assert (await hl.get(f"/v1/kb/entries/{entry['id']}", headers=people.agent)).json()[
        "status"
    ] == "published"
    _, expired = await scan_once(app.state.db, utcnow() + timedelta(days=3))
    assert expired == 1
    after = (await hl.get(f"/v1/kb/entries/{entry['id']}", headers=people.agent)).json()
    assert after["status"] == "withdrawn"
    assert await search(hl, people, "低保") == []


async def test_a_departments_editor_keeps_only_its_own_entries(hl: httpx.AsyncClient, people: People) -> None:
    """Issue 15, point 11: a catalogue editor of another unit edited the draft of 区政务服务管理局
    (200) and took it over. Now only its own unit's entries, or the hotline's editors."""
    hotline_entry = {**DIBAO, "owner_unit_code": f"{D}-ZWGLJ"}
    created = await hl.post("/v1/kb/entries", json=hotline_entry, headers=people.agent)
    assert created.status_code == 201, created.text
    entry_id = created.json()["id"]
    outsider = people.staff("catalog_editor", f"{D}-RSJ")
    takeover = {**hotline_entry, "owner_unit_code": f"{D}-RSJ", "answer": "请到人力社保局办理。"}
    edit = await hl.put(f"/v1/kb/entries/{entry_id}/draft", json=takeover, headers=outsider)
    assert edit.status_code == 403 and edit.json()["code"] == "hotline.kb_not_your_unit", edit.text
    assert (await hl.post(f"/v1/kb/entries/{entry_id}/submit", headers=outsider)).status_code == 403
    entry = (await hl.get(f"/v1/kb/entries/{entry_id}", headers=people.agent)).json()
    assert entry["owner_unit_code"] == f"{D}-ZWGLJ" and entry["latest"]["answer"] == DIBAO["answer"]
    # Nor may it file an entry in another unit's name; its own unit's entries it keeps.
    other = await hl.post("/v1/kb/entries", json=hotline_entry, headers=outsider)
    assert other.status_code == 403 and other.json()["code"] == "hotline.kb_not_your_unit"
    own = await hl.post("/v1/kb/entries", json={**DIBAO, "owner_unit_code": f"{D}-RSJ"}, headers=outsider)
    assert own.status_code == 201, own.text
    assert (await hl.post(f"/v1/kb/entries/{own.json()['id']}/submit", headers=outsider)).status_code == 200
    # The hotline's own editors keep every entry.
    again = await hl.put(f"/v1/kb/entries/{entry_id}/draft", json=hotline_entry, headers=people.agent)
    assert again.status_code == 200, again.text
