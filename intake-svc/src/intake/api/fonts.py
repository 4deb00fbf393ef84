"""The CJK web font the printable notices use: /v1/fonts (public, cached for a year).

A browser fetches fonts without the page's bearer token, so these are public; they are the
vendored Noto Serif SC slices (`intake/data/fonts/noto-serif-sc/README.md`), never anything else.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse

from yiwang_shared.openapi import problems

from .. import errors
from .docs import binary

router = APIRouter(prefix="/v1/fonts", tags=["fonts"])

#: The package's font files (installed with it as package data, so a real directory).
FONT_DIR = FilePath(str(files("intake") / "data" / "fonts" / "noto-serif-sc"))
STYLESHEET = "noto-serif-sc.css"
#: The family name notices ask for (font-family) and the stylesheet that declares it.
FAMILY = "Noto Serif SC"
TYPES = {".css": "text/css; charset=utf-8", ".woff2": "font/woff2"}
FontFile = Annotated[
    str,
    Path(
        pattern=r"^noto-serif-sc(-[a-z0-9]+)*\.(css|woff2)$",
        max_length=80,
        description="`noto-serif-sc.css`, or a slice it names (`noto-serif-sc-<n>-400-normal.woff2`).",
    ),
]


@router.get(
    "/{file_name}",
    response_class=FileResponse,
    responses={
        200: {
            "description": "The stylesheet (@font-face rules by unicode-range) or a font slice.",
            "content": {"text/css": {"schema": {"type": "string"}}, **binary("font/woff2")},
        },
        **problems(s404="No such font file"),
    },
)
async def fonts_get(file_name: FontFile) -> FileResponse:
    """A file of the notices' Chinese web font (Noto Serif SC, SIL OFL 1.1): public, immutable."""
    path = FONT_DIR / file_name
    if not path.is_file():
        raise errors.font_not_found(file_name, STYLESHEET)
    return FileResponse(
        path,
        media_type=TYPES[path.suffix],
        # The slices never change under a name; a new font version comes with a new release.
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )
