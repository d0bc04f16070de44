"""Live notices between processes: "conversation 12 has a new message" reaches every `serve`.

A nudge, not the data: listeners read the rows themselves, so a lost nudge delays a line
(the console also re-reads on a timer) but never loses or alters it. In one process the
memory bus calls listeners directly; with Redis every process hears every publish.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

log = logging.getLogger(__name__)
Listener = Callable[[str, dict[str, Any]], None]


class LiveBus(Protocol):
    """Publish a small JSON message on a topic; listeners hear every topic (any thread)."""

    def publish(self, topic: str, data: dict[str, Any]) -> None: ...
    def listen(self, listener: Listener) -> Callable[[], None]: ...


class MemoryLiveBus:
    """One process: publish calls each listener at once, in the publisher's thread."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def publish(self, topic: str, data: dict[str, Any]) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(topic, data)
            except Exception:  # one broken listener must not stop the others
                log.exception("live listener failed")

    def listen(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def stop() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)
        return stop


class RedisLiveBus:
    """Redis pub/sub on `<prefix>live:<topic>`; each listener gets a thread of its own."""

    def __init__(self, client: Any, prefix: str = "wuye:") -> None:
        self._redis = client
        self._pattern = f"{prefix}live:"

    def publish(self, topic: str, data: dict[str, Any]) -> None:
        self._redis.publish(self._pattern + topic, json.dumps(data, ensure_ascii=False))

    def listen(self, listener: Listener) -> Callable[[], None]:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        pubsub.psubscribe(self._pattern + "*")
        stopped = threading.Event()

        def run() -> None:
            while not stopped.is_set():
                try:
                    message = pubsub.get_message(timeout=1.0)
                except Exception:  # Redis restarting: wait and go on (the timer re-reads)
                    log.warning("live: Redis pub/sub read failed", exc_info=True)
                    stopped.wait(1.0)
                    continue
                if message and message.get("type") == "pmessage":
                    topic = str(message["channel"])[len(self._pattern):]
                    try:
                        listener(topic, json.loads(message["data"]))
                    except Exception:
                        log.exception("live listener failed")
            pubsub.close()

        thread = threading.Thread(target=run, name="live-bus", daemon=True)
        thread.start()

        def stop() -> None:
            stopped.set()
            thread.join(timeout=3)
        return stop
