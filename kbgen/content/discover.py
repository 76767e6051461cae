"""Which files under the content folder are articles, snippets, category files and static files.

Only regular files inside the content folder are ever read (issue 17): a symlink is followed when its target,
resolved, is inside the content folder too, and skipped with a warning otherwise, so a link to `/etc/passwd` or to
the project's `kbgen.yml` is never published; a named pipe, device or socket is skipped with a warning (opening a
pipe would wait forever). Kept free of heavy imports: a rebuild with nothing changed runs this and the freshness
check, and nothing else.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath


@dataclass
class ContentFiles:
    """What `discover` found under the content folder, as POSIX paths relative to it."""

    articles: list[str] = field(default_factory=list)
    static: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # folders that have a _category.yml
    snippets: dict[str, str] = field(default_factory=dict)  # name → relative path
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (relative path, code, why) never read
    included: list[str] = field(default_factory=list)  # files other articles include: not pages (`includes.py`)


def discover(content_dir: Path, exclude: list[str]) -> ContentFiles:
    """Walk the content folder once, sorted, so every build sees the same order."""
    found = ContentFiles()
    walk = _Walk(str(content_dir), found.skipped)
    if walk.kind("_snippets") == "folder":
        for rel in walk.files("_snippets", lambda folder: True):
            if rel.endswith(".md"):
                found.snippets[rel[len("_snippets/"):-3]] = rel

    def keep_folder(rel: str) -> bool:
        return not rel.rpartition("/")[2].startswith((".", "_")) and not _excluded(rel + "/", exclude)

    def keep_file(rel: str) -> bool:
        if rel.endswith("_index.md") and rel.rpartition("/")[2] == "_index.md" and not _excluded(rel, exclude):
            found.skipped.append((rel, "hugo-section-index", "Hugo's section page `_index.md` is not read (files "
                                                             "starting with '_' are not pages): rename it index.md"))
        return _wanted(rel, exclude)

    for rel in walk.files("", keep_folder, keep_file):
        folder, _, name = rel.rpartition("/")
        if name == "_category.yml":
            found.categories.append(folder)
        elif name.endswith(".md"):
            found.articles.append(rel)
        elif name.endswith(".mdx"):  # Docusaurus: published as a raw file, its page would silently be missing
            found.skipped.append((rel, "mdx-syntax", "an MDX file, which kbgen does not read: rename it to .md "
                                                     "(kbgen then reports the lines only MDX could render)"))
        else:
            found.static.append(rel)
    return found


def _wanted(rel: str, exclude: list[str]) -> bool:
    """A file kbgen reads: `_category.yml`, or a page or static file (not hidden, `_`-named or excluded)."""
    name = rel.rpartition("/")[2]
    return name == "_category.yml" or not (name.startswith((".", "_")) or _excluded(rel, exclude))


def content_file(content_dir: Path, rel: str) -> bool:
    """Whether `rel` is a file `discover` would read: a regular file inside the content folder, after links. For
    the live preview, which reads a saved file before listing the folder again."""
    return _Walk(str(content_dir), []).kind(rel) == "file"


def files_inside(folder: Path, where: str) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Every regular file below `folder`, by POSIX path, following links only inside it, and what was skipped (as
    in `ContentFiles.skipped`): a theme's assets are published as they are, like the files next to articles."""
    skipped: list[tuple[str, str, str]] = []
    return _Walk(str(folder), skipped, where).files("", lambda rel: True), skipped


class _Walk:
    """A sorted walk of the content folder that follows links only inside it and records what it skips."""

    def __init__(self, root: str, skipped: list[tuple[str, str, str]], where: str = "the content folder") -> None:
        self.root = os.path.realpath(root)
        self.where = where
        self.skipped = skipped
        self._linked: dict[str, str] = {}  # real folder → the link it was first read through

    def kind(self, rel: str) -> str | None:
        """'file', 'folder', or None (gone, or skipped for a reason it records) for the entry at `rel`."""
        kind, problem = self._look(os.path.join(self.root, rel), None)
        if problem:
            self.skipped.append((rel, *problem))
        return kind

    def files(self, top: str, keep_folder, keep_file=lambda rel: True) -> list[str]:
        """Files below `top` that `keep_file` wants, a folder's own files (by name) before its sub-folders (by
        name), as `os.walk` lists them; sub-folders only where `keep_folder` wants them."""
        found: list[str] = []
        self._folder(top, [os.path.realpath(os.path.join(self.root, top))], keep_folder, keep_file, found)
        return found

    def _folder(self, rel_dir: str, above: list[str], keep_folder, keep_file, found: list[str]) -> None:
        try:
            with os.scandir(os.path.join(self.root, rel_dir)) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            return  # gone meanwhile, or not readable
        folders = []
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            kind, problem = self._look(entry.path, entry)
            if kind == "folder":
                if keep_folder(rel):
                    folders.append((rel, entry.is_symlink()))
            elif kind == "file":
                if keep_file(rel):
                    found.append(rel)
            elif problem and keep_file(rel):  # said only of what kbgen would have read
                self.skipped.append((rel, *problem))
        for rel, linked in folders:
            # A plain folder's real path follows from its parent's: `realpath` costs a system call per level.
            real = os.path.realpath(os.path.join(self.root, rel)) if linked else f"{above[-1]}/{rel.rpartition('/')[2]}"
            if linked:
                if real in above:
                    self.skipped.append((rel, "symlink-loop", "a link to a folder above it (a loop); not read"))
                    continue
                first = self._linked.setdefault(real, rel)
                if first != rel:  # else two links per level would read a folder 2, 4, 8… times
                    self.skipped.append((rel, "symlink-loop", f"links to the same folder as {first}, which is read "
                                                              "already; a folder is read through one link at most"))
                    continue
            self._folder(rel, above + [real], keep_folder, keep_file, found)

    def _look(self, path: str, entry: os.DirEntry | None) -> tuple[str | None, tuple[str, str] | None]:
        """(kind, problem): a plain file or folder is told by the directory entry alone, without a `stat` (a big
        site has tens of thousands); a link is resolved and must stay inside the content folder."""
        try:
            if entry is not None and not entry.is_symlink():
                if entry.is_file(follow_symlinks=False):
                    return "file", None
                if entry.is_dir(follow_symlinks=False):
                    return "folder", None
                mode = entry.stat(follow_symlinks=False).st_mode
            else:  # a link, or a path by name (whose folders may be links): where it really is counts
                real = os.path.realpath(path, strict=True)
                if real != self.root and not real.startswith(self.root + os.sep):
                    return None, ("symlink-outside", f"a link to {real}, outside {self.where}; not published")
                mode = os.stat(real).st_mode
        except OSError as exc:
            if not (entry.is_symlink() if entry is not None else os.path.islink(path)):
                return None, None  # gone between listing and looking
            if exc.errno == errno.ELOOP:
                return None, ("symlink-loop", "a link that leads back to itself through other links; skipped")
            return None, ("broken-symlink", f"a link that leads nowhere ({exc.strerror or exc}); skipped")
        if stat.S_ISDIR(mode):
            return "folder", None
        if stat.S_ISREG(mode):
            return "file", None
        what = ("a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
        return None, ("special-file", f"{what}, not a regular file; skipped (reading it could wait forever)")


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
