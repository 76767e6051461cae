"""The project a command works on: its config, and the folders worked out from it once.

Every command that reads a site (`build`, `check`, `serve`, `search`, `report`) starts from a `Project`, so the
content folder, the theme folders, the cache folder and how paths are shown are decided in one place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kbgen.config.settings import CONFIG_FILE, Config, load_config, site_theme_folder, theme_dirs
from kbgen.core.diagnostics import Diagnostics


@dataclass
class Project:
    config: Config
    #: How the content folder is shown in messages (`content`, `../docs/content`); every path shown starts so.
    display_root: str
    #: The site's own theme folder (`themes/<theme>/`), whose files win over the default theme's; None without one.
    site_theme: Path | None

    @classmethod
    def load(cls, config: Path | None, content: Path | None, out: Path | None, diagnostics: Diagnostics) -> Project:
        """Read kbgen.yml (`kbgen.config.settings.load_config`: problems go to `diagnostics`) with the command's
        overrides."""
        values = load_config(config, content, out, diagnostics)
        return cls(values, display_path(values.content_dir), site_theme_folder(values.root, values.theme))

    @property
    def content_dir(self) -> Path:
        return self.config.content_dir

    @property
    def cache_dir(self) -> Path:
        """kbgen's own folder in the project, `.kbgen/`: render cache, search store, build stamp, work folders."""
        return self.config.cache_dir

    @property
    def theme_dirs(self) -> list[Path]:
        return theme_dirs(self.site_theme)

    @property
    def themes_folder(self) -> Path:
        """Where site themes live (`themes/`), watched by the live preview even before it exists."""
        return self.config.root / "themes"

    @property
    def config_file(self) -> Path:
        """The config file, or where it would be (the live preview watches for one being created)."""
        return self.config.path or self.config.root / CONFIG_FILE

    def display(self, rel: str) -> str:
        """A file of the content folder as messages show it."""
        return f"{self.display_root}/{rel}"


def display_path(path: Path) -> str:
    """How paths are shown: relative to where the writer runs kbgen, as they would type them."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith(f"..{os.sep}..") else rel
