"""Which files under the content folder are articles, snippets, category files and static files.

Kept free of heavy imports: a rebuild with nothing changed runs this and the freshness check, and nothing else.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath


@dataclass
class ContentFiles:
    """What `discover` found under the content folder, as POSIX paths relative to it."""

    articles: list[str] = field(default_factory=list)
    static: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # folders that have a _category.yml
    snippets: dict[str, str] = field(default_factory=dict)  # name → relative path


def discover(content_dir: Path, exclude: list[str]) -> ContentFiles:
    """Walk the content folder once, sorted, so every build sees the same order."""
    found = ContentFiles()
    snippets = content_dir / "_snippets"
    if snippets.is_dir():
        for path in sorted(snippets.rglob("*.md")):
            found.snippets[path.relative_to(snippets).as_posix()[:-3]] = path.relative_to(content_dir).as_posix()
    root = str(content_dir)
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = dirpath[len(root):].strip(os.sep).replace(os.sep, "/")
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")) and not _excluded(
            f"{rel_dir}/{d}".lstrip("/") + "/", exclude))
        for name in sorted(filenames):
            rel = f"{rel_dir}/{name}".lstrip("/")
            if name == "_category.yml":
                found.categories.append(rel_dir)
            elif name.startswith((".", "_")) or _excluded(rel, exclude):
                continue
            elif name.endswith(".md"):
                found.articles.append(rel)
            else:
                found.static.append(rel)
    return found


def _excluded(rel: str, patterns: list[str]) -> bool:
    """gitignore-like: a pattern without `/` matches a name anywhere; `*` crosses folders."""
    if not patterns:
        return False
    name = PurePosixPath(rel.rstrip("/")).name
    for pattern in patterns:
        if "/" not in pattern.rstrip("/") and fnmatch.fnmatch(name, pattern.rstrip("/")):
            return True
        p = pattern.lstrip("/")
        if fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel.rstrip("/"), p.rstrip("/")) or (
                p.endswith("/**") and rel.startswith(p[:-2])):
            return True
    return False
