"""Citizens, enterprises and grants through the gateway, against the real processes."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from datetime import UTC, datetime, timedelta

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from helpers import (
    PASSWORD,
    assert_problem,
    bearer,
    login,
    mobile,
    register,
    resident_id,
    uscc,
    verify_enterprise,
    wrong_check_digit,
)


async def test_register_login_and_read_own_profile_masked(gw: httpx.AsyncClient) -> None:
    me = await register(gw, "李四")
    tokens = await login(gw, me["resident_id"])
    resp = await gw.get("/api/identity/v1/me", headers=bearer(tokens["access_token"]))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    shown = json.dumps(body, ensure_ascii=False)
    # Masked: first 6 and last 4 of the resident ID, 3 + 4 of the phone; never the clear values.
    assert me["resident_id"] not in shown and me["phone"] not in shown
    assert me["resident_id"][:6] + "********" + me["resident_id"][-4:] in shown
    assert me["phone"][:3] + "****" + me["phone"][-4:] in shown
    assert resp.headers["x-request-id"]


async def test_wrong_resident_id_checksum_is_a_422_naming_the_field(gw: httpx.AsyncClient) -> None:
    resp = await gw.post(
        "/api/identity/v1/persons",
        json={
            "name": "王五",
            "resident_id": wrong_check_digit(resident_id()),
            "phone": "12345",
            "password": PASSWORD,
        },
    )
    body = assert_problem(resp, 422, "validation_failed")
    fields = {e["field"] for e in body["errors"]}  # type: ignore[union-attr]
    # Every bad field at once: the ID's checksum and the phone.
    assert {"body.resident_id", "body.phone"} <= fields, body
    messages = " ".join(e["message"] for e in body["errors"])  # type: ignore[union-attr]
    assert "校验位" in messages and "手机号" in messages, messages
    # The gateway passes the client's language on: an integrator can read it in English.
    english = await gw.post(
        "/api/identity/v1/persons",
        json={
            "name": "王五",
            "resident_id": wrong_check_digit(resident_id()),
            "phone": "12345",
            "password": PASSWORD,
        },
        headers={"Accept-Language": "en"},
    )
    messages = " ".join(e["message"] for e in assert_problem(english, 422)["errors"])  # type: ignore[union-attr]
    assert "check digit" in messages, messages


async def test_wrong_passwords_slow_the_guesser_alike_for_unknown_names(gw: httpx.AsyncClient) -> None:
    """Issue 15, point 10, through the gateway: three plain failures, then this client waits
    (429, Retry-After), never a lock (423); a name nobody has gets exactly the same answers; and a
    forged X-Forwarded-For does not make the guesser a new client (the gateway replaces it)."""
    me = await register(gw, "赵六")

    async def guesses(username: str) -> list[tuple[int, str, str | None]]:
        out = []
        for _ in range(5):
            resp = await gw.post(
                "/api/identity/v1/auth/login", json={"username": username, "password": "wrong-Passw0rd"}
            )
            body = assert_problem(resp, resp.status_code)
            out.append((resp.status_code, str(body["code"]), resp.headers.get("retry-after")))
        return out

    known = await guesses(me["resident_id"])
    assert [s for s, _, _ in known] == [401, 401, 401, 429, 429], known
    assert all(int(r or 0) >= 1 for s, _, r in known if s == 429)
    assert await guesses(resident_id()) == known  # an unknown resident ID: the same answers
    # Even the right password is refused until the wait is over, whatever address is claimed.
    resp = await gw.post(
        "/api/identity/v1/auth/login",
        json={"username": me["resident_id"], "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.77"},
    )
    assert_problem(resp, 429, "identity.login_throttled")


async def test_reading_another_persons_profile_is_refused(gw: httpx.AsyncClient) -> None:
    alice = await register(gw, "爱丽丝")
    bob = await register(gw, "鲍勃")
    token = (await login(gw, bob["resident_id"]))["access_token"]
    resp = await gw.get(f"/api/identity/v1/persons/{alice['id']}", headers=bearer(token))
    assert_problem(resp, 404)
    own = await gw.get(f"/api/identity/v1/persons/{bob['id']}", headers=bearer(token))
    assert own.status_code == 200
    # Clear values only for the owner, on request.
    clear = await gw.get(f"/api/identity/v1/persons/{bob['id']}?unmask=true", headers=bearer(token))
    assert clear.status_code == 200 and clear.json()["resident_id"] == bob["resident_id"]
    other = await gw.get(f"/api/identity/v1/persons/{alice['id']}?unmask=true", headers=bearer(token))
    assert other.status_code in (403, 404)


async def test_forged_and_expired_tokens_are_refused_at_the_gateway(gw: httpx.AsyncClient) -> None:
    me = await register(gw, "钱七")
    token = (await login(gw, me["resident_id"]))["access_token"]
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    # Same kid, someone else's key.
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": header["kid"]})
    assert_problem(await gw.get("/api/identity/v1/me", headers=bearer(forged)), 401)
    # Claims edited after signing (a different subject).
    head, _payload, sig = token.split(".")
    edited = dict(claims, sub="someone-else")
    payload = base64.urlsafe_b64encode(json.dumps(edited).encode()).rstrip(b"=").decode()
    assert_problem(await gw.get("/api/identity/v1/me", headers=bearer(f"{head}.{payload}.{sig}")), 401)
    # alg none.
    unsigned = jwt.encode(claims, key=None, algorithm="none", headers={"kid": header["kid"]})
    assert_problem(await gw.get("/api/identity/v1/me", headers=bearer(unsigned)), 401)
    # A genuinely expired token: wait for it to lapse.
    deadline = time.monotonic() + 40
    while True:
        resp = await gw.get("/api/identity/v1/me", headers=bearer(token))
        if resp.status_code == 401:
            body = assert_problem(resp, 401)
            assert "expired" in str(body["code"]) or "expired" in str(body["detail"]).lower()
            break
        assert resp.status_code == 200
        assert time.monotonic() < deadline, "token never expired"
        await asyncio.sleep(1)


async def test_enterprise_grant_act_and_revoke(gw: httpx.AsyncClient) -> None:
    rep = await register(gw, "法人代表")
    agent = await register(gw, "经办人")
    rep_token = (await login(gw, rep["resident_id"]))["access_token"]
    resp = await gw.post(
        "/api/identity/v1/enterprises",
        json={"name": "北京示范餐饮有限公司", "uscc": uscc()},
        headers=bearer(rep_token),
    )
    assert resp.status_code == 201, resp.text
    enterprise_id = resp.json()["id"]
    assert resp.json()["status"] == "pending"
    # A claim acts only once a window clerk has seen the licence and the representative's ID.
    early = await gw.post(
        "/api/identity/v1/auth/act-for", json={"enterprise_id": enterprise_id}, headers=bearer(rep_token)
    )
    assert_problem(early, 403, "identity.enterprise_not_verified")
    assert (await verify_enterprise(gw, enterprise_id))["status"] == "verified"
    until = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    resp = await gw.post(
        f"/api/identity/v1/enterprises/{enterprise_id}/grants",
        json={"grantee_id": agent["id"], "scope": ["*"], "valid_until": until, "may_delegate": False},
        headers=bearer(rep_token),
    )
    assert resp.status_code == 201, resp.text
    grant_id = resp.json()["id"]

    agent_token = (await login(gw, agent["phone"]))["access_token"]
    # Pending until the agent confirms: cannot act yet.
    resp = await gw.post(
        "/api/identity/v1/auth/act-for", json={"enterprise_id": enterprise_id}, headers=bearer(agent_token)
    )
    assert_problem(resp, 403)
    resp = await gw.post(f"/api/identity/v1/grants/{grant_id}/confirm", headers=bearer(agent_token))
    assert resp.status_code == 200, resp.text

    resp = await gw.post(
        "/api/identity/v1/auth/act-for", json={"enterprise_id": enterprise_id}, headers=bearer(agent_token)
    )
    assert resp.status_code == 200, resp.text
    act_token = resp.json()["access_token"]
    claims = jwt.decode(act_token, options={"verify_signature": False})
    assert claims["act"]["entity_id"] == enterprise_id and claims["act"]["grant_id"] == grant_id
    resp = await gw.get(f"/api/identity/v1/enterprises/{enterprise_id}", headers=bearer(act_token))
    assert resp.status_code == 200 and resp.json()["relation"] == "agent", resp.text
    check = await gw.get(
        "/api/identity/v1/grants/check",
        params={"person_id": agent["id"], "enterprise_id": enterprise_id, "item_code": "11110105000000000A"},
        headers=bearer(agent_token),
    )
    assert check.status_code == 200 and check.json()["allowed"] is True, check.text

    resp = await gw.post(f"/api/identity/v1/grants/{grant_id}/revoke", json={}, headers=bearer(rep_token))
    assert resp.status_code == 200, resp.text
    # No longer: no new act-for token, the check says no, the old act token is refused.
    resp = await gw.post(
        "/api/identity/v1/auth/act-for", json={"enterprise_id": enterprise_id}, headers=bearer(agent_token)
    )
    assert_problem(resp, 403, "identity.no_valid_grant")
    check = await gw.get(
        "/api/identity/v1/grants/check",
        params={"person_id": agent["id"], "enterprise_id": enterprise_id, "item_code": "11110105000000000A"},
        headers=bearer(agent_token),
    )
    assert check.status_code == 200 and check.json()["allowed"] is False
    resp = await gw.get(f"/api/identity/v1/enterprises/{enterprise_id}", headers=bearer(act_token))
    assert resp.status_code in (403, 404), resp.text


async def test_unknown_service_and_path_are_problems(gw: httpx.AsyncClient) -> None:
    assert_problem(await gw.get("/api/nosuch/v1/x"), 404)
    assert_problem(await gw.get("/api/identity/v1/no-such-thing"), 404)


async def test_duplicate_registration_is_a_conflict(gw: httpx.AsyncClient) -> None:
    me = await register(gw, "周八")
    resp = await gw.post(
        "/api/identity/v1/persons",
        json={"name": "周八", "resident_id": me["resident_id"], "phone": mobile(), "password": PASSWORD},
    )
    assert_problem(resp, 409)


async def test_wrong_password_is_explained_in_chinese(gw: httpx.AsyncClient) -> None:
    me = await register(gw, "孙九")
    bad = {"username": me["phone"], "password": "wrong-Passw0rd"}
    body = assert_problem(
        await gw.post("/api/identity/v1/auth/login", json=bad), 401, "identity.invalid_credentials"
    )
    assert str(body["detail"]).startswith("账号或密码不正确") and body["title"] == "需要登录"
    assert body["instance"] == "/api/identity/v1/auth/login"


async def test_created_resources_are_found_where_location_says(gw: httpx.AsyncClient) -> None:
    rep = await register(gw, "吴十")
    token = (await login(gw, rep["resident_id"]))["access_token"]
    resp = await gw.post(
        "/api/identity/v1/enterprises",
        json={"name": "北京示范书店有限公司", "uscc": uscc()},
        headers=bearer(token),
    )
    assert resp.status_code == 201, resp.text
    location = resp.headers["location"]
    assert location == f"/api/identity/v1/enterprises/{resp.json()['id']}"
    again = await gw.get(location, headers=bearer(token))
    assert again.status_code == 200 and again.json() == resp.json()
    # Collections come as one page shape; the tree is a document with its roots.
    page = (await gw.get("/api/identity/v1/enterprises", headers=bearer(token))).json()
    assert page["total"] == 1 and [e["id"] for e in page["items"]] == [resp.json()["id"]]
    tree = (await gw.get("/api/identity/v1/org-units/tree")).json()
    assert [r["code"] for r in tree["roots"]] == ["110105"]
    assert_problem(await gw.get("/api/identity/v1/org-units", params={"limit": 500}), 422)
