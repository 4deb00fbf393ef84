"""The NATS connection: connects in the background, reconnects forever, ensures streams."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import NotFoundError

log = logging.getLogger("yiwang.events.bus")

#: JetStream deduplicates repeated Nats-Msg-Ids within this window (seconds).
DUPLICATE_WINDOW_SECONDS = 600


class NotConnected(RuntimeError):
    """NATS is not reachable right now."""


class EventBus:
    """A NATS client that keeps trying to connect, so a service starts and runs without NATS."""

    def __init__(self, url: str, *, name: str, stream_replicas: int = 1) -> None:
        self.url = url
        self.name = name
        self.stream_replicas = stream_replicas
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._task: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()
        self._closing = False
        self._streams: dict[str, list[str]] = {}

    @property
    def connected(self) -> bool:
        """True while the client is connected to a server."""
        return self._nc is not None and self._nc.is_connected

    @property
    def js(self) -> JetStreamContext:
        """The JetStream context; raises NotConnected before the first connection."""
        if self._js is None or not self.connected:
            raise NotConnected(f"NATS at {self.url} is not connected")
        return self._js

    async def start(self) -> None:
        """Begin connecting in the background; returns at once."""
        self._task = asyncio.create_task(self._connect_loop(), name=f"{self.name}-nats-connect")
        # Give a reachable server a moment so the service starts connected.
        try:
            await asyncio.wait_for(self._connected.wait(), timeout=2)
        except TimeoutError:
            log.warning("NATS at %s not reachable yet; will keep trying", self.url)

    async def wait_connected(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for a connection."""
        try:
            await asyncio.wait_for(self._connected.wait(), timeout=timeout)
        except TimeoutError:
            return False
        return self.connected

    async def _connect_loop(self) -> None:
        delay = 0.2
        while not self._closing:
            try:
                self._nc = await nats.connect(
                    self.url,
                    name=self.name,
                    connect_timeout=2,
                    allow_reconnect=True,
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,
                    error_cb=self._on_error,
                    disconnected_cb=self._on_disconnected,
                    reconnected_cb=self._on_reconnected,
                )
                self._js = self._nc.jetstream()
                self._connected.set()
                log.info("connected to NATS at %s", self.url)
                return
            except Exception as exc:  # keep trying whatever the cause
                log.debug("NATS connect failed: %s", exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _on_error(self, exc: Exception) -> None:
        log.debug("NATS error: %s", exc)

    async def _on_disconnected(self) -> None:
        log.warning("disconnected from NATS")

    async def _on_reconnected(self) -> None:
        log.info("reconnected to NATS")

    async def ensure_stream(self, name: str, subjects: list[str]) -> None:
        """Create the stream if it is missing (file storage, deduplication window)."""
        js = self.js
        try:
            await js.stream_info(name)
        except NotFoundError:
            config = StreamConfig(
                name=name,
                subjects=subjects,
                storage=StorageType.FILE,
                duplicate_window=DUPLICATE_WINDOW_SECONDS,
                num_replicas=self.stream_replicas,
            )
            try:
                await js.add_stream(config)
                log.info("created stream %s for %s", name, subjects)
            except Exception as exc:
                # Another replica may have created it between our look and our add.
                await js.stream_info(name)
                log.debug("stream %s created concurrently: %s", name, exc)
        self._streams[name] = subjects

    async def publish(
        self,
        subject: str,
        payload: bytes,
        *,
        msg_id: str,
        headers: dict[str, str] | None = None,
        timeout: float = 5.0,
    ) -> Any:
        """Publish to JetStream with Nats-Msg-Id for deduplication; returns the PubAck."""
        hdrs = {"Nats-Msg-Id": msg_id}
        if headers:
            hdrs.update(headers)
        return await self.js.publish(subject, payload, headers=hdrs, timeout=timeout)

    async def close(self) -> None:
        """Stop connecting and close the connection."""
        self._closing = True
        if self._task is not None and not self._task.done():
            self._task.cancel()
        if self._nc is not None and not self._nc.is_closed:
            # Consumers and the relay are stopped by now; flush what was published and close
            # (drain would wait for pull subscriptions' pending requests to time out).
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._nc.flush(), timeout=2)
            await self._nc.close()
