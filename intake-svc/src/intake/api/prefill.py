"""表单预填: /v1/catalog-items/{code}/prefill — an item's application form filled in for the
signed-in applicant from their identity account and licences, the materials the licence library
holds for them and the files they may hand in again."""

from __future__ import annotations

import aiohttp
from fastapi import APIRouter, Request

from yiwang_shared.auth import bearer_token
from yiwang_shared.db import SessionDep
from yiwang_shared.openapi import problems

from .. import errors
from ..clients.identity import own_account
from ..clients.licences import own_valid_licences
from ..schemas.prefill import (
    HeldMaterialRead,
    PrefillFieldRead,
    PrefillRead,
    PrefillSourceRead,
)
from ..services import prefill as prefill_service
from ..services.catalogue import find_published_item
from ..services.storage import reusable_files
from .deps import Actor, AppSettings, Now
from .files import reusable_view

router = APIRouter(prefix="/v1/catalog-items", tags=["catalog"])

#: At most this many reusable files come with a prefill (GET /v1/files/reusable pages them all).
REUSABLE_LIMIT = 100


@router.get(
    "/{code}/prefill",
    response_model=PrefillRead,
    responses=problems(
        404,
        503,
        s403="Staff: a form is prefilled only with the signed-in applicant's own data (本人数据)",
    ),
)
async def catalog_items_prefill(
    code: str, session: SessionDep, actor: Actor, now: Now, settings: AppSettings, request: Request
) -> PrefillRead:
    """The item's application form prefilled for the caller (a person, or an agent acting for an
    enterprise): values from their identity account and valid licences with each value's source,
    the item's materials the licence library holds for them, and their files still valid to hand
    in again. Only the caller's own data; staff are refused."""
    prefill_service.applicant_only(actor)
    entry = await find_published_item(session, code)
    if entry is None:
        raise errors.catalog_item_not_found(code)
    client: aiohttp.ClientSession = request.app.state.identity_client
    bearer, timeout = bearer_token(request), settings.request_timeout_seconds
    account = await own_account(
        client, base_url=settings.resolved_identity_url(), bearer=bearer, timeout=timeout
    )
    licences = await own_valid_licences(client, base_url=settings.licence_url, bearer=bearer, timeout=timeout)
    form = prefill_service.prefill(actor, account, licences, entry.materials)
    names = [str(m["name"]) for m in entry.materials if m.get("name")]
    reusable, _ = await reusable_files(
        session, actor, materials=names, now=now, limit=REUSABLE_LIMIT, offset=0
    )
    return PrefillRead(
        item_code=entry.code,
        fields=[PrefillFieldRead(key=k, label=label) for k, label in form.fields],
        values=form.values,
        sources={
            k: PrefillSourceRead.model_validate(s, from_attributes=True) for k, s in form.sources.items()
        },
        held_materials=[HeldMaterialRead.model_validate(h, from_attributes=True) for h in form.held],
        reusable_files=[reusable_view(r) for r in reusable],
        licences_checked=licences is not None,
    )
