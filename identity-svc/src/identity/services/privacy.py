"""Personal numbers (resident ID, passport, phone) masked for display and events, and a resident
ID's keyed hash for the services that share identity's holder-key secret (ADR 0014)."""

from __future__ import annotations

import functools
import logging

from pydantic import SecretStr

from yiwang_shared.holder_keys import holder_key
from yiwang_shared.validators import mask_mobile, mask_resident_id

__all__ = ["mask_mobile", "mask_name", "mask_passport", "mask_resident_id", "resident_id_key"]

log = logging.getLogger("identity.privacy")


@functools.cache
def _say_no_secret() -> None:
    log.warning(
        "IDENTITY_HOLDER_KEY_SECRET is not set: identity.user.registered.v1 carries no "
        "resident_id_key, so the licence library finds a resident's licences only once they open it"
    )


def resident_id_key(secret: SecretStr | None, resident_id: str | None) -> str | None:
    """HMAC-SHA256 of the resident ID under the shared secret; None without either (the missing
    secret is logged once per process)."""
    if not resident_id:
        return None
    if secret is None or not secret.get_secret_value():
        _say_no_secret()
        return None
    return holder_key(secret.get_secret_value(), resident_id)


def mask_passport(value: str) -> str:
    """Hide the middle of a passport number: E*****678 (first character and last three)."""
    s = value.strip().upper()
    if len(s) <= 4:
        return "*" * len(s)
    return s[0] + "*" * (len(s) - 4) + s[-3:]


def mask_name(value: str) -> str:
    """Hide all but the first character of a name: 王*, 欧**, J***."""
    s = value.strip()
    return s[:1] + "*" * max(1, len(s) - 1) if s else s
