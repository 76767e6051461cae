"""What the preview serves while it loads a large site: the last `kbgen build` of that site, from disk.

Loading 40,000 articles takes a while even from the render cache; a writer who runs `kbgen serve` wants a page at
once. The output folder of the last build is the same site (as of that build), so it is served as it is until the
load is done; then every open tab reloads onto live pages. Only the files that build wrote are served (its marker
or stamp lists them), never anything else that happens to be in the folder.
"""

from __future__ import annotations

import html
from pathlib import Path

from kbgen.config.settings import Config
from kbgen.output.freshness import read_stamp
from kbgen.output.ownership import written_by_kbgen


class LastBuild:
    """The files the last build of a site wrote into its output folder."""

    def __init__(self, folder: Path, files: set[str]) -> None:
        self.folder, self.files = folder, files

    def read(self, rel: str) -> bytes | None:
        """The built file at `rel` (`billing/refunds/index.html`), if that build wrote it."""
        if rel not in self.files:
            return None
        path = self.folder / rel
        if path.is_symlink() or not path.is_file():
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    def has_page(self, rel: str) -> bool:
        return f"{rel}/index.html" in self.files


def last_build(config: Config) -> LastBuild | None:
    """The last build of this site into its output folder, if kbgen's stamp says it made one there."""
    folder = config.output_dir
    stamp = read_stamp(config.cache_dir)
    if not stamp or stamp.get("out") != str(folder) or not folder.is_dir():
        return None
    files = written_by_kbgen(folder, stamp)
    return LastBuild(folder, files) if files and "index.html" in files else None


def loading_page(path: str) -> str:
    """What a page the last build did not write shows until the site is loaded (the tab reloads then)."""
    return ("<!doctype html>\n<meta charset=\"utf-8\">\n<title>Loading the preview…</title>\n"
            f"<main id=\"main\"><h1>Loading the preview…</h1>\n<p>{html.escape(path)} is not in the last build; "
            "this page reloads when the site is loaded.</p></main>\n")
