"""What the catalog routes share: version-number parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from ..schemas.items import MAX_VERSION_NO

VersionNoPath = Annotated[
    int, Path(ge=1, le=MAX_VERSION_NO, description=f"Version number (版本号), 1–{MAX_VERSION_NO}.")
]
