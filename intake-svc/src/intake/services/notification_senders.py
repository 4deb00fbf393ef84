"""Senders: where an SMS goes. The default logs it; a real gateway plugs in by import path."""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from yiwang_shared.validators import mask_mobile

log = logging.getLogger("intake.notifications")


@dataclass(frozen=True)
class OutgoingSms:
    """One message handed to a sender."""

    message_id: str
    phone: str
    text: str
    kind: str


@runtime_checkable
class Sender(Protocol):
    """Sends one SMS; raises on failure (the dispatcher retries with backoff)."""

    async def send(self, sms: OutgoingSms) -> None:
        """Send `sms` or raise."""
        ...


class LoggingSender:
    """Logs each message with the phone masked: the default where no SMS gateway is set up."""

    async def send(self, sms: OutgoingSms) -> None:
        """Log the message."""
        log.info(
            "sms %s to %s: %s",
            sms.message_id,
            mask_mobile(sms.phone),
            sms.text,
            extra={"sms_kind": sms.kind, "message_id": sms.message_id},
        )


def load_sender(spec: str) -> Sender:
    """The sender named by `spec`: `log`, or `package.module:Factory` (called without args)."""
    if spec.strip().lower() in {"", "log", "logging"}:
        return LoggingSender()
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        # not user-facing: a start-up configuration check
        raise ValueError(f"INTAKE_SMS_SENDER={spec!r}: use 'log' or an import path 'package.module:Factory'")
    factory = getattr(importlib.import_module(module_name), attr)
    sender = factory()
    if not isinstance(sender, Sender):
        raise TypeError(f"INTAKE_SMS_SENDER={spec!r} did not give an object with `async send()`")
    return sender
