"""A Zendesk Guide help centre, as the Help Center API returns it: categories → sections → articles.

SOURCE is a folder of the API's JSON responses (`categories.json`, `sections.json`, `articles.json`, or pages of
them) or one JSON file holding all three lists. Articles' HTML bodies become Markdown with markdownify; links
between articles become links to the imported files; each article's old addresses (`/hc/<locale>/articles/<id>`
with and without its title part) become `aliases`, so links to the old help centre keep working once the new one
is published at the same host. Images stay where Zendesk hosts them and are listed for a writer to move.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

from kbgen.core.diagnostics import KbgenError
from kbgen.core.slugs import url_slug
from kbgen.importing.plan import ImportPlan

_ARTICLE_LINK = re.compile(r"""(href=["'])(?:https?://[^/"']+)?/hc/(?:[\w-]+/)?articles/(\d+)[^"'#]*(#[^"']*)?""")
_HEADING_ID = re.compile(r"""(<h([1-6])\b[^>]*?\bid=["']([^"']+)["'][^>]*>)(.*?)(</h\2>)""", re.I | re.S)
_IMAGE = re.compile(r"""<img[^>]*\bsrc=["']([^"']+)""", re.I)
_ATTACHMENT = re.compile(r"""href=["']([^"']*/(?:article_)?attachments/[^"']+)""", re.I)


def plan(source: Path) -> ImportPlan:
    data = _read(source)
    articles = [a for a in data["articles"] if isinstance(a, dict) and "id" in a]
    if not articles:
        raise KbgenError(f"{source}: no articles found (expected the Help Center API's "
                         "{{\"articles\": [...]}} responses)")
    result = ImportPlan("zendesk")
    categories = {c["id"]: c for c in data["categories"] if isinstance(c, dict) and "id" in c}
    sections = {s["id"]: s for s in data["sections"] if isinstance(s, dict) and "id" in s}
    languages = sorted({_language(a.get("locale")) for a in articles} - {""})
    files = _article_files(articles, _folders(categories, sections, result), languages)
    for a in articles:
        result.article(files[a["id"]], _meta(a), _body(a, files, result))
    result.config = {"site_name": "Help Centre"}
    if languages:
        result.config["language"] = languages[0]
    if len(languages) > 1:
        result.config["languages"] = languages
    result.note("kbgen.yml", "set site_name (a Zendesk export does not carry the help centre's name)")
    return result


def _article_files(articles: list[dict], folders: dict[int, str], languages: list[str]) -> dict[int, str]:
    """Article id → its file under content/: its section's folder (under its language's on a multilingual
    centre) and its title's slug; known for every article before any body is converted, since bodies link to
    each other."""
    files: dict[int, str] = {}
    used: set[str] = set()
    for a in articles:
        folder = folders.get(a.get("section_id"), "uncategorised")
        if len(languages) > 1:
            folder = f"{_language(a.get('locale')) or languages[0]}/{folder}"
        name = url_slug(str(a.get("title") or a["id"]))
        rel = f"{folder}/{name}.md"
        if rel in used:
            rel = f"{folder}/{name}-{a['id']}.md"
        used.add(rel)
        files[a["id"]] = rel
    return files


def _read(source: Path) -> dict[str, list]:
    files = [source] if source.is_file() else sorted(source.glob("*.json"))
    data: dict[str, list] = {"categories": [], "sections": [], "articles": []}
    for path in files:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise KbgenError(f"{path}: not a JSON file the Help Center API wrote ({exc})") from None
        for key in data:
            value = doc.get(key) if isinstance(doc, dict) else None
            if isinstance(value, list):
                data[key] += value
    return data


def _folders(categories: dict, sections: dict, result: ImportPlan) -> dict[int, str]:
    """Section id → its folder: `category/section[/subsection…]`, each with a `_category.yml`."""
    folders: dict[int, str] = {}
    for cid, cat in categories.items():
        result.category(url_slug(str(cat.get("name") or cid)), _category_meta(cat))

    def folder_of(sid, seen=()) -> str:
        if sid in folders:
            return folders[sid]
        section = sections[sid]
        parent = section.get("parent_section_id")
        if parent in sections and parent not in seen:
            base = folder_of(parent, (*seen, sid))
        else:
            cat = categories.get(section.get("category_id"))
            base = url_slug(str(cat.get("name") or cat["id"])) if cat else "uncategorised"
        folders[sid] = f"{base}/{url_slug(str(section.get('name') or sid))}"
        result.category(folders[sid], _category_meta(section))
        return folders[sid]

    for sid in sections:
        folder_of(sid)
    return folders


def _category_meta(item: dict) -> dict:
    position = item.get("position")
    return {"title": item.get("name"), "description": item.get("description"),
            "order": position if isinstance(position, int) and position else None}


def _meta(a: dict) -> dict:
    position = a.get("position")
    return {
        "title": a.get("title") or a.get("name"),
        "created": _date(a.get("created_at")),
        "updated": _date(a.get("edited_at") or a.get("updated_at")),
        "order": position if isinstance(position, int) and position else None,
        "tags": [str(t) for t in a.get("label_names") or []],
        "draft": True if a.get("draft") else None,
        "aliases": _old_addresses(a),
    }


def _old_addresses(a: dict) -> list[str]:
    """The article's old paths: its `html_url`, and `/hc/<locale>/articles/<id>`, which Zendesk also answers."""
    found = []
    if a.get("html_url"):
        found.append(urlsplit(str(a["html_url"])).path)
    found.append(f"/hc/{a.get('locale') or 'en-us'}/articles/{a['id']}")
    return list(dict.fromkeys(p.rstrip("/") + "/" for p in found if p))


def _body(a: dict, files: dict[int, str], result: ImportPlan) -> str:
    from markdownify import markdownify

    html = str(a.get("body") or "")
    here = posixpath.dirname(files[a["id"]])

    def to_file(m: re.Match) -> str:
        target = files.get(int(m.group(2)))
        if target is None:
            result.note(files[a["id"]], f"links to article {m.group(2)}, which is not in the export")
            return m.group(0)
        return m.group(1) + posixpath.relpath(target, here) + (m.group(3) or "")

    html = _ARTICLE_LINK.sub(to_file, html)
    # Zendesk's heading ids (`h_01HB…`) are what links to a part of an article use: kept as `{#id}`.
    html = _HEADING_ID.sub(lambda m: f"{m.group(1)}{m.group(4)} {{#{m.group(3)}}}{m.group(5)}", html)
    for src in _IMAGE.findall(html):
        if "://" in src:
            result.note(files[a["id"]], f"image {src} is still on Zendesk's servers: download it next to the "
                                        "article and link it relatively")
    for href in _ATTACHMENT.findall(html):
        result.note(files[a["id"]], f"attachment {href} is still on Zendesk's servers: download it next to the "
                                    "article and link it relatively")
    return markdownify(html, heading_style="ATX", bullets="-", escape_underscores=False)


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _language(locale) -> str:
    return str(locale or "").split("-")[0].lower()
