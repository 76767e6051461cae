"""Classify a burst of file changes into the least rebuild that is still correct (Zola's `ChangeKind`).

A body edit needs one article re-rendered; a new or renamed file moves pages around; a snippet feeds many
articles; a template or config change can alter every page. The plan says which of these happened, and the
session does exactly that much work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

#: Files editors write beside the real one while saving (vim's 4913 probe, swap and backup files).
_EDITOR_LITTER = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload")


@dataclass
class Plan:
    """What a batch of changes requires, from the most to the least work."""

    config: bool = False  # kbgen.yml: reload everything
    snippets: bool = False  # a snippet feeds any number of articles: re-render through the cache
    theme: bool = False  # templates or theme assets: every page may look different
    structure: bool = False  # files came or went, a category file changed: place pages and links again
    articles: set[str] = field(default_factory=set)  # article files (content-relative) saved or created
    moved: dict[str, str] = field(default_factory=dict)  # old → new content path, for the tab to follow
    static: set[str] = field(default_factory=set)  # files next to articles: new ones are placed, others re-read

    def __bool__(self) -> bool:
        return any((self.config, self.snippets, self.theme, self.structure, self.articles, self.moved, self.static))

    def describe(self) -> str:
        if self.config:
            return "config"
        if self.snippets:
            return "snippets"
        parts = (["theme"] if self.theme else []) + (["structure"] if self.structure else [])
        if self.articles:
            parts.append(f"{len(self.articles)} article{'s' if len(self.articles) != 1 else ''}")
        return ", ".join(parts) or "static files"


def plan_changes(touched: Iterable[Path], moves: Iterable[tuple[Path, Path]], config_file: Path,
                 content_dir: Path, theme_dirs: list[Path]) -> Plan:
    """Turn the paths a burst of file events touched (and the renames among them) into a `Plan`."""
    plan = Plan()
    for src, dst in moves:
        old, new = _content_rel(src, content_dir), _content_rel(dst, content_dir)
        if old and new and old.endswith(".md") and new.endswith(".md") and _is_page(old) and _is_page(new):
            plan.moved[old] = new
    for path in touched:
        _classify(path, plan, config_file, content_dir, theme_dirs)
    return plan


def _classify(path: Path, plan: Plan, config_file: Path, content_dir: Path, theme_dirs: list[Path]) -> None:
    if _is_litter(path.name):
        return
    if path == config_file:
        plan.config = True
        return
    if any(path.is_relative_to(d) for d in theme_dirs):
        plan.theme = True
        return
    rel = _content_rel(path, content_dir)
    if rel is None:
        return
    parts = PurePosixPath(rel).parts
    if parts[0] == "_snippets":
        plan.snippets = plan.snippets or rel.endswith(".md")
    elif parts[-1] == "_category.yml":
        plan.structure = True
    elif not _is_page(rel):
        return
    elif rel.endswith(".md"):
        if path.is_file():
            plan.articles.add(rel)
        else:
            plan.structure = True  # deleted, or moved away
    elif path.is_file():
        plan.static.add(rel)  # new (to be placed) or changed in place (served from disk as it is now)
    else:
        plan.structure = True  # a folder, or a file next to articles, went away


def _content_rel(path: Path, content_dir: Path) -> str | None:
    try:
        rel = path.relative_to(content_dir).as_posix()
    except ValueError:
        return None
    return None if rel == "." else rel


def _is_page(rel: str) -> bool:
    """Files and folders starting with `_` or `.` are never published (see `discover`)."""
    return not any(p.startswith(("_", ".")) for p in PurePosixPath(rel).parts)


def _is_litter(name: str) -> bool:
    return name == "4913" or name.startswith(".#") or name.endswith(_EDITOR_LITTER)
