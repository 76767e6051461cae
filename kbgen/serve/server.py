"""The preview's HTTP server: the site from memory, the live-reload channel, and the analytics beacon.

It serves only what the site holds: a request path is looked up among the site's pages and files, never joined
onto a folder, so `..`, `%2e%2e`, absolute paths and symlinks out of the site all end in 404. Served HTML gets one
`<script>` for live reload; the built site never does.
"""

from __future__ import annotations

import html as html_lib
import http.server
import json
import mimetypes
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from kbgen.render.analytics import BEACON_GIF, endpoint_path, record_event
from kbgen.render.outputs import PREVIEW_PATHS
from kbgen.serve.epochs import Update
from kbgen.serve.fromdisk import loading_page
from kbgen.serve.session import PreviewSession

LIVE_EVENTS, LIVE_SCRIPT = (f"/{path}" for path in PREVIEW_PATHS)  # claimed with the site's paths
_SCRIPT_SOURCE = Path(__file__).with_name("live.js")
#: Seconds between keep-alive comments on an idle live channel (proxies and browsers drop silent streams).
KEEPALIVE = 15.0
_MAX_BEACON_BODY = 4096
#: The search page of a site (or of one language): its HTML never changes, its results do.
SEARCH_PAGE = "search/index.html"


def site_path(url_path: str) -> str | None:
    """`/billing/refunds/` → `billing/refunds/index.html`; None for anything that could leave the site."""
    path = unquote(url_path)
    if not path.startswith("/") or path.startswith("//") or "\\" in path or "\x00" in path:
        return None
    parts = path[1:].split("/")
    if any(p in (".", "..") for p in parts):
        return None
    rel = path[1:]
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True  # open live channels must not keep the process alive on Ctrl-C
    allow_reuse_address = True

    def __init__(self, session: PreviewSession, host: str, port: int) -> None:
        self.session = session
        super().__init__((host, port), _Handler)

    def handle_error(self, request, client_address) -> None:
        """A reader's tab closed or reset mid-request is no news; anything else is one line, not a traceback."""
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        self.session.log(f"internal error answering {client_address[0]}: {type(exc).__name__}: {exc} "
                         "(please report it)")

    @property
    def beacon(self) -> str | None:
        """`/_kb/e.gif` (`analytics.endpoint`), read from the current config; None when analytics is off."""
        path = endpoint_path(self.session.config)
        return f"/{path}" if path else None


