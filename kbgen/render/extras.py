"""Everything a site holds besides its pages, produced in one place so `build` and `serve` publish the same files.

Each producer yields `(path in the site, bytes or a source Path)`. Features that add files to a site (feeds, the
search index, the analytics beacon) add a producer here; the build writes what they yield into the staged output
and the live preview serves it from memory, so neither has to know about the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kbgen.config.settings import Config
    from kbgen.content.model import Site
    from kbgen.render.pages import PageRenderer
    from kbgen.render.theme import Theme
    from kbgen.search.export import Export

Extra = tuple[str, bytes | Path]


def site_extras(renderer: PageRenderer, theme: Theme, site: Site, config: Config,
                exported: list[tuple[str, Export]] | None = None) -> Iterator[Extra]:
    """Theme assets, code colours, files next to articles, sitemap, robots.txt, the Atom feeds, the search index
    (made now unless the build `exported` it already, `kbgen.search.publish.export_into`) and the analytics
    beacon."""
    from kbgen.render.analytics import beacon_extras
    from kbgen.render.pages import static_assets
    from kbgen.site.place import static_url

    yield from static_assets(theme).items()
    yield "assets/pygments.css", theme.pygments_css().encode("utf-8")
    for rel in site.static:
        yield static_url(rel), config.content_dir / rel
    sitemap = renderer.sitemap()
    if sitemap:
        yield "sitemap.xml", sitemap.encode("utf-8")
    yield "robots.txt", renderer.robots().encode("utf-8")
    for path, feed in renderer.feeds():
        yield path, feed.encode("utf-8")
    from kbgen.search.publish import search_extras

    yield from search_extras(site, config, exported)
    yield from beacon_extras(config)


def kbgen_paths(renderer: PageRenderer, theme: Theme, site: Site, config: Config) -> Iterator[tuple[str, str]]:
    """Where `site_extras` writes kbgen's own files, known before any is made, each with what it is: theme assets,
    code colours, sitemap, robots.txt, feeds, and each search index as its folder (`search/`, ending in `/`: its
    file names are content hashes, known only once it is exported). The files next to articles and the analytics
    beacon are the site's, claimed by `kbgen.render.outputs` after these."""
    from kbgen.output.ownership import SITE_MARKER
    from kbgen.render.pages import static_assets
    from kbgen.search.publish import languages

    yield SITE_MARKER, "the list of files kbgen wrote"
    for path in static_assets(theme):
        yield path, "the theme's file"
    yield "assets/pygments.css", "the code colours"
    if renderer.info.base_url:  # as `PageRenderer.sitemap`
        yield "sitemap.xml", "the sitemap"
    yield "robots.txt", "robots.txt"
    for lang in renderer.languages.all:
        yield f"{lang.url}feed.xml", "the Atom feed"
    if config.search:
        for _lang, folder, _articles in languages(site, config):
            yield folder, "the search index"
