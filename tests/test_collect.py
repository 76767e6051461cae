"""A team on GitHub Pages runs `kbgen collect` next to nothing else: readers' searches, clicks and votes reach it
across origins, exactly the documented events are stored (none when the reader opted out), junk and floods are
refused, a killed collector keeps every event it acknowledged, and `kbgen report` reads the store (issue 21).

The collector runs as a real process on 127.0.0.1, as a user starts it; every wait has a timeout.
"""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import run
from test_analytics_collection import build_golden, reader_session

from kbgen.render.analytics import BEACON_GIF


class Collector:
    def __init__(self, db: Path, *args: str) -> None:
        self.db = db
        self.proc = subprocess.Popen([sys.executable, "-m", "kbgen", "collect", "--db", str(db), "--port", "0", *args],
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()  # the first line says where it listens
        found = re.search(r"http://127\.0\.0\.1:(\d+)(/\S*),", line)
        assert found, line
        self.port = int(found.group(1))
        self.url = f"http://127.0.0.1:{self.port}{found.group(2)}"
        self.said: list[str] = []  # the rest of what it prints, read as it comes so the pipe never fills up
        self._reader = threading.Thread(target=lambda: self.said.extend(self.proc.stderr), daemon=True)
        self._reader.start()

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        self._reader.join(timeout=30)
        self.proc.stderr.close()
        return "".join(self.said)

    def rows(self) -> list[tuple]:
        with sqlite3.connect(self.db) as conn:
            return conn.execute("SELECT e, q, n, l, u, r, h FROM events ORDER BY id").fetchall()


@pytest.fixture
def collector(tmp_path):
    started: list[Collector] = []

    def start(*args: str, db: Path | None = None) -> Collector:
        c = Collector(db or tmp_path / "events.sqlite", *args)
        started.append(c)
        return c

    yield start
    for c in started:
        c.stop()


def send(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None
         ) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def raw_request(port: int, data: bytes) -> int:
    """The status the collector answers to bytes no HTTP library would send."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        return int(s.recv(4096).split()[1])


def test_valid_events_are_stored_once_and_everything_else_is_refused(collector) -> None:
    c = collector()
    status, headers, body = send(c.url + "?e=search&q=wire%20transfer&n=0&l=en&v=1")
    assert (status, body) == (200, BEACON_GIF)
    assert headers["Access-Control-Allow-Origin"] == "*" and headers["Cache-Control"] == "no-store"
    assert send(c.url, "POST", b"e=vote&u=billing/refunds/&h=0&v=1")[0] == 200  # sendBeacon's way
    assert send(c.url + "?e=search&q=mail%20bob%40example.com&n=0&l=en&v=1")[0] == 200
    assert send(c.url, "OPTIONS")[0] == 204  # a CORS preflight

    assert send(c.url + "?e=search&q=x&n=many&l=en&v=1")[0] == 400
    assert send(c.url + "?e=search&q=x&n=0&l=en")[0] == 400  # no version
    assert send(c.url + "?e=search&q=" + "a" * 3000 + "&n=0&l=en&v=1")[0] == 414
    assert send(c.url, "POST", b"e=search&q=" + b"a" * 5000 + b"&n=0&l=en&v=1")[0] == 413
    assert raw_request(c.port, b"POST /_kb/e.gif HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n" + b"x" * 4096
                       ) == 413
    assert raw_request(c.port, b"POST /_kb/e.gif HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"
                       ) == 400
    assert raw_request(c.port, b"GET /_kb/e.gif?" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
                       ) == 431
    assert send(c.url + "?e=search&q=dnt&n=0&l=en&v=1", headers={"DNT": "1"})[0] == 204
    assert send(c.url + "?e=search&q=gpc&n=0&l=en&v=1", headers={"Sec-GPC": "1"})[0] == 204
    assert send(c.url + "?e=search&q=head&n=0&l=en&v=1", "HEAD")[0] == 200  # a link checker's look: not stored
    assert send(c.url, "PUT", b"")[0] == 405
    assert send(c.url.replace("/_kb/e.gif", "/other"))[0] == 404

    stopped = c.stop()
    assert "3 events stored" in stopped and "Traceback" not in stopped
    assert c.rows() == [("search", "wire transfer", 0, "en", "", None, None),
                        ("vote", "", None, "", "billing/refunds/", None, 0),
                        ("search", "mail [email]", 0, "en", "", None, None)]  # masked before it reached the disk


def test_a_client_over_the_rate_cap_gets_429_and_nothing_is_stored(collector) -> None:
    c = collector("--rate", "5")
    answers = [send(c.url + f"?e=search&q=flood{i}&n=0&l=en&v=1")[0] for i in range(8)]
    assert answers == [200] * 5 + [429] * 3
    c.stop()
    assert [r[1] for r in c.rows()] == [f"flood{i}" for i in range(5)]


def test_another_programs_database_is_refused_not_changed(tmp_path) -> None:
    db = tmp_path / "app.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE users (name TEXT)")
    before = db.read_bytes()
    result = run("collect", "--db", str(db))
    assert result.exit_code == 1
    assert f"{db}: error[event-store]: it is an SQLite database of another program" in result.output
    assert db.read_bytes() == before
    result = run("report", "--log", str(db))
    assert result.exit_code == 1
    assert f"{db}: error[event-store]: cannot read it as a kbgen collect store: it is an SQLite database, but not " \
           "one kbgen collect wrote" in result.stderr


def test_a_store_in_a_folder_that_is_not_there_is_named_not_a_crash(tmp_path) -> None:
    db = tmp_path / "missing" / "events.sqlite"
    result = run("collect", "--db", str(db))
    assert result.exit_code == 1
    assert f"{db}: error[event-store]: unable to open database file; hint: give a new file name for --db" \
           in result.output
    assert "internal error" not in result.output and not db.parent.exists()


def test_a_port_in_use_is_named_not_a_crash(tmp_path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        # A real process: waitress leaves the half-made server's pipe to the garbage collector.
        result = subprocess.run([sys.executable, "-m", "kbgen", "collect", "--db", str(tmp_path / "events.sqlite"),
                                 "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert "internal error" not in result.stderr


def test_sigkill_mid_stream_loses_no_event_it_answered(collector) -> None:
    c = collector("--rate", "0")
    acknowledged: set[str] = set()
    sent = 0
    lock = threading.Lock()
    stop = threading.Event()

    def client(n: int) -> None:
        nonlocal sent
        i = 0
        while not stop.is_set():
            q = f"c{n}-{i}"
            i += 1
            with lock:
                sent += 1
            try:
                status = send(c.url + f"?e=search&q={q}&n=0&l=en&v=1")[0]
            except http.client.IncompleteRead:  # "200 OK" and its headers came, the kill cut the GIF: answered
                status = 200
            except (OSError, http.client.HTTPException):  # the collector is gone
                return
            if status == 200:
                with lock:
                    acknowledged.add(q)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for _ in range(200):  # until a few hundred events are in flight and stored
        if len(acknowledged) > 300:
            break
        threading.Event().wait(0.05)
    c.proc.send_signal(signal.SIGKILL)
    c.proc.wait(timeout=30)
    stop.set()
    for t in threads:
        t.join(timeout=30)

    stored = [r[1] for r in c.rows()]
    assert len(acknowledged) > 300
    assert acknowledged <= set(stored), f"{len(acknowledged - set(stored))} acknowledged events lost"
    assert len(stored) == len(set(stored))  # each stored once
    assert len(stored) <= sent


def test_readers_on_a_static_site_reach_the_collector_and_the_report_lists_their_gaps(
        tmp_path, monkeypatch, serve, browser, collector) -> None:
    c = collector()
    site = build_golden(tmp_path, monkeypatch, f"analytics:\n  endpoint: {c.url}\n")
    assert not (site / "_kb").exists()  # the events go to the collector, not to a file of the site
    server = serve(site)

    page = browser.new_context().new_page()
    page.goto(server.url + "billing/refunds/")
    found = reader_session(page)  # searches "refund", "wombat zzqx", "invoice", clicks, votes
    page.goto(server.url)
    assert _search_settled(page, "wombat  zzqx") == 0
    page.context.close()

    opted_out = browser.new_context()
    opted_out.add_init_script("Object.defineProperty(navigator, 'globalPrivacyControl', {get: () => true});")
    quiet = opted_out.new_page()
    quiet.goto(server.url + "billing/refunds/")
    reader_session(quiet)
    quiet.wait_for_timeout(800)
    opted_out.close()

    expected = [("search", "refund", found, "en", "", None, None),
                ("search", "wombat zzqx", 0, "en", "", None, None),
                ("search", "invoice", 1, "en", "", None, None),
                ("click", "invoice", None, "", "billing/invoices/", 1, None),
                ("vote", "", None, "", "billing/invoices/", None, 0),
                ("search", "wombat  zzqx", 0, "en", "", None, None)]
    for _ in range(100):
        if len(c.rows()) >= len(expected):
            break
        threading.Event().wait(0.1)
    c.stop()
    assert sorted(c.rows(), key=repr) == sorted(expected, key=repr)
    assert not any(str(r).find(server.url) >= 0 for r in c.rows())

    result = run("report", "--format", "json", "--log", str(c.db))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(q["count"], sorted(q["spellings"])) for q in data["zero_result_queries"]] == [
        (2, ["wombat  zzqx", "wombat zzqx"])]  # one search, typed two ways
    assert data["summary"]["events"] == 6


def _search_settled(page, query: str) -> int:
    from report_helpers import search_for

    found = search_for(page, query)
    page.wait_for_timeout(1800)
    return found
