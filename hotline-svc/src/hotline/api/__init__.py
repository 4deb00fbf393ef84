"""hotline-svc routers."""

from fastapi import APIRouter

from .escalations import router as escalations_router
from .kb import router as kb_router
from .open311 import keys_router as open311_keys_router
from .open311 import router as open311_router
from .rates import router as rates_router
from .rules import router as rules_router
from .tickets import router as tickets_router
from .topics import router as topics_router

routers: list[APIRouter] = [
    tickets_router,
    rules_router,
    escalations_router,
    rates_router,
    topics_router,
    kb_router,
    open311_router,
    open311_keys_router,
]
