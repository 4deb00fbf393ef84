"""Browsers' cross-origin requests: CORS headers on allowed answers, preflights answered here."""

from __future__ import annotations

from .base import GatewayBase
from .httpserver import Connection, Request
from .problems import send_problem


class CorsHandling(GatewayBase):
    """The gateway's side of CORS (the policy itself is `cors.Cors`)."""

    def _cors(self, req: Request, conn: Connection) -> bool:
        """Add the CORS headers for an allowed origin; True when the request is a preflight."""
        origin = req.header(b"origin")
        if origin is None:
            return False
        if req.method == "OPTIONS" and req.header(b"access-control-request-method") is not None:
            return True
        if self.cors.enabled and self.cors.allows(origin):
            conn.response_headers = self.cors.response_headers(origin)
        return False

    def _preflight(self, req: Request, conn: Connection, rid: str) -> None:
        """Answer a browser's CORS preflight: 204 for an allowed origin and request, else 403."""
        origin = req.header(b"origin") or b""
        if not self.cors.allows(origin):
            text = origin.decode("latin-1")
            send_problem(
                conn,
                status=403,
                code="gateway.cors_origin_not_allowed",
                detail=f"不允许来自 {text} 的网页跨域调用本接口。",
                en=f"Browsers on {text} may not call this API (the origin is not in GATEWAY_CORS_ORIGINS).",
                request_id=rid,
                instance=req.path,
            )
            return
        refusal = self.cors.preflight_refusal(
            req.header(b"access-control-request-method") or b"", req.header(b"access-control-request-headers")
        )
        if refusal is not None:
            conn.response_headers = self.cors.response_headers(origin)
            send_problem(
                conn,
                status=403,
                code="gateway.cors_request_not_allowed",
                detail=refusal[0],
                en=refusal[1],
                request_id=rid,
                instance=req.path,
            )
            return
        conn.send(204, [*self.cors.preflight_headers(origin), (b"x-request-id", rid.encode("ascii"))])
