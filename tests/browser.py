"""Real-browser test support: Debian's Chromium driven by Playwright, and a real HTTP server on 127.0.0.1.

The server serves a built site under any sub-path (`/` or `/help/`), so the same tests run at a domain root, under
a prefix, and from `file://`. It records every request, so tests can assert what the page asked for.
"""

from __future__ import annotations

import http.server
import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

CHROMIUM = Path(os.environ.get("KBGEN_CHROMIUM", "/usr/bin/chromium"))
#: Flags that keep a headless Chromium from reaching out to Google's services on a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_missing() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e .[test])"
    return None


@dataclass
class Request:
    method: str
    path: str  # as sent, query string included
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class StaticServer:
    """A folder served on 127.0.0.1 under `prefix`; everything outside the prefix is 404."""

    root: Path
    prefix: str = "/"
    requests: list[Request] = field(default_factory=list)
    access_log: Path | None = None  # when set, every request is appended in nginx/Apache "combined" format
    port: int = 0
    _httpd: http.server.ThreadingHTTPServer | None = None
    _log_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.prefix}"

    def start(self) -> StaticServer:
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(server.root), **kwargs)

            def log_message(self, format, *args):  # noqa: A002 - quiet test output
                pass

            def log_request(self, code="-", size="-"):
                if server.access_log is None:
                    return
                when = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime())
                agent = self.headers.get("User-Agent", "-").replace('"', "'")
                referer = self.headers.get("Referer", "-").replace('"', "'")
                with server._log_lock, server.access_log.open("a", encoding="utf-8") as f:
                    f.write(f'{self.client_address[0]} - - [{when}] "{self.requestline}" {int(code)} {size} '
                            f'"{referer}" "{agent}"\n')

            def _record(self) -> bool:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.requests.append(Request(self.command, self.path, dict(self.headers), body))
                path = urlsplit(self.path).path
                if not path.startswith(server.prefix):
                    self.send_error(404)
                    return False
                self.path = "/" + self.path[len(server.prefix):]
                return True

            def do_GET(self):
                if self._record():
                    super().do_GET()

            def do_HEAD(self):
                if self._record():
                    super().do_HEAD()

            def do_POST(self):  # beacons: answered like a static host answers a GET of the file
                if self._record():
                    super().do_GET()

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()

    def paths(self) -> list[str]:
        return [unquote(r.path) for r in self.requests]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium for the whole session (Debian's, never a downloaded one)."""
    reason = chromium_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh tab in its own context (no storage shared between tests), with page errors collected."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.errors = []  # type: ignore[attr-defined]
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))  # type: ignore[attr-defined]
    yield tab
    context.close()


@pytest.fixture
def serve():
    """`serve(folder, prefix="/help/", access_log=path)` → a started StaticServer; all are stopped after the test."""
    servers: list[StaticServer] = []

    def start(root: Path, prefix: str = "/", access_log: Path | None = None) -> StaticServer:
        server = StaticServer(Path(root), prefix if prefix.endswith("/") else prefix + "/",
                              access_log=access_log).start()
        servers.append(server)
        return server

    yield start
    for s in servers:
        s.stop()


def copy_site(site: Path, dest: Path) -> Path:
    """A copy of a built site, for tests that must not disturb a shared build."""
    shutil.copytree(site, dest)
    return dest