class _Handler(http.server.BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the terminal is for diagnostics
        pass

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != self.server.beacon:
            self._send(405, b"", "text/plain", body=True, extra={"Allow": "GET, HEAD"})
            return
        length = (self.headers.get("Content-Length") or "0").strip()
        if not length.isascii() or not length.isdigit():  # `abc`, `-1`: read(-1) would wait for the client to hang up
            self.close_connection = True
            self._send(400, b"Content-Length is not a number of bytes", "text/plain", body=True)
            return
        if int(length) > _MAX_BEACON_BODY:  # never waited for: the event is in the query; the body is not kept
            self.close_connection = True
            self._send(413, b"a beacon has no body to speak of", "text/plain", body=True)
            return
        self.rfile.read(int(length))
        self._beacon(url.query, body=True)

    def _respond(self, body: bool) -> None:
        url = urlsplit(self.path)
        session = self.server.session
        if url.path == LIVE_EVENTS and body:
            self._live(parse_qs(url.query))
            return
        if url.path == LIVE_SCRIPT:
            self._send(200, _SCRIPT_SOURCE.read_bytes(), "text/javascript; charset=utf-8", body)
            return
        if url.path == self.server.beacon:
            self._beacon(url.query, body)
            return
        rel = site_path(url.path)
        if rel is None:
            self._not_found(body)
            return
        if not session.ready.is_set():
            self._from_last_build(rel, url.path, body)
            return
        html = session.page(rel)
        if html is not None:
            self._send(200, inject_live(html, session.epoch), "text/html; charset=utf-8", body)
            return
        data = session.extra(rel)
        if isinstance(data, Path):
            data = self._read_inside_site(data)
        if data is not None:
            self._send(200, data, mimetypes.guess_type(rel)[0] or "application/octet-stream", body)
        elif not rel.endswith("index.html") and rel + "/index.html" in session.routes:
            self._send(301, b"", "text/plain", body, extra={"Location": url.path + "/"})
        else:
            self._not_found(body, rel)

    def _from_last_build(self, rel: str, url_path: str, body: bool) -> None:
        """While the site loads: the last build's file (pages with the live script, so they reload when it is
        loaded), a redirect to a folder's page, or a page saying the preview is loading."""
        last = self.server.session.last_build
        data = last.read(rel) if last else None
        epoch = self.server.session.epoch
        if data is None and last and last.has_page(rel):
            self._send(301, b"", "text/plain", body, extra={"Location": url_path + "/"})
        elif data is None:
            self._send(503, inject_live(loading_page(url_path), epoch), "text/html; charset=utf-8", body,
                       extra={"Retry-After": "1"})
        elif rel.endswith(".html"):
            self._send(200, inject_live(data.decode("utf-8"), epoch), "text/html; charset=utf-8", body)
        else:
            self._send(200, data, mimetypes.guess_type(rel)[0] or "application/octet-stream", body)

    def _read_inside_site(self, path: Path) -> bytes | None:
        real = path.resolve()
        if not any(real.is_relative_to(root) for root in self.server.session.allowed_roots()):
            return None  # a symlink pointing out of the content or theme folders
        try:
            return real.read_bytes()
        except OSError:
            return None

    def _not_found(self, body: bool, rel: str = "") -> None:
        html = self._missing_page(rel)
        self._send(404, inject_live(html, self.server.session.epoch), "text/html; charset=utf-8", body)

    def _missing_page(self, rel: str) -> str:
        """The site's 404 page for `rel`: its language's own (`ru/404.html`) where the site has one."""
        session = self.server.session
        if not session.ready.is_set():
            return loading_page(f"/{rel}")
        own = f"{rel.split('/', 1)[0]}/404.html"
        html = session.page(own if "/" in rel and own in session.routes else "404.html")
        return at_preview_root(html, session.config.base_url) if html else "<!doctype html><title>Not found</title>"

    def _beacon(self, query: str, body: bool) -> None:
        record_event(self.server.session.config.cache_dir, query)
        self._send(200, BEACON_GIF, "image/gif", body)

    def _send(self, status: int, data: bytes | str, kind: str, body: bool, extra: dict | None = None) -> None:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")  # a preview is never stale in the browser's cache
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(payload)

    def _live(self, params: dict[str, list[str]]) -> None:
        """Server-Sent Events: one message per epoch telling this tab exactly what to do with its page."""
        session = self.server.session
        page_url = params.get("path", ["/"])[0]
        try:
            seen = int(params.get("epoch", ["-1"])[0])
        except ValueError:
            seen = -1
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        shown = self._current(page_url) if seen == session.epoch else None
        try:
            self._event({"epoch": seen, "errors": session.errors()})
            while True:
                update = session.wait(seen, KEEPALIVE)
                if session.closed:
                    return
                if update is None:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    continue
                now = self._current(page_url)
                message = tab_update(update, page_url, shown, now)
                message.update(epoch=update.epoch, errors=session.errors())
                self._event(message)
                seen, shown = update.epoch, now
        except (BrokenPipeError, ConnectionResetError):
            return

    def _current(self, page_url: str) -> str | None:
        rel = site_path(page_url)
        session = self.server.session
        if not session.ready.is_set():
            return None  # the last build's page: the tab reloads once the site is loaded
        return (session.page(rel) if rel else None) or self._missing_page(rel or "")

    def _event(self, message: dict) -> None:
        self.wfile.write(b"data: " + json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n\n")
        self.wfile.flush()


def tab_update(update: Update, page_url: str, shown: str | None, now: str | None) -> dict:
    """What a tab showing `shown` at `page_url` does next: follow a rename, swap `<main>`, reload, or nothing."""
    if page_url in update.moved:
        return {"go": update.moved[page_url]}
    if update.reload or shown is None or now is None:
        return {"reload": True}
    if update.content and (site_path(page_url) or "").endswith(SEARCH_PAGE):
        return {"reload": True}  # the results are drawn from the index in the browser: ask it again
    if shown == now:
        return {}
    old, new = _split_main(shown), _split_main(now)
    if old is None or new is None or old[0] != new[0]:
        return {"reload": True}
    return {"main": new[1], "title": new[2]}


_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def _split_main(html: str) -> tuple[str, str, str] | None:
    """(page without `<main>`'s content and title, `<main>`'s content, title): if only the last two changed,
    the tab swaps them in place instead of reloading (no flash, scroll kept)."""
    start = html.find("<main")
    end = html.rfind("</main>")
    open_end = html.find(">", start) + 1
    if start < 0 or end < 0 or open_end <= 0 or open_end > end:
        return None
    title = _TITLE.search(html)
    frame = html[:open_end] + html[end:]
    return _TITLE.sub("", frame, count=1), html[open_end:end], html_lib.unescape(title.group(1)) if title else ""


def at_preview_root(html: str, base_url: str | None) -> str:
    """A 404 page names where it lives on the published host (`<base href="/help/">` for a `base_url` with a
    path); the preview serves the site at its root, so there the page lives at `/` and its links must start there."""
    prefix = urlsplit(base_url or "").path
    if not prefix or prefix == "/":
        return html
    return html.replace(f'<base href="{html_lib.escape(prefix)}', '<base href="/', 1)


def inject_live(html: str, epoch: int) -> str:
    """The page plus the live-reload script, before `</body>` (appended if the page has none)."""
    tag = f'<script src="{LIVE_SCRIPT}" data-epoch="{epoch}"></script>\n'
    at = html.rfind("</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag
