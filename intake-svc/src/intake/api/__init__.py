"""intake-svc routers."""

from fastapi import APIRouter

from .appointments import router as appointments_router
from .notifications import router as notifications_router

routers: list[APIRouter] = [appointments_router, notifications_router]
