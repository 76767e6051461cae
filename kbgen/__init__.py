"""kbgen: Markdown knowledge base in, static help site with offline search out."""

from pathlib import Path

__version__ = "0.1.0"

#: The built-in theme, inside the package so a wheel carries it.
DEFAULT_THEME = Path(__file__).parent / "themes" / "default"
