"""Real upstream services for the tests: small FastAPI apps served by uvicorn in threads."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from typing import Any

import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, create_model


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Problem(BaseModel):
    """Stands in for the shared problem schema (every service documents one named Problem)."""

    type: str
    title: str
    status: int
    detail: str
    code: str


def echo_app(name: str) -> FastAPI:
    """A service that answers every path with what it received (and records it)."""
    app = FastAPI(title=f"{name}-svc", version="1.0.0")
    app.state.seen = []

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> dict[str, str]:
        return {"status": "ready", "service": name}

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        # What the gateway must never hand to the public (ADR 0004).
        return Response(f'upstream_only_metric{{service="{name}"}} 1\n', media_type="text/plain")

    @app.get("/slow", include_in_schema=False)
    async def slow(seconds: float = 2.0) -> dict[str, Any]:
        await asyncio.sleep(seconds)
        return {"slept": seconds}

    @app.api_route("/big", methods=["GET", "HEAD"], include_in_schema=False)
    async def big(size: int = 2_000_000) -> Response:
        data = bytes(i % 251 for i in range(size))
        return Response(data, media_type="application/octet-stream")

    @app.get("/chunked", include_in_schema=False)
    async def chunked(parts: int = 50) -> StreamingResponse:
        async def gen() -> Any:
            for i in range(parts):
                yield f"part {i}\n".encode()
                await asyncio.sleep(0)

        return StreamingResponse(gen(), media_type="text/plain")

    @app.get("/cookies", include_in_schema=False)
    async def cookies() -> Response:
        resp = JSONResponse({"ok": True})
        resp.set_cookie("a", "1")
        resp.set_cookie("b", "2")
        return resp

    @app.api_route(
        "/echo/{rest:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"],
        include_in_schema=False,
    )
    @app.api_route("/open311/{rest:path}", methods=["GET", "POST"], include_in_schema=False)
    async def echo(request: Request, rest: str) -> Response:
        body = await request.body()
        record = {
            "service": name,
            "method": request.method,
            "path": request.url.path,
            "raw_path": request.scope.get("raw_path", b"").decode("latin-1"),
            "query": request.url.query,
            "headers": {k: v for k, v in request.headers.items()},
            "header_list": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in request.scope["headers"]],
            "body": body.decode("utf-8", "replace"),
        }
        app.state.seen.append(record)
        return JSONResponse(record, headers={"x-upstream": name})

    return app


class ItemRead(BaseModel):
    """catalog's idea of an item."""

    code: str
    name: str


class CatalogItemList(BaseModel):
    """A page of items."""

    items: list[ItemRead]


def catalog_app() -> FastAPI:
    """Echo app plus documented routes with a schema named ItemRead."""
    app = echo_app("catalog")

    @app.get(
        "/v1/items/{code}",
        response_model=ItemRead,
        operation_id="items-get",
        tags=["items"],
        responses={404: {"model": Problem}},
    )
    async def get_item(code: str) -> ItemRead:
        return ItemRead(code=code, name="个体工商户设立登记")

    @app.get("/v1/items", response_model=CatalogItemList, operation_id="items-list", tags=["items"])
    async def list_items() -> CatalogItemList:
        return CatalogItemList(items=[])

    return app


#: intake's own, different model that is *also* named ItemRead (the clash the merge must resolve).
IntakeItemRead = create_model("ItemRead", application_id=(str, ...), status=(str, ...))


class ApplicationCreate(BaseModel):
    """An application for an item."""

    item_code: str


def intake_app() -> FastAPI:
    """Echo app plus documented routes with a *different* schema also named ItemRead."""
    app = echo_app("intake")
    ItemRead = IntakeItemRead

    @app.post(
        "/v1/applications",
        response_model=ItemRead,
        status_code=201,
        operation_id="applications-create",
        tags=["applications"],
        responses={409: {"model": Problem}},
    )
    async def create(body: ApplicationCreate) -> Any:
        return ItemRead(application_id="a-1", status="submitted")

    @app.get("/v1/items/{code}", response_model=ItemRead, operation_id="items-get", tags=["items"])
    async def get_item(code: str) -> Any:
        return ItemRead(application_id=code, status="submitted")

    return app


def identity_app(jwks: dict[str, Any]) -> FastAPI:
    """Echo app plus the JWKS endpoint."""
    app = echo_app("identity")
    app.state.jwks_calls = 0

    @app.get("/v1/auth/jwks", include_in_schema=False)
    async def get_jwks() -> dict[str, Any]:
        app.state.jwks_calls += 1
        return jwks

    # Digests of revoked sessions and accounts, as identity-svc lists them; tests add to these.
    app.state.revoked_sessions = set()
    app.state.revoked_accounts = set()

    @app.get("/v1/auth/revocations", include_in_schema=False)
    async def get_revocations() -> dict[str, Any]:
        return {
            "sessions": sorted(app.state.revoked_sessions),
            "accounts": sorted(app.state.revoked_accounts),
            "window_seconds": 965,
        }

    return app


class ThreadedServer:
    """A uvicorn server in a background thread; stoppable and restartable on the same port."""

    def __init__(self, app: FastAPI, port: int | None = None, **config: Any) -> None:
        self.app = app
        self.port = port or free_port()
        self.config = config
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ThreadedServer:
        """Start serving and wait until it accepts connections."""
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off", **self.config
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise TimeoutError("upstream did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving (connections are closed)."""
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(10)
        self.server = None
        self.thread = None


def jwks_document(*entries: tuple[str, Any]) -> dict[str, Any]:
    """A JWKS with the given (kid, public key) pairs."""
    from jwt.algorithms import RSAAlgorithm

    keys = []
    for kid, public_key in entries:
        jwk = json.loads(RSAAlgorithm.to_jwk(public_key))
        jwk.update({"kid": kid, "use": "sig", "alg": "RS256"})
        keys.append(jwk)
    return {"keys": keys}
