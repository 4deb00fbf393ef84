"""Public routes (no login): verification by number, a share code's licence, the signing keys."""

from __future__ import annotations

from fastapi import APIRouter, Request

from yiwang_shared.db import SessionDep
from yiwang_shared.openapi import problems

from ..schemas import SharedLicenceRead, SigningKeyRead, SigningKeySet, VerificationCreate, VerificationRead
from ..services import shares, verification
from .deps import ClientKey, LimiterDep, Now

router = APIRouter(prefix="/v1", tags=["verification"])


@router.post("/verifications", response_model=VerificationRead, responses=problems(429))
async def verifications_create(
    body: VerificationCreate, session: SessionDep, client: ClientKey, limiter: LimiterDep, now: Now
) -> VerificationRead:
    """Is a licence of this number and type valid today? (第三方核验: no personal data; rate-limited)"""
    return await verification.verify_number(session, body, client=client, limiter=limiter, now=now)


@router.get("/shared/{code}", response_model=SharedLicenceRead, responses=problems(404, 429))
async def shared_get(
    code: str, request: Request, session: SessionDep, client: ClientKey, limiter: LimiterDep, now: Now
) -> SharedLicenceRead:
    """The licence a holder shared, by its code (while the share lasts; rate-limited)."""
    shared, share_id = await shares.open_share(session, code, client=client, limiter=limiter, now=now)
    # A GET reads in a read-only transaction: the opening is counted in a write of its own.
    async with request.app.state.db.transaction() as write:
        await shares.count_opening(write, share_id)
    return shared


@router.get("/signing-keys", response_model=SigningKeySet)
async def signing_keys_list(request: Request) -> SigningKeySet:
    """The public keys renderings are signed with (JWKS): check a signature against `kid`."""
    return SigningKeySet(
        keys=[SigningKeyRead.model_validate(k) for k in request.app.state.keys.published.values()]
    )
