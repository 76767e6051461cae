"""Analytics events the preview server receives: each beacon becomes one JSON line in `.kbgen/events.jsonl`.

Minimal version for `kbgen serve`; the report feature owns this module and reads the same file. Limits keep a
runaway page (or anyone else on the machine) from filling the disk: a beacon's query is small, the file is capped.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from urllib.parse import parse_qsl

EVENTS_FILE = "events.jsonl"
#: The longest beacon query accepted: a search query, a URL and a few short fields fit with room to spare.
MAX_QUERY_BYTES = 2048
#: Beyond this, new events are dropped rather than appended.
MAX_FILE_BYTES = 20 * 1024 * 1024

_lock = threading.Lock()


def record_event(cache_dir: Path, query: str) -> bool:
    """Append the event carried by a beacon's query string; False when it was empty, too big or the file is full."""
    if not query or len(query.encode("utf-8", "replace")) > MAX_QUERY_BYTES:
        return False
    fields = dict(parse_qsl(query, keep_blank_values=True))
    if not fields:
        return False
    event = {"time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **fields}
    line = (json.dumps(event, ensure_ascii=False) + "\n").encode("utf-8")
    path = cache_dir / EVENTS_FILE
    with _lock:
        size = path.stat().st_size if path.exists() else 0
        if size + len(line) > MAX_FILE_BYTES:
            return False
        cache_dir.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as f:
            f.write(line)
    return True
