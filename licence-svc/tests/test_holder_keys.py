"""A window fetch finds the licences issued to a resident ID for a resident who never opened the
library (ADR 0014): identity's registered event carries HMAC-SHA256(secret, resident ID), each
licence issued to a resident ID keeps the same key, and a case's applicant is matched by account,
by a confirmed binding, or by that key — never by another person's key, and not at all by key
without the shared secret.

Here the fetch and the use start from the application as intake showed it to the clerk (the
functions behind POST /v1/case-fetches and …/uses once intake answered); the suite's real intake-svc
holds no application to ask about. tests/e2e/test_window_library_e2e.py runs the whole path, intake's
answer included, through the gateway with real processes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from licence_support import deliver, staff, user_registered
from sqlalchemy import func, select

from licence.clients.intake import Application
from licence.config import Settings
from licence.demo import _types
from licence.main import create_app, fill_holder_keys
from licence.models import Licence, LicenceUse, Person
from licence.services import uses as uses_service
from yiwang_shared.auth import Principal
from yiwang_shared.errors import ProblemError
from yiwang_shared.holder_keys import holder_key
from yiwang_shared.orm import utcnow
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.process import free_port
from yiwang_shared.testing.tokens import TestTokens

SECRET = "shared-with-identity"
GAFJ = "110105-GAFJ"  # 区公安分局: issues ID cards
WINDOW = "110105-ZWFW-W01"
RID = "11010519491231002X"
OTHER_RID = "110105194912310038"
#: The applications intake "shows" the clerk: id → applicant's account id.
APPLICATIONS = {"app-walk-in": "walk-in-1", "app-other": "other-1", "app-nobody": "unknown-1"}


def _settings(database_url: str, nats_server: NatsServer, **kw: Any) -> Settings:
    return Settings(
        database_url=database_url,
        nats_url=nats_server.url,
        outbox_poll_seconds=0.2,
        expiry_scan_seconds=3600,
        identity_url=f"http://127.0.0.1:{free_port()}",  # nothing answers: the citizen is never asked
        intake_url=f"http://127.0.0.1:{free_port()}",
        **kw,
    )


#: The clerk at the window, as their token says.
CLERK = Principal(subject="clerk-1", kind="staff", roles=frozenset({"window_clerk"}), org_unit_code=WINDOW)


def _shown(application_id: str) -> Application:
    """The application as intake shows it to the clerk: the case and its applicant."""
    return Application(
        id=application_id,
        application_no="SQ-" + application_id,
        item_name="城乡最低生活保障对象认定",
        applicant_id=APPLICATIONS[application_id],
        enterprise_id=None,
    )


async def _running(app: FastAPI, tokens: TestTokens) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(app, verifier=tokens.verifier()) as client:
        async with app.state.db.transaction() as session:
            await _types(session)
        yield client


@pytest.fixture
async def keyed(
    database_url: str, nats_server: NatsServer, tokens: TestTokens
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """licence-svc sharing the secret with identity."""
    app = create_app(_settings(database_url, nats_server, holder_key_secret=SECRET))
    async for client in _running(app, tokens):
        yield app, client


def _id_card(rid: str = RID, name: str = "赵大爷") -> dict[str, Any]:
    return {
        "type_code": "JMSFZ",
        "number": rid,
        "holder_kind": "person",
        "holder_identifier": rid,
        "holder_name": name,
        "valid_from": "2020-01-01",
        "data": {"姓名": name, "公民身份号码": rid},
    }


async def _issue_id_card(client: httpx.AsyncClient, tokens: TestTokens, rid: str = RID) -> dict[str, Any]:
    made = await client.post("/v1/licences", json=_id_card(rid), headers=staff(tokens, GAFJ, "approver"))
    assert made.status_code == 201, made.text
    return dict(made.json())


async def _registered(app: FastAPI, account_id: str, key: str | None) -> None:
    data = user_registered(account_id, "赵大爷")
    if key is not None:
        data["resident_id_key"] = key
    assert await deliver(app, "identity.user.registered.v1", data) == "handled"


async def _fetch(app: FastAPI, application_id: str) -> str:
    """The id of the ID card fetched for the application, or the problem's code."""
    try:
        async with app.state.db.transaction() as s:
            _, licence = await uses_service.fetch_of_applicant(
                s, _shown(application_id), "JMSFZ", CLERK, purpose="申请材料：居民身份证", now=utcnow()
            )
            return licence.id
    except ProblemError as exc:
        return exc.code


