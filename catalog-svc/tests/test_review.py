"""A second pair of eyes (审核发布): nobody publishes a version they drafted, edited or submitted,
and the refusal is recorded; the work list of drafts and versions in review (草稿、审核中) for the
unit's editors and administrators."""

from __future__ import annotations

import httpx
import jwt
from catalog_support import MZ_CODE, SC_CODE, SC_ID, admin, create, editor, elements, publish

from yiwang_shared.testing.tokens import TestTokens

ENGLISH = {"Accept-Language": "en"}


def _subject(headers: dict[str, str]) -> str:
    claims = jwt.decode(headers["Authorization"].split()[1], options={"verify_signature": False})
    return str(claims["sub"])


async def _history(cat: httpx.AsyncClient, headers: dict[str, str], code: str) -> list[tuple[int, str, str]]:
    items = (await cat.get(f"/v1/items/{code}/history", headers=headers)).json()["items"]
    return [(h["version_no"], h["action"], h["actor_id"]) for h in items]


async def test_the_author_cannot_publish_and_the_attempt_is_recorded(
    cat: httpx.AsyncClient, tokens: TestTokens
) -> None:
    author, reviewer = editor(tokens), editor(tokens)
    code = (await create(cat, author, elements()))["code"]
    assert (await cat.post(f"/v1/items/{code}/versions/1/submit", headers=author)).status_code == 200

    resp = await cat.post(f"/v1/items/{code}/versions/1/publish", headers=author)
    body = resp.json()
    assert resp.status_code == 403 and body["code"] == "catalog.author_cannot_publish", resp.text
    assert body["detail"].startswith(f"事项 {code} 的第 1 版由您起草、修改或提交审核，不能由您本人审核发布。")
    english = await cat.post(f"/v1/items/{code}/versions/1/publish", headers={**author, **ENGLISH})
    assert english.json()["detail"].startswith(f"You drafted, edited or submitted version 1 of {code}")

    # Nothing was published, and both refusals are in the audit trail (committed with the 403).
    assert (await cat.get(f"/v1/items/{code}")).status_code == 404
    me = _subject(author)
    assert await _history(cat, reviewer, code) == [
        (1, "created", me),
        (1, "submitted", me),
        (1, "publish_refused", me),
        (1, "publish_refused", me),
    ]

    # Someone else of the unit reviews and publishes; the version says who did what.
    resp = await cat.post(f"/v1/items/{code}/versions/1/publish", headers=reviewer)
    assert resp.status_code == 200, resp.text
    version = resp.json()
    assert (version["submitted_by"], version["published_by"]) == (me, _subject(reviewer))
    summary = (await cat.get(f"/v1/items/{code}/versions")).json()["items"][0]
    assert (summary["created_by"], summary["submitted_by"], summary["published_by"]) == (
        me,
        me,
        _subject(reviewer),
    )


async def test_whoever_edited_or_submitted_is_an_author_too(
    cat: httpx.AsyncClient, tokens: TestTokens
) -> None:
    creator, corrector, submitter, reviewer = (editor(tokens) for _ in range(4))
    code = (await create(cat, creator, elements()))["code"]
    doc = elements(hours="周一至周五 9:00-17:00（法定节假日除外）")
    assert (
        await cat.put(f"/v1/items/{code}/versions/1", headers=corrector, json={"elements": doc})
    ).status_code == 200
    await cat.post(f"/v1/items/{code}/versions/1/submit", headers=submitter)
    for author in (creator, corrector, submitter):
        resp = await cat.post(f"/v1/items/{code}/versions/1/publish", headers=author)
        assert resp.status_code == 403 and resp.json()["code"] == "catalog.author_cannot_publish"
    assert (await cat.post(f"/v1/items/{code}/versions/1/publish", headers=reviewer)).status_code == 200

    # A new version: who opens it is its author; the reviewer of version 1 may author version 2.
    assert (await cat.post(f"/v1/items/{code}/versions", headers=reviewer)).status_code == 201
    await cat.post(f"/v1/items/{code}/versions/2/submit", headers=creator)
    resp = await cat.post(f"/v1/items/{code}/versions/2/publish", headers=reviewer)
    assert resp.status_code == 403 and resp.json()["code"] == "catalog.author_cannot_publish"
    assert (await cat.post(f"/v1/items/{code}/versions/2/publish", headers=corrector)).status_code == 200


