"""Route dependencies: who acts, the service clock and the settings.

`Actor` is the typed actor: a `Principal`, never None (an anonymous call is answered 401 before the
route runs), so a route or a service it calls needs no check. `Now` is the service clock's time
for the request, `AppSettings` the service's settings; a route hands them with the request's
session (`yiwang_shared.db.SessionDep`) to a service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, cast

from fastapi import Depends, Request

from yiwang_shared.auth import Principal, current_principal
from yiwang_shared.orm import utcnow

from ..config import Settings


def now_of(request: Request) -> datetime:
    """The service clock (app.state.clock: a test may set a fixed day; default: real time)."""
    clock = cast(Callable[[], datetime], getattr(request.app.state, "clock", utcnow))
    return clock()


async def settings_of(request: Request) -> Settings:
    """The service's settings (app.state.settings, set when the app is created)."""
    settings: Settings = request.app.state.settings
    return settings


async def _now(request: Request) -> datetime:
    """`now_of` as a dependency: async, so FastAPI calls it inline rather than in a thread."""
    return now_of(request)


#: Who acts: the verified caller (401 without a token).
Actor = Annotated[Principal, Depends(current_principal)]
#: The request's time on the service clock (the same for every use within one request).
Now = Annotated[datetime, Depends(_now)]
#: The service's settings.
AppSettings = Annotated[Settings, Depends(settings_of)]
