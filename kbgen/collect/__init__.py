"""`kbgen collect`: a small HTTP service that receives the site's search beacons where the host keeps no logs.

It answers `GET`/`POST /_kb/e.gif?e=…&v=1` from any origin (a site on GitHub Pages sends to it across origins),
checks each event against the wire format (`kbgen.render.analytics`), and appends it to an SQLite store
(`kbgen.events.store`) that `kbgen report --log events.sqlite` reads. It keeps no address and no identifier: the
client's address is only used, hashed with a key made at start-up and held in memory, to cap each client's rate.

It runs on waitress: a production WSGI server in pure Python (no compiler, runs on Linux, macOS and Windows), with
its own limits on header and body size and on connections, so the service needs nothing but `pip install`.
"""

from __future__ import annotations

import logging
import signal
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.collect.app import Collector
from kbgen.collect.ratelimit import RateLimit
from kbgen.collect.writer import Writer
from kbgen.core.diagnostics import KbgenError
from kbgen.events.store import StoreError, open_for_writing
from kbgen.render.analytics import DEFAULT_ENDPOINT

if TYPE_CHECKING:
    from waitress.server import BaseWSGIServer, MultiSocketServer


@dataclass
class CollectOptions:
    db: Path
    host: str = "127.0.0.1"
    port: int = 8080
    path: str = "/" + DEFAULT_ENDPOINT
    rate: int = 120  # events per minute per client; 0: no limit
    threads: int = 8
    max_db_mb: int = 1024
    trusted_proxy: str | None = None  # the reverse proxy whose X-Forwarded-For names the client


def run_collector(options: CollectOptions, log: Callable[[str], None]) -> None:
    """Serve until SIGINT or SIGTERM; events answered 2xx are committed to `options.db` before the answer."""
    # waitress warns on every request that waits for a free thread ("Task queue depth is 7"): under a burst that
    # is thousands of lines saying the server is busy, which it is meant to be; its errors still show.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    writer = Writer(_open_store(options)).start()
    app = Collector(writer, RateLimit(options.rate), options.path)
    server = _listen(app, options)
    log(f"kbgen collect: listening on http://{options.host}:{server.effective_port}{options.path}, storing events "
        f"in {options.db} ({f'at most {options.rate} events a minute per client' if options.rate else 'no rate cap'})")
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
        writer.stop()
        log(f"kbgen collect: stopped; {writer.stored} events stored")


def _open_store(options: CollectOptions) -> sqlite3.Connection:
    """The store, or the user's mistake in one line (another program's database, a folder that is not there)."""
    try:
        return open_for_writing(options.db, options.max_db_mb << 20)
    except StoreError as exc:
        raise KbgenError(f"{options.db}: error[event-store]: {exc}; hint: give a new file name for --db") from None


def _listen(app: Collector, options: CollectOptions) -> BaseWSGIServer | MultiSocketServer:
    """The bound server; an address already in use or not this machine's is the user's mistake, not a crash."""
    import waitress

    proxy = {"trusted_proxy": options.trusted_proxy, "trusted_proxy_headers": {"x-forwarded-for"}} \
        if options.trusted_proxy else {}
    try:
        return waitress.create_server(
            app, host=options.host, port=options.port, threads=options.threads, ident="kbgen-collect",
            # A beacon is one short request line: far smaller limits than waitress's defaults (256 KiB of headers,
            # 1 GiB of body) keep a hostile client from holding memory; waitress answers past them itself (431,
            # 413).
            max_request_header_size=16 * 1024, max_request_body_size=app.max_body, connection_limit=256,
            channel_timeout=30, expose_tracebacks=False, **proxy)
    except OSError as exc:
        raise KbgenError(f"cannot listen on {options.host}:{options.port}: {exc.strerror or exc}") from None


def _interrupt(signum, frame) -> None:  # noqa: ARG001 - a signal handler's signature
    """SIGTERM (docker stop, systemd) ends the service like Ctrl-C: queued events are committed first."""
    raise KeyboardInterrupt


