"""intake-svc tables, by area; importing the package registers every table on `Base.metadata`
(Alembic, the migration guard).

- application tables (applications, materials, notices, steps, trace …): `intake.models.applications`
- appointments: `intake.models.appointments`
- the notification outbox: `intake.models.notifications`
- the staff read model, reminders and escalations: `intake.models.escalation`
- the service hall queue (排队叫号): `intake.models.queue`
- 一件事 bundles and bundle applications: `intake.models.bundles`
- 告知承诺 post-checks and breaches: `intake.models.commitments`
- fees (payment notices) and waybills: `intake.models.fees`
- 免申即享 offers: `intake.models.offers`
- demand history and forecasts (需求预判): `intake.models.demand`
"""

from . import (
    applications,
    appointments,
    bundles,
    commitments,
    demand,
    escalation,
    fees,
    notifications,
    offers,
    queue,
)
from .base import Base

__all__ = [
    "Base",
    "applications",
    "appointments",
    "bundles",
    "commitments",
    "demand",
    "escalation",
    "fees",
    "notifications",
    "offers",
    "queue",
]
