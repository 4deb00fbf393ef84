"""identity-svc routes: one router per resource. Routes parse, authorise, call a service and
shape the response; the rules live in identity.services."""

from fastapi import APIRouter

from . import accounts, auth, enterprises, grants, org_units

routers: list[APIRouter] = [
    auth.router,
    accounts.router,
    org_units.router,
    enterprises.router,
    grants.router,
]
