"""The event store of `kbgen collect`: one SQLite file in WAL mode, written by the collector, read by the report.

One table, one row per event, in the wire format's own fields (`kbgen.render.analytics`) plus the day it arrived. No
address, no identifier, no user agent: nothing in a row tells two readers apart. The file is marked as kbgen's
(`PRAGMA application_id`), so `kbgen report` recognises it by content and a wrong `--db` is refused, not altered.

Durability: every batch of events is one transaction, committed with `synchronous=FULL` before any of its requests
is answered; in WAL mode a committed transaction survives the process being killed (and, with FULL, the machine
losing power), so an event answered 2xx is never lost.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: "kbEV": tells a kbgen store from any other SQLite database.
APPLICATION_ID = 0x6B624556
SCHEMA_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
#: Day ordinal (`date.toordinal()`) of 1970-01-01: a Unix day number plus this is a date ordinal.
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    day INTEGER NOT NULL,        -- Unix day number (UTC) the event arrived
    e TEXT NOT NULL,             -- search | click | vote
    q TEXT NOT NULL DEFAULT '',  -- the search, cut and masked
    n INTEGER,                   -- results found (search)
    l TEXT NOT NULL DEFAULT '',  -- page language (search)
    u TEXT NOT NULL DEFAULT '',  -- article URL (click, vote)
    r INTEGER,                   -- rank clicked (click)
    h INTEGER                    -- 1 helpful, 0 not (vote)
);
"""


class StoreError(Exception):
    """The file is not a kbgen event store (or cannot be opened as one)."""


def is_store(path: Path) -> bool:
    """True when `path` starts like an SQLite database (whose it is, `open_for_reading` checks)."""
    try:
        with path.open("rb") as f:
            return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def open_for_writing(path: Path, max_bytes: int) -> sqlite3.Connection:
    """The store at `path`, created when missing; refuses another program's database. `max_bytes` caps the file
    (an insert past it fails with `sqlite3.OperationalError: database or disk is full`)."""
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except sqlite3.DatabaseError as exc:  # a folder that is not there: the user's mistake, said as such
        raise StoreError(str(exc)) from None
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id != APPLICATION_ID and (app_id or tables):
            raise StoreError("it is an SQLite database of another program")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.executescript(_SCHEMA)
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count={max(max_bytes // page_size, 16)}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(str(exc)) from None
    except StoreError:
        conn.close()
        raise
    return conn


def append(conn: sqlite3.Connection, events: list[tuple[int, dict[str, Any]]]) -> None:
    """Store `(unix_time, wire_event)` pairs in one transaction (committed, hence durable, when this returns)."""
    rows = [(int(t) // 86400, e["e"], e.get("q", ""), e.get("n"), e.get("l", ""), e.get("u", ""), e.get("r"),
             None if "h" not in e else int(e["h"])) for t, e in events]
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany("INSERT INTO events (day, e, q, n, l, u, r, h) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def read_grouped(path: Path, since_day: int) -> tuple[Iterator[tuple], int, tuple[int, int]]:
    """(rows of like events per week with their count, events before `since_day`, (first day, last day)).

    Each row is `(last day ordinal, e, q, n, l, u, h, count)`: events are alike when they differ only in what the
    report does not look at — the day within one week (Monday to Sunday), the rank of a click, and how many results
    a search found beyond whether it was none (`n` is then 0 or 1). Grouping in SQLite keeps a million-event store
    to a few hundred thousand rows at worst, and far fewer for a help centre whose readers search alike."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            conn.close()
            raise StoreError("it is an SQLite database, but not one kbgen collect wrote")
        since = max(since_day - _EPOCH_ORDINAL, 0) if since_day else 0
        too_old = conn.execute("SELECT count(*) FROM events WHERE day < ?", (since,)).fetchone()[0]
        first, last = conn.execute("SELECT min(day), max(day) FROM events WHERE day >= ?", (since,)).fetchone()
        span = (first + _EPOCH_ORDINAL, last + _EPOCH_ORDINAL) if first is not None else (0, 0)
        cursor = conn.execute(
            "SELECT max(day) + ?, e, q, n > 0, l, u, h, count(*) FROM events WHERE day >= ? "
            "GROUP BY (day + ?) / 7, e, q, n > 0, l, u, h", (_EPOCH_ORDINAL, since, _EPOCH_ORDINAL - 1))
    except sqlite3.DatabaseError as exc:
        raise StoreError(str(exc)) from None

    def rows() -> Iterator[tuple]:
        try:
            yield from cursor
        finally:
            conn.close()

    return rows(), too_old, span
