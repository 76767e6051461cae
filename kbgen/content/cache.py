"""The render cache in `.kbgen/`: per-file results by content hash, and where a build keeps rendered bodies.

Rendering Markdown is most of a build's work and depends only on a file's bytes and the render settings, so a
result is reused whenever both are unchanged. The cache is also how a big site's bodies stay out of memory (issue
20): an article keeps only its compact result (front matter, title, anchors, problems); its HTML, links, headings
and plain text stay in the cache's SQLite file and are read back, one article at a time, by the stage that needs
them (`StoredRendered`). One file, one row per article: a build reads the rows it needs, not the whole cache.
"""

from __future__ import annotations

import marshal
import os
import pickle
import shutil
import sqlite3
import tempfile
import threading
import weakref
from pathlib import Path
from typing import Any

from kbgen.config.frontmatter import FrontMatter
from kbgen.content.model import Anchors, FileResult
from kbgen.core.yamlsource import YamlValue
from kbgen.markdown.rendered import Heading, LinkRef, Section

#: The parts of a rendered body kept in their own columns, so a stage reads only what it needs.
BODY = ("html", "refs", "sections", "headings")
#: Bumped with the table's layout; marshal's version is part of the name as well.
_LAYOUT = 1
Body = tuple[str, bytes, bytes, bytes]  # the BODY columns of one article


def pack(result: FileResult) -> tuple[FileResult, Body | None]:
    """A result as the cache keeps it: the compact part (to pickle) and its body's columns (None: no body). Made
    where the result is rendered, so helper processes do this work, not the build's own."""
    rendered = result.rendered
    if rendered is None or isinstance(rendered, StoredRendered):
        return result, None
    compact = FileResult(_compact(result.front_matter), None, result.title, result.title_html, Anchors(result.ids),
                         result.problems)
    refs = ([(r.target, r.path, r.line) for r in rendered.links], [(r.target, r.path, r.line) for r in rendered.images])
    return compact, (rendered.html, marshal.dumps(refs),
                     marshal.dumps([(s.id, s.title, s.level, s.text) for s in rendered.sections]),
                     marshal.dumps([(h.level, h.text, h.id, h.line) for h in rendered.headings]))


def _compact(front_matter: FrontMatter) -> FrontMatter:
    """Front matter with only the lines diagnostics after loading ask for (a field's; an alias's): not one per
    entry of every list (Microsoft's docs list dozens of keywords per article)."""
    source = front_matter.lines
    if source is None:
        return front_matter
    kept = {path: line for path, line in source.lines.items() if len(path) <= 1 or path[0] == "aliases"}
    return FrontMatter(front_matter.values, front_matter.extra, YamlValue(None, kept))


class StoredRendered:
    """An article's rendered body in the render cache: each part is read back when asked for, never held (the
    cache remembers the last one read, so the stages that ask one article for several parts read it once)."""

    __slots__ = ("_cache", "_key")

    def __init__(self, cache: RenderCache, key: str) -> None:
        self._cache, self._key = cache, key

    @property
    def html(self) -> str:
        return self._cache.part(self._key, "html")

    @property
    def links(self) -> list[LinkRef]:
        return [LinkRef(*r) for r in self._cache.part(self._key, "refs")[0]]

    @property
    def images(self) -> list[LinkRef]:
        return [LinkRef(*r) for r in self._cache.part(self._key, "refs")[1]]

    @property
    def sections(self) -> list[Section]:
        return [Section(*s) for s in self._cache.part(self._key, "sections")]

    @property
    def headings(self) -> list[Heading]:
        return [Heading(*h) for h in self._cache.part(self._key, "headings")]

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.sections if s.text)


