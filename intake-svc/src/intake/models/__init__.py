"""intake-svc tables, by area; importing the package registers every table on `Base.metadata`
(Alembic, the migration guard).

- application tables (applications, materials, notices, steps, trace …): `intake.models.applications`
- appointments: `intake.models.appointments`
- the notification outbox: `intake.models.notifications`
- the staff read model, reminders and escalations: `intake.models.escalation`
- the service hall queue (排队叫号): `intake.models.queue`
- 一件事 bundles and bundle applications: `intake.models.bundles`
"""

from . import applications, appointments, bundles, escalation, notifications, queue
from .base import Base

__all__ = ["Base", "applications", "appointments", "bundles", "escalation", "notifications", "queue"]
