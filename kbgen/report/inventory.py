"""The articles a report is about: the build's own stages up to placing pages (`kbgen.pipeline`), writing nothing
but the render cache.

A report on a site with a broken link is still worth reading, so content errors do not stop it (unlike a build).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kbgen.config.settings import Config
from kbgen.content.model import Site
from kbgen.core.diagnostics import Diagnostics


@dataclass
class Inventory:
    config: Config
    site: Site


def load_inventory(config_path: Path | None, content: Path | None) -> Inventory:
    from kbgen.config.project import Project
    from kbgen.pipeline import Pipeline

    diagnostics = Diagnostics()
    pipeline = Pipeline(Project.load(config_path, content, None, diagnostics), diagnostics)
    files = pipeline.discover()
    articles = pipeline.load(files)
    pipeline.cache.save()  # type: ignore[union-attr]
    return Inventory(pipeline.config, pipeline.place(articles, files))
