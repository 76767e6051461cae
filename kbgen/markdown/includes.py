"""Other tools' includes: MkDocs `--8<-- "file"`, Microsoft Learn `[!include[title](path)]`, Jekyll
`{% include file %}`.

They work like kbgen snippets, but name a file by its path: relative to the including file, or to the content
root (`~/path`, `/path`; Jekyll also looks in `_includes/`). Before the load stage, every article is scanned once
for them; the files they name (and the files those name) are read into the render settings, so an article's
rendering still depends only on the settings, and a file that is only ever included (`includes/`) is not published.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from kbgen.config.frontmatter import decode, split
from kbgen.core.limits import DEFAULT_MAX_ARTICLE_BYTES, FileTooLarge, read_capped

#: A whole line `--8<-- "path"` (pymdownx.snippets; `;--8<--` is its escaped, literal form).
SNIPPET_LINE = re.compile(r"""^\s*--8<--\s+(["'])([^"']+)\1\s*$""")
#: `[!include[title](path)]` anywhere in a line (Microsoft Learn / DocFX; written in any letter case).
LEARN_INCLUDE = re.compile(r"\[!include\s*\[[^\]]*\]\(\s*<?([^)\s>]+)>?\s*\)\]", re.IGNORECASE)
#: `{% include file.md %}` / `{% include_relative file.md %}` (Jekyll), with no parameters.
LIQUID_INCLUDE = re.compile(r"\{%-?\s*(include|include_relative)\s+([^\s%]+)\s*-?%\}")

#: The key of an included file among the snippets: its content path after this prefix, so it never meets a name.
PREFIX = "/"
_MARKERS = (b"--8<--", b"[!include", b"[!INCLUDE", b"{% include", b"{%- include", b"[!Include")


@dataclass
class Includes:
    """What the scan found: included file → its text (front matter cut off), and the files never found."""

    texts: dict[str, str] = field(default_factory=dict)  # content path → text
    too_large: list[FileTooLarge] = field(default_factory=list)  # included files over the size limit (left empty)

    def snippets(self, display_root: str) -> list[tuple[str, str, str]]:
        return [(PREFIX + rel, f"{display_root}/{rel}", text) for rel, text in sorted(self.texts.items())]


def targets(text: str) -> list[tuple[str, str]]:
    """Every (syntax, target) an article's text includes: syntax is 'snippet', 'learn', 'include' or
    'include_relative'."""
    found = [("learn", m.group(1)) for m in LEARN_INCLUDE.finditer(text)]
    found += [(m.group(1), m.group(2)) for m in LIQUID_INCLUDE.finditer(text)]
    found += [("snippet", m.group(2)) for line in text.split("\n") if "--8<--" in line
              for m in [SNIPPET_LINE.match(line)] if m]
    return found


def candidates(syntax: str, target: str, from_rel: str) -> list[str]:
    """Content paths the target may mean, most likely first: `~/x` and `/x` from the content root, a plain path
    next to the including file, then from the root (and Jekyll's `_includes/`)."""
    target = target.split("#", 1)[0].split("?", 1)[0]
    if target.startswith("~/") or target.startswith("/"):
        return [_clean(target.lstrip("~").lstrip("/"))]
    here = _clean(posixpath.join(posixpath.dirname(from_rel), target))
    if syntax == "include":
        return [_clean(f"_includes/{target}"), here, _clean(target)]
    if syntax == "include_relative":
        return [here]
    return [here, _clean(target)]


def _clean(rel: str) -> str:
    norm = posixpath.normpath(rel)
    return "" if norm.startswith("..") or norm == "." else norm


def collect(content_dir: Path, articles: list[str], cap: int = DEFAULT_MAX_ARTICLE_BYTES,
            display_root: str = "") -> Includes:
    """Read every file the articles include, and the files those include (each once), none past `cap` bytes (the
    load stage reports an article over it; an included file over it is listed in `too_large` and left empty)."""
    found = Includes()
    root = os.path.realpath(content_dir)
    queue = [(rel, None) for rel in articles]
    seen: set[str] = set()
    while queue:
        rel, text = queue.pop()
        if text is None:
            try:
                raw = read_capped(content_dir / rel, cap, rel)
            except (OSError, FileTooLarge):
                continue
            if not any(marker in raw for marker in _MARKERS):
                continue
            text = _text(raw)
        for syntax, target in targets(text):
            for candidate in candidates(syntax, target, rel):
                if not candidate or candidate in seen:
                    if candidate in seen:
                        break
                    continue
                try:
                    included = _read_inside(root, candidate, cap, f"{display_root}/{candidate}")
                except FileTooLarge as exc:
                    found.too_large.append(exc)
                    included = ""
                if included is None:
                    continue
                seen.add(candidate)
                found.texts[candidate] = included
                queue.append((candidate, included))
                break
    return found


def _read_inside(root: str, rel: str, cap: int, display: str) -> str | None:
    """The text of a regular file inside the content folder (never through a link out of it), front matter cut."""
    path = os.path.realpath(os.path.join(root, rel))
    if not path.startswith(root + os.sep) or not os.path.isfile(path):
        return None
    try:
        return _text(read_capped(Path(path), cap, display))
    except OSError:
        return None


def _text(raw: bytes) -> str:
    try:
        text = decode(raw)
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
    return split(text).body if text.startswith("---") else text