async def test_administrators_are_held_to_it_as_well(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    boss = admin(tokens)
    code = (await create(cat, boss, elements()))["code"]
    await cat.post(f"/v1/items/{code}/versions/1/submit", headers=boss)
    resp = await cat.post(f"/v1/items/{code}/versions/1/publish", headers=boss)
    assert resp.status_code == 403 and resp.json()["code"] == "catalog.author_cannot_publish"
    other_admin = tokens.headers(kind="staff", roles=["admin"], subject="admin-2")
    assert (await cat.post(f"/v1/items/{code}/versions/1/publish", headers=other_admin)).status_code == 200


async def test_returning_is_not_publishing(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    """The author may withdraw a submission (return it to draft) and fix it; still not publish it."""
    author = editor(tokens)
    code = (await create(cat, author, elements()))["code"]
    await cat.post(f"/v1/items/{code}/versions/1/submit", headers=author)
    back = await cat.post(f"/v1/items/{code}/versions/1/return", headers=author, json={"reason": "撤回修改"})
    assert back.status_code == 200 and back.json()["status"] == "draft"
    await publish(cat, author, code, reviewer=editor(tokens))


# ------------------------------------------------------------------------------ the work list


async def _open_versions(
    cat: httpx.AsyncClient, headers: dict[str, str], **params: str | int
) -> tuple[int, list[tuple[str, int, str, bool]]]:
    resp = await cat.get("/v1/item-versions", headers=headers, params=params)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    return body["total"], [
        (v["item_code"], v["version_no"], v["status"], v["can_publish"]) for v in body["items"]
    ]


async def test_drafts_and_versions_in_review_are_listed_to_the_unit_and_admins(
    cat: httpx.AsyncClient, tokens: TestTokens
) -> None:
    author, colleague = editor(tokens), editor(tokens)
    sc_editor = editor(tokens, SC_ID)
    draft = (await create(cat, author, elements(name="城乡低收入家庭认定")))["code"]
    in_review = (await create(cat, author, elements()))["code"]
    await cat.post(f"/v1/items/{in_review}/versions/1/submit", headers=author)
    published = (await create(cat, author, elements(name="特困人员认定")))["code"]
    await publish(cat, author, published, reviewer=colleague)
    await cat.post(f"/v1/items/{published}/versions", headers=colleague)  # version 2, a draft
    other_unit = elements(name="食品经营许可", item_type="01", unit_code=SC_CODE)
    other_unit["implementing_unit"].update(name="区市场监督管理局", uscc=None)
    sc_draft = (await create(cat, sc_editor, other_unit))["code"]

    # The author's list: the unit's three open versions, oldest change first; none hers to publish.
    total, rows = await _open_versions(cat, author)
    assert total == 3
    assert sorted(rows) == sorted(
        [(draft, 1, "draft", False), (in_review, 1, "in_review", False), (published, 2, "draft", False)]
    )
    # Her colleague may publish the one in review; the status filter narrows the list.
    assert await _open_versions(cat, colleague, status="in_review") == (
        1,
        [(in_review, 1, "in_review", True)],
    )
    assert (await _open_versions(cat, colleague, status="draft"))[0] == 2
    assert await _open_versions(cat, colleague, unit=MZ_CODE, limit=1, offset=2) == (3, [rows[2]])

    # The other unit's editor sees only her own; asking for another unit is refused in Chinese.
    assert await _open_versions(cat, sc_editor) == (1, [(sc_draft, 1, "draft", False)])
    resp = await cat.get("/v1/item-versions", headers=sc_editor, params={"unit": MZ_CODE})
    body = resp.json()
    assert resp.status_code == 403 and body["code"] == "catalog.not_owner"
    assert body["detail"].startswith(f"您只能查看本单位（{SC_CODE}）的草稿和待审核版本")

    # An administrator sees every unit's, or one unit's.
    boss = admin(tokens)
    assert (await _open_versions(cat, boss))[0] == 4
    assert await _open_versions(cat, boss, unit=SC_CODE) == (1, [(sc_draft, 1, "draft", False)])

    # Published and retired versions are not on it; detail of each row matches the version.
    resp = await cat.get("/v1/item-versions", headers=colleague, params={"status": "in_review"})
    [row] = resp.json()["items"]
    assert row["name"] == "最低生活保障审核确认" and row["owner_unit_code"] == MZ_CODE
    assert row["item_status"] == "draft" and row["current_version_no"] is None
    assert row["submitted_by"] == row["created_by"] and row["submitted_at"] is not None


async def test_the_work_list_is_for_editors_and_admins_only(
    cat: httpx.AsyncClient, tokens: TestTokens
) -> None:
    assert (await cat.get("/v1/item-versions")).status_code == 401
    for headers in (
        tokens.headers(),  # a citizen
        tokens.headers(kind="staff", roles=["window_clerk"], org_unit="x"),
        tokens.headers(kind="staff", roles=["supervisor"]),
    ):
        resp = await cat.get("/v1/item-versions", headers=headers)
        assert resp.status_code == 403 and resp.json()["code"] == "catalog.not_editor", resp.text
    # An editor whose unit the catalogue does not know yet.
    stranger = tokens.headers(
        kind="staff", roles=["catalog_editor"], org_unit="00000000-0000-4000-8000-0000000000ff"
    )
    resp = await cat.get("/v1/item-versions", headers=stranger)
    assert resp.status_code == 403 and resp.json()["code"] == "catalog.not_owner"
    assert "尚未同步" in resp.json()["detail"]
