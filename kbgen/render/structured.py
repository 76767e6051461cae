"""What machines read about a page: schema.org JSON-LD and the Atom feed of recently updated articles.

JSON-LD follows Google's structured-data documentation: `Article` (headline, dateModified, datePublished when
known, author and publisher), `BreadcrumbList` (absolute `item` URLs, so only with `base_url`) and `FAQPage`
(every question with its accepted answer).
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from typing import Any

from kbgen.content.model import Article
from kbgen.render.faq import faq_entries
from kbgen.site.links import relative_url

SCHEMA = "https://schema.org"


def article_data(article: Article, site_name: str, base_url: str | None, lang: str) -> dict[str, Any]:
    org: dict[str, Any] = {"@type": "Organization", "name": site_name}
    if base_url:
        org["url"] = base_url
    data: dict[str, Any] = {
        "@context": SCHEMA, "@type": "Article", "headline": article.title[:110],
        "dateModified": article.updated.isoformat(), "author": org, "publisher": org, "inLanguage": lang,
    }
    if article.meta.get("created"):
        data["datePublished"] = article.meta["created"].isoformat()
    if article.meta.get("description"):
        data["description"] = article.meta["description"]
    if base_url:
        data["mainEntityOfPage"] = base_url + article.url
    return data


def breadcrumb_data(trail: list[tuple[str, str]], base_url: str | None) -> dict[str, Any] | None:
    """`trail` is (name, URL from the site root) from the home page to the page itself."""
    if not base_url or len(trail) < 2:
        return None
    return {"@context": SCHEMA, "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": i, "name": name, "item": base_url + url}
        for i, (name, url) in enumerate(trail, 1)]}


def faq_data(article: Article) -> dict[str, Any] | None:
    rendered = article.result.rendered
    entries = faq_entries(rendered.sections) if rendered else []
    if not entries:
        return None
    return {"@context": SCHEMA, "@type": "FAQPage", "mainEntity": [
        {"@type": "Question", "name": question, "acceptedAnswer": {"@type": "Answer", "text": answer}}
        for _anchor, question, answer in entries]}


def atom_feed(title: str, lang: str, feed_url: str, home_url: str, site_id: str,
              articles: list[Article], base_url: str | None) -> str:
    """An Atom 1.0 feed. Without `base_url`, links are relative to the feed (RFC 4287 allows it) and ids are
    tag URIs made of the site's name and the article's path, stable across builds."""
    def link(url: str) -> str:
        return base_url + url if base_url else relative_url(home_url, url)

    def entry_id(url: str) -> str:
        return base_url + url if base_url else f"tag:{site_id},2024:{url}"

    updated = max((a.updated for a in articles), default=dt.date(2000, 1, 1))
    rows = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={_attr(lang)}>',
        f"  <title>{_text(title)}</title>",
        f"  <id>{_text(entry_id(home_url))}</id>",
        f"  <updated>{updated.isoformat()}T00:00:00Z</updated>",
        f'  <link rel="self" href={_attr(link(feed_url))}/>',
        f'  <link rel="alternate" type="text/html" href={_attr(link(home_url))}/>',
        f"  <author><name>{_text(title)}</name></author>",
    ]
    for a in articles:
        rows += [
            "  <entry>",
            f"    <title>{_text(a.title)}</title>",
            f"    <id>{_text(entry_id(a.url))}</id>",
            f'    <link rel="alternate" type="text/html" href={_attr(link(a.url))}/>',
            f"    <updated>{a.updated.isoformat()}T00:00:00Z</updated>",
        ]
        if a.meta.get("description"):
            rows.append(f"    <summary>{_text(a.meta['description'])}</summary>")
        rows.append("  </entry>")
    rows.append("</feed>")
    return "\n".join(rows) + "\n"



#: Characters XML 1.0 does not allow even escaped (`&#1;` is an error too): one in a title made every feed reader
#: reject the whole feed. Tab, newline and carriage return are allowed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    """XML character data. Not `xml.sax.saxutils`: importing it pulls in urllib.request, http.client and ssl,
    36 ms of every build's start."""
    return html_lib.escape(_NOT_XML.sub("", value), quote=False)


def _attr(value: str) -> str:
    """A double-quoted XML attribute value."""
    return '"' + html_lib.escape(_NOT_XML.sub("", value)) + '"'
