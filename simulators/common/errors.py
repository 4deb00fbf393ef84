"""The simulators' error answers: `{"code": "...", "message": "..."}` with a 4xx, as WeChat Pay v3."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


class SimulatorError(Exception):
    """A refusal with a status, a stable code and a message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def install_error_handlers(app: FastAPI) -> None:
    """Answer SimulatorError and bad input in the documented shape."""

    async def refused(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, SimulatorError)
        return JSONResponse({"code": exc.code, "message": exc.message}, status_code=exc.status)

    async def invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        fields = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in exc.errors()
        )
        return JSONResponse({"code": "PARAM_ERROR", "message": fields}, status_code=400)

    app.add_exception_handler(SimulatorError, refused)
    app.add_exception_handler(RequestValidationError, invalid)
