"""kbgen: Markdown knowledge base in, static help site with offline search out."""

__version__ = "0.1.0"
