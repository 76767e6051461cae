"""The collector's WSGI application: one beacon path, answered from any origin, each event checked and stored.

Answers: 200 with the 43-byte GIF when the event is stored (so an `<img>` fallback loads too); 204 when the reader
asked not to be tracked (DNT or GPC header: nothing is stored); 400 for anything that is not a valid version-1 event;
413/414 past the size caps; 429 over the client's rate; 507 when the store is full; 503 when it cannot keep up.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from kbgen.collect.ratelimit import RateLimit
from kbgen.collect.writer import Writer
from kbgen.events.privacy import mask
from kbgen.render.analytics import BEACON_GIF, MAX_QUERY_STRING, parse_event

#: Any origin may send (the site is on another host); no credentials are asked for or accepted.
CORS = [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
        ("Access-Control-Allow-Headers", "Content-Type"), ("Access-Control-Max-Age", "86400"),
        ("Cross-Origin-Resource-Policy", "cross-origin")]
_COMMON = [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"), *CORS]

StartResponse = Callable[[str, list[tuple[str, str]]], object]


class Collector:
    """WSGI app: `path` takes beacons, `/` says the service is up (for health checks), anything else is 404."""

    def __init__(self, writer: Writer, rate: RateLimit, path: str) -> None:
        self.writer, self.rate, self.path = writer, rate, path
        #: A beacon sent as a POST body is a query string too: the same cap, with room for a form's framing.
        self.max_body = MAX_QUERY_STRING + 64

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path != self.path:
            if path == "/" and method in ("GET", "HEAD"):
                return _answer(start_response, "200 OK", b"kbgen collect: ok\n", method)
            return _answer(start_response, "404 Not Found", b"not found\n", method)
        if method == "OPTIONS":  # a CORS preflight
            return _answer(start_response, "204 No Content", b"", method)
        if method not in ("GET", "HEAD", "POST"):
            return _answer(start_response, "405 Method Not Allowed", b"GET or POST\n", method,
                           [("Allow", "GET, HEAD, POST, OPTIONS")])
        if method == "HEAD":  # a link checker or a prefetch, not a reader's event: nothing is stored
            return _answer(start_response, "200 OK", BEACON_GIF, method, [("Content-Type", "image/gif")])
        status, body = self._beacon(environ, method)
        kind = "image/gif" if status.startswith("200") else "text/plain; charset=utf-8"
        return _answer(start_response, status, body, method, [("Content-Type", kind)])

    def _beacon(self, environ: dict, method: str) -> tuple[str, bytes]:
        query = environ.get("QUERY_STRING", "")
        if len(query) > MAX_QUERY_STRING:
            return "414 URI Too Long", b"the event is longer than the wire format allows\n"
        if method == "POST" and not query:
            body = _read_body(environ, self.max_body)
            if body is None:
                return "413 Content Too Large", b"the event is longer than the wire format allows\n"
            query = body.decode("utf-8", "replace").strip()
        if not self.rate.allow(environ.get("REMOTE_ADDR", "")):
            return "429 Too Many Requests", b"too many events from this client; wait a minute\n"
        if environ.get("HTTP_DNT") == "1" or environ.get("HTTP_SEC_GPC") == "1":
            return "204 No Content", b""  # the reader asked not to be tracked: nothing is kept
        event = parse_event(query)
        if event is None:
            return "400 Bad Request", b"not a kbgen search event (wire format version 1)\n"
        if "q" in event:
            event["q"] = mask(event["q"])  # an e-mail or card number typed into the box never reaches the disk
        if not self.writer.store(time.time(), event):
            if self.writer.failed:
                return "507 Insufficient Storage", b"the event store is full\n"
            return "503 Service Unavailable", b"the event store cannot keep up; try later\n"
        return "200 OK", BEACON_GIF


def _read_body(environ: dict, limit: int) -> bytes | None:
    """The request body, or None when it is longer than `limit` (waitress has already refused anything much longer,
    and a malformed Content-Length, before the app is called)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if length > limit:
        return None
    data = environ["wsgi.input"].read(length) if length else environ["wsgi.input"].read(limit + 1)
    return data if len(data) <= limit else None


def _answer(start_response: StartResponse, status: str, body: bytes, method: str,
            headers: list[tuple[str, str]] | None = None) -> list[bytes]:
    headers = list(headers or [("Content-Type", "text/plain; charset=utf-8")])
    start_response(status, [*headers, ("Content-Length", str(len(body))), *_COMMON])
    return [] if method == "HEAD" else [body]
