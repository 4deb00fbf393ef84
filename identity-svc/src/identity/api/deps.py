"""Dependencies shared by the routers: the service's tools, the caller, and answering refusals
whose bookkeeping must commit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from yiwang_shared.auth import CurrentPrincipal, Principal, require_roles
from yiwang_shared.db import Database, SessionDep

from ..config import Settings
from ..errors import NoValidGrant
from ..services.grants import act_for_still_valid
from ..services.keys import KeyStore
from ..services.passwords import Passwords
from ..services.tokens import TokenIssuer


async def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def _passwords(request: Request) -> Passwords:
    return request.app.state.passwords  # type: ignore[no-any-return]


async def _issuer(request: Request) -> TokenIssuer:
    return request.app.state.issuer  # type: ignore[no-any-return]


async def _keys(request: Request) -> KeyStore:
    return request.app.state.keys  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(_settings)]
PasswordsDep = Annotated[Passwords, Depends(_passwords)]
IssuerDep = Annotated[TokenIssuer, Depends(_issuer)]
KeysDep = Annotated[KeyStore, Depends(_keys)]


async def _write_session(request: Request) -> AsyncIterator[SessionDep]:
    db: Database = request.app.state.db
    async with db.transaction() as session:
        yield session


#: A write transaction whatever the method: a GET that records who read what (a clear phone)
#: must write, and on SQLite a read transaction cannot safely become a write one. SessionDep's
#: type with this dependency instead of its own (FastAPI uses the last `Depends` of an Annotated).
WriteSessionDep = Annotated[SessionDep, Depends(_write_session, scope="function")]


async def current_caller(principal: CurrentPrincipal, session: SessionDep) -> Principal:
    """The verified caller; an act-for token is re-checked against the grant in the database."""
    if principal.acting_for is not None and not await act_for_still_valid(
        session, principal.subject, principal.acting_for
    ):
        raise NoValidGrant.token_outlived()
    return principal


Caller = Annotated[Principal, Depends(current_caller)]
Admin = Annotated[Principal, Depends(require_roles("admin"))]
