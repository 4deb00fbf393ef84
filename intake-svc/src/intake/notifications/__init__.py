"""Notifications (短信通知): the SMS outbox, its texts, senders and the dispatcher.

Callers queue a message in their own transaction with `queue_message`; the dispatcher started by
`start_dispatcher` sends committed rows through the configured `Sender`.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from fastapi import FastAPI

from .dispatcher import NotificationDispatcher, PassResult
from .outbox import queue_message
from .senders import LoggingSender, OutgoingSms, Sender, load_sender
from .settings import NotificationSettings
from .texts import TEMPLATES, render, required_params

log = logging.getLogger("intake.notifications")

__all__ = [
    "TEMPLATES",
    "LoggingSender",
    "NotificationDispatcher",
    "NotificationSettings",
    "OutgoingSms",
    "PassResult",
    "Sender",
    "load_sender",
    "queue_message",
    "render",
    "required_params",
    "start_dispatcher",
    "stop_dispatcher",
]


async def start_dispatcher(app: FastAPI) -> None:
    """Startup hook: run the SMS dispatcher and the appointment reminder scan.

    Settings come from INTAKE_SMS_* / INTAKE_APPOINTMENT_REMINDER*; tests may put
    `notification_settings` and `sms_sender` on `app.state` first.
    """
    settings: NotificationSettings = (
        getattr(app.state, "notification_settings", None) or NotificationSettings()
    )
    app.state.notification_dispatcher = None
    app.state.appointment_reminders = None
    if settings.sms_dispatcher_enabled:
        sender: Sender = getattr(app.state, "sms_sender", None) or load_sender(settings.sms_sender)
        dispatcher = NotificationDispatcher(app.state.db, sender, settings)
        app.state.db.add_commit_hook(dispatcher.wake)
        app.state.notification_dispatcher = dispatcher
        await dispatcher.start()
    else:
        log.info("sms dispatcher disabled (INTAKE_SMS_DISPATCHER_ENABLED=false)")
    if settings.appointment_reminders_enabled:
        # Imported here: appointments import this package to queue their own messages.
        from ..appointments.reminders import ReminderScheduler

        reminders = ReminderScheduler(
            app.state.db,
            ahead=timedelta(hours=settings.appointment_reminder_hours),
            scan_seconds=settings.appointment_reminder_scan_seconds,
        )
        app.state.appointment_reminders = reminders
        await reminders.start()


async def stop_dispatcher(app: FastAPI) -> None:
    """Shutdown hook: stop the reminder scan and the SMS dispatcher after their current pass."""
    reminders = getattr(app.state, "appointment_reminders", None)
    if reminders is not None:
        await reminders.stop()
    dispatcher: NotificationDispatcher | None = getattr(app.state, "notification_dispatcher", None)
    if dispatcher is not None:
        await dispatcher.stop()
