"""licence-svc routers."""

from fastapi import APIRouter

from .licences import router as licences_router
from .public import router as public_router
from .shares import router as shares_router
from .types import router as types_router
from .uses import router as uses_router

routers: list[APIRouter] = [types_router, licences_router, shares_router, uses_router, public_router]
