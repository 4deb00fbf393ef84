"""evaluation-svc routers."""

from fastapi import APIRouter

from .cases import router as cases_router
from .indicators import router as indicators_router
from .pads import router as pads_router
from .ratings import router as ratings_router

routers: list[APIRouter] = [ratings_router, pads_router, cases_router, indicators_router]
