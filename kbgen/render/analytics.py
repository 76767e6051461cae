"""Search analytics a static site can collect: the beacon file, its address, and the events kbgen serve records.

The published site reports each settled search, result click and "Was this helpful?" vote with one GET of a tiny
file inside the site (`analytics.endpoint`, default `_kb/e.gif`). The event travels in the query string, so any
static host's access log keeps it and `kbgen report` reads it back; no cookies, no identifiers.

Wire format (version 1), always with `v=1`:
    e=search&q=<query>&n=<result count>&l=<language>
    e=click&q=<query>&u=<article url>&r=<1-based rank>
    e=vote&u=<article url>&h=1|0
"""

from __future__ import annotations

import json
import posixpath
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

if TYPE_CHECKING:
    from kbgen.config.settings import Config

#: The smallest valid GIF: 1×1, one transparent pixel (GIF89a, 43 bytes). Written by the build so a static host
#: answers the beacon with 200 and logs it, instead of a 404 that some hosts would not log at all.
BEACON_GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
              b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

DEFAULT_ENDPOINT = "_kb/e.gif"
WIRE_VERSION = "1"
EVENTS_FILE = "events.jsonl"

#: Limits that keep a hostile or broken client from filling the disk through `kbgen serve`.
MAX_QUERY_STRING = 2048
MAX_TEXT = 200
MAX_EVENTS_BYTES = 50 * 1024 * 1024

#: Fields each event kind carries besides `e` and `v`; anything else is dropped.
EVENT_FIELDS = {"search": ("q", "n", "l"), "click": ("q", "u", "r"), "vote": ("u", "h")}
_NUMERIC = {"n", "r"}


def analytics_settings(config: Config) -> dict[str, str] | None:
    """`{"endpoint": …, "provider": …, "script": …, "site_id": …}` for templates (empty text for what is not set),
    or None when the site collects nothing (`analytics: false`).

    The endpoint is either an absolute URL (another collector) or a path inside the site, kept inside it.
    """
    value = config.analytics
    if value is False:
        return None
    value = value or {}
    endpoint = value.get("endpoint") or DEFAULT_ENDPOINT
    if "://" not in endpoint:
        endpoint = posixpath.normpath("/" + endpoint).lstrip("/") or DEFAULT_ENDPOINT
    return {"endpoint": endpoint, **{key: value.get(key) or "" for key in ("provider", "script", "site_id")}}


def endpoint_path(config: Config) -> str | None:
    """Where the beacon lives inside the site (`_kb/e.gif`), or None when analytics is off, sent elsewhere, or
    sent through an analytics tool (`provider`)."""
    settings = analytics_settings(config)
    if settings is None or "://" in settings["endpoint"] or settings["provider"]:
        return None
    return settings["endpoint"]


def beacon_extras(config: Config) -> Iterator[tuple[str, bytes]]:
    """The beacon file, for `kbgen.render.extras.site_extras`."""
    path = endpoint_path(config)
    if path:
        yield path, BEACON_GIF


#: What may be left of a number cut in two at the end of a text: digits and the separators of phone numbers.
_NUMBER_CHARS = "0123456789 \t\n\r\f\v().+-"


def cut_text(text: str) -> str:
    """`text` cut to MAX_TEXT characters after its last whole word, a number at the cut dropped with it: the rest of
    a card number is gone, so masking could no longer recognise what is left of it (issue 17)."""
    if len(text) <= MAX_TEXT:
        return text
    cut = text[: MAX_TEXT + 1]
    words = cut.rsplit(None, 1)
    return (words[0] if len(words) > 1 else cut[:MAX_TEXT]).rstrip(_NUMBER_CHARS)


def parse_event(query: str) -> dict[str, Any] | None:
    """A wire-format query string → an event dict (`{"e": "search", "q": …, "n": 3, "l": "en"}`), or None when it
    is not a valid version-1 event. Text is cut to MAX_TEXT characters."""
    if len(query) > MAX_QUERY_STRING:
        return None
    try:
        fields = parse_qs(query, keep_blank_values=True, strict_parsing=False, max_num_fields=16)
    except ValueError:
        return None
    kind = (fields.get("e") or [""])[0]
    if kind not in EVENT_FIELDS or (fields.get("v") or [""])[0] != WIRE_VERSION:
        return None
    event: dict[str, Any] = {"e": kind}
    for name in EVENT_FIELDS[kind]:
        raw = (fields.get(name) or [""])[0]
        if name in _NUMERIC:
            if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:  # not "²": int() refuses it
                return None
            event[name] = int(raw)
        elif name == "h":
            if raw not in ("0", "1"):
                return None
            event[name] = raw == "1"
        else:
            event[name] = cut_text(raw)
    if kind != "vote" and not event["q"].strip():
        return None
    return event


def record_event(cache_dir: Path, query: str, now: float | None = None) -> bool:
    """Append one beacon's event as a JSON line to `<cache_dir>/events.jsonl`; False (nothing written) when the
    query string is not a valid event or the file has reached its size limit. Called by `kbgen serve`."""
    event = parse_event(query)
    if event is None:
        return False
    path = cache_dir / EVENTS_FILE
    try:
        if path.stat().st_size >= MAX_EVENTS_BYTES:
            return False
    except FileNotFoundError:
        cache_dir.mkdir(parents=True, exist_ok=True)
    event["t"] = int(now if now is not None else time.time())
    line = json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n"
    with path.open("a", encoding="utf-8") as f:
        f.write(line)
    return True