class RenderCache:
    """`digest + path → FileResult` for one set of render settings, in one SQLite file.

    `writable=False` (`kbgen check`, which writes nothing into the project) reads the cache as it is and keeps
    what it renders in a temporary file instead. A forked helper opens its own connection (a SQLite connection
    must not cross a fork); the live preview's threads share one, under a lock."""

    def __init__(self, cache_dir: Path, settings_key: str, writable: bool = True) -> None:
        self.cache_dir = cache_dir
        self.path = cache_dir / f"render-{settings_key}-{_LAYOUT}.{marshal.version}.sqlite"
        self.writable = writable
        self._scratch = None if writable else tempfile.mkdtemp(prefix="kbgen-render-")
        if self._scratch is not None:  # removed with this cache, or when the process ends
            weakref.finalize(self, shutil.rmtree, self._scratch, ignore_errors=True)
        self.used: set[str] = set()
        self._lock = threading.RLock()
        self._last: tuple[str, tuple] | None = None  # (key, body) last read
        self._keys: set[str] | None = None  # what the file held when first asked, and what was put since
        self._pid, self._db = -1, None

    # -- the connection -------------------------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._db is not None and self._pid == os.getpid():
            return self._db
        self._pid, self._last = os.getpid(), None
        own = self.path if self.writable else Path(self._scratch) / "render.sqlite"  # type: ignore[arg-type]
        try:
            if self.writable:
                own.parent.mkdir(parents=True, exist_ok=True)
            db = self._open(own)
        except sqlite3.DatabaseError:  # not a database (a file of an older kbgen, a broken disk): start again
            own.unlink(missing_ok=True)
            db = self._open(own)
        tables = ["main.results"]
        if not self.writable and self.path.is_file():
            db.execute("ATTACH DATABASE ? AS kept", (f"file:{self.path}?mode=ro",))
            tables.append("kept.results")
        db.execute(f"CREATE TEMP VIEW every AS {' UNION ALL '.join(f'SELECT * FROM {t}' for t in tables)}")
        self._db = db
        return db

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=60, check_same_thread=False, uri=True, isolation_level="DEFERRED")
        db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, result BLOB, html TEXT, refs BLOB,"
                   " sections BLOB, headings BLOB)")
        db.commit()
        return db

    # -- results --------------------------------------------------------------------------------------------------

    def get(self, key: str) -> FileResult | None:
        with self._lock:
            try:
                if self._keys is None:  # listed once: a cold build asks for thousands of keys it does not have
                    self._keys = {k for (k,) in self._connection().execute("SELECT key FROM every")}
                if key not in self._keys:
                    return None
                row = self._connection().execute("SELECT result, html IS NOT NULL FROM every WHERE key = ?",
                                                 (key,)).fetchone()
            except sqlite3.DatabaseError:
                return None
        if row is None:
            return None
        try:
            result = pickle.loads(row[0])
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        self.used.add(key)
        result.rendered = StoredRendered(self, key) if row[1] else None
        return result

    def put(self, key: str, result: FileResult, body: Body | None = None) -> FileResult:
        """Keep `result` (whole, or as `pack` split it with its `body`); returns what the article should hold:
        the compact result, its body read back from here."""
        if body is None:
            result, body = pack(result)
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._connection().execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?)",
                                       (key, data, *(body or (None, None, None, None))))
            self._last = None
            if self._keys is not None:
                self._keys.add(key)
        self.used.add(key)
        return FileResult(result.front_matter, StoredRendered(self, key) if body else None, result.title,
                          result.title_html, result.ids, result.problems)

    def part(self, key: str, column: str) -> Any:
        """One BODY column of an article, decoded. The article's whole body is read at once and kept until
        another article's is asked for: a page asks for its HTML, headings and sections one after the other."""
        with self._lock:
            if self._last is None or self._last[0] != key:
                row = self._connection().execute(f"SELECT {', '.join(BODY)} FROM every WHERE key = ?",
                                                 (key,)).fetchone()
                self._last = (key, row)
            row = self._last[1]
        value = row[BODY.index(column)]
        return value if column == "html" else marshal.loads(value)

    def commit(self) -> None:
        """Make what was put visible to other processes (the helpers forked after this)."""
        with self._lock:
            self._connection().commit()

    def save(self) -> None:
        """Keep only what this build used, so the cache never outgrows the content; drop other settings' files."""
        if not self.writable:
            return
        with self._lock:
            db = self._connection()
            stale = [(k,) for (k,) in db.execute("SELECT key FROM results") if k not in self.used]
            db.executemany("DELETE FROM results WHERE key = ?", stale)
            db.commit()
        for old in self.cache_dir.glob("render-*"):
            if old.name.startswith(self.path.name) or not old.name.endswith((".pickle", ".sqlite")):
                continue
            old.unlink(missing_ok=True)