async def _use(app: FastAPI, licence_id: str, application_id: str) -> str:
    """The use recorded of the licence for the application, or the problem's code."""
    try:
        async with app.state.db.transaction() as s:
            licence = await s.get(Licence, licence_id)
            assert licence is not None
            use = await uses_service.use_for(
                s, licence, _shown(application_id), CLERK, purpose="核验", now=utcnow()
            )
            return use.application_id
    except ProblemError as exc:
        return exc.code


async def _uses(app: FastAPI) -> int:
    async with app.state.db.transaction(write=False) as s:
        return int((await s.execute(select(func.count()).select_from(LicenceUse))).scalar_one())


async def test_a_resident_known_only_from_identitys_event_gets_their_id_card_fetched_for_their_case(
    keyed: tuple[FastAPI, httpx.AsyncClient], tokens: TestTokens
) -> None:
    app, client = keyed
    licence = await _issue_id_card(client, tokens)
    # The resident never opened the library: no binding, no account on the licence.
    await _registered(app, "walk-in-1", holder_key(SECRET, RID.lower()))  # identity's key, as it writes it

    assert await _fetch(app, "app-walk-in") == licence["id"]
    # The same application authorises using that licence by its id too.
    assert await _use(app, licence["id"], "app-walk-in") == "app-walk-in"
    assert await _uses(app) == 2


async def test_another_persons_key_matches_nothing_of_theirs(
    keyed: tuple[FastAPI, httpx.AsyncClient], tokens: TestTokens
) -> None:
    app, client = keyed
    licence = await _issue_id_card(client, tokens)
    await _registered(app, "other-1", holder_key(SECRET, OTHER_RID))  # holds nothing here
    await _registered(app, "unknown-1", None)  # registered before identity had the secret

    for application_id in ("app-other", "app-nobody"):
        assert await _fetch(app, application_id) == "licence.not_held"
    assert await _use(app, licence["id"], "app-other") == "licence.not_authorised_by_holder"
    assert await _uses(app) == 0


async def test_a_later_event_without_a_key_forgets_none_and_a_redelivery_changes_nothing(
    keyed: tuple[FastAPI, httpx.AsyncClient], tokens: TestTokens
) -> None:
    app, client = keyed
    licence = await _issue_id_card(client, tokens)
    key = holder_key(SECRET, RID)
    data = {**user_registered("walk-in-1", "赵大爷"), "resident_id_key": key}
    assert await deliver(app, "identity.user.registered.v1", data, event_id="e-1") == "handled"
    assert await deliver(app, "identity.user.registered.v1", data, event_id="e-1") == "duplicate"
    await _registered(app, "walk-in-1", None)
    async with app.state.db.transaction(write=False) as s:
        assert [(p.account_id, p.resident_id_key) for p in (await s.execute(select(Person))).scalars()] == [
            ("walk-in-1", key)
        ]
    assert await _fetch(app, "app-walk-in") == licence["id"]


async def test_without_the_secret_nothing_matches_by_key_as_before(
    database_url: str, nats_server: NatsServer, tokens: TestTokens, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(_settings(database_url, nats_server))
    async for client in _running(app, tokens):
        await _issue_id_card(client, tokens)
        await _registered(app, "walk-in-1", holder_key(SECRET, RID))
        assert await _fetch(app, "app-walk-in") == "licence.not_held"
        async with app.state.db.transaction(write=False) as s:
            assert (await s.execute(select(Licence.holder_identifier_key))).scalars().all() == [None]
    assert "LICENCE_HOLDER_KEY_SECRET is not set" in caplog.text


async def test_licences_issued_before_the_secret_are_keyed_at_start_up(
    database_url: str, nats_server: NatsServer, tokens: TestTokens
) -> None:
    before = create_app(_settings(database_url, nats_server))
    async for client in _running(before, tokens):
        licence = await _issue_id_card(client, tokens)
        await _issue_id_card(client, tokens, OTHER_RID)

    after = create_app(_settings(database_url, nats_server, holder_key_secret=SECRET))
    async for _client in _running(after, tokens):
        await after.state.keying_task  # the start-up pass, run in the background
        async with after.state.db.transaction(write=False) as s:
            keys = dict(
                (await s.execute(select(Licence.holder_identifier, Licence.holder_identifier_key))).all()
            )
        assert keys == {RID: holder_key(SECRET, RID), OTHER_RID: holder_key(SECRET, OTHER_RID)}
        assert await fill_holder_keys(after.state.db, after.state.keys.holders) == 0  # nothing left
        await _registered(after, "walk-in-1", holder_key(SECRET, RID))
        assert await _fetch(after, "app-walk-in") == licence["id"]
