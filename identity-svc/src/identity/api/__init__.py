"""identity-svc routes: one router per resource. Routes parse, authorise, call a service and
shape the response; the rules live in identity.services."""

from fastapi import APIRouter

from yiwang_shared.calendar import calendar_router

from . import accounts, auth, birthdays, calendar, enterprises, grants, lookups, org_units

routers: list[APIRouter] = [
    auth.router,
    lookups.router,  # before accounts: /v1/persons/lookups is not a person id
    accounts.router,
    org_units.router,
    enterprises.router,
    grants.router,
    calendar_router(),  # the working-day calendar: read by anyone
    calendar.router,  # …and administered only here (its one owner)
    birthdays.router,  # 免申即享: the birthday pass and the contact tickets of its events
]
