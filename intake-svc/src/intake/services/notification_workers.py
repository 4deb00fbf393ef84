"""The background workers of notifications (短信通知): the SMS dispatcher and the appointment
reminder scan, started and stopped with the app.

Callers queue a message in their own transaction with `notification_outbox.queue_message`; the
dispatcher sends committed rows through the configured `Sender`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Protocol

from .appointment_reminders import reminder_task
from .notification_dispatcher import NotificationDispatcher
from .notification_outbox import MESSAGES_DIRTY
from .notification_senders import Sender, load_sender
from .notification_settings import NotificationSettings

log = logging.getLogger("intake.notifications")


class App(Protocol):
    """What the hooks need of the app: its state (the database, and what a test put there)."""

    @property
    def state(self) -> Any:
        """The app's state."""


async def start_dispatcher(app: App) -> None:
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
        app.state.db.add_commit_hook(dispatcher.wake, flag=MESSAGES_DIRTY)
        app.state.notification_dispatcher = dispatcher
        await dispatcher.start()
    else:
        log.info("sms dispatcher disabled (INTAKE_SMS_DISPATCHER_ENABLED=false)")
    if settings.appointment_reminders_enabled:
        reminders = reminder_task(
            app.state.db,
            ahead=timedelta(hours=settings.appointment_reminder_hours),
            scan_seconds=settings.appointment_reminder_scan_seconds,
        )
        app.state.appointment_reminders = reminders
        reminders.start()


async def stop_dispatcher(app: App) -> None:
    """Shutdown hook: stop the reminder scan and the SMS dispatcher after their current pass."""
    reminders = getattr(app.state, "appointment_reminders", None)
    if reminders is not None:
        await reminders.stop()
    dispatcher: NotificationDispatcher | None = getattr(app.state, "notification_dispatcher", None)
    if dispatcher is not None:
        await dispatcher.stop()
