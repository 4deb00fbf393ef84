"""Personal numbers (resident ID, passport, phone) masked for display and events."""

from __future__ import annotations

from yiwang_shared.validators import mask_mobile, mask_resident_id

__all__ = ["mask_mobile", "mask_name", "mask_passport", "mask_resident_id"]


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
