"""Request-size and request-rate limits, as plain ASGI middleware.

Both protect the service from one client: bodies are read up to the operator's maximum
(413 past it) before any route sees them, and each client address gets a token bucket
(429 with Retry-After when it is empty). Pages and static files are not rate-limited;
/sparql and /api/* are.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field

RATE_LIMITED_PREFIXES = ("/sparql", "/api/")
UNLIMITED_PATHS = {"/api/health", "/api/openapi.json"}


async def _send_json(send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    raw_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """Refuse bodies over `max_bytes` with 413, whether announced by Content-Length or not."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        too_big = f"Request body larger than {self.max_bytes} bytes, the service's limit."
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    if int(value) > self.max_bytes:
                        return await _send_json(send, 413, too_big)
                except ValueError:
                    return await _send_json(send, 400, "Invalid Content-Length header.")
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return await _send_json(send, 413, too_big)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)


@dataclass
class TokenBuckets:
    """Per-key token buckets: `rate` tokens a second, at most `burst` saved up."""

    rate: float
    burst: int
    max_keys: int = 100_000
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def take(self, key: str, now: float | None = None) -> float:
        """0 if a request may go now, else the seconds until it may."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            wait = 0.0
        else:
            self._buckets[key] = (tokens, now)
            wait = (1.0 - tokens) / self.rate
        if len(self._buckets) > self.max_keys:  # forget the stalest half rather than grow without end
            for stale in sorted(self._buckets, key=lambda k: self._buckets[k][1])[: self.max_keys // 2]:
                del self._buckets[stale]
        return wait


class RateLimit:
    def __init__(self, app, rate: float, burst: int) -> None:
        self.app = app
        self.buckets = TokenBuckets(rate, max(1, burst)) if rate > 0 else None

    async def __call__(self, scope, receive, send):
        if self.buckets is None or scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        if not path.startswith(RATE_LIMITED_PREFIXES) or path in UNLIMITED_PATHS:
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.buckets.take(client)
        if wait > 0:
            return await _send_json(
                send, 429, f"Too many requests from {client}; slow down.", {"Retry-After": str(math.ceil(wait))}
            )
        return await self.app(scope, receive, send)
