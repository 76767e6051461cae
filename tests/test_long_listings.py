"""A category or tag with more articles than `listing_page_size` (issue 20): a reader gets pages of 100 at
`page/2/`, `page/3/`… linked both ways, an A–Z list of where each letter starts, and no page too big to open; the
new addresses are kbgen's own, so nothing the writer adds may land on them."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import run

ITEM = re.compile(r'<li(?: id="([^"]*)")?><a href="([^"]+)">([^<]*)</a>')


def articles(folder: str, titles: list[str], extra: str = "") -> dict[str, str]:
    quoted = ["'" + t.replace("'", "''") + "'" for t in titles]
    return {f"content/{folder}/a{i:05d}.md": f"---\ntitle: {t}\n{extra}---\n\nAn answer.\n"
            for i, t in enumerate(quoted)}


def page_at(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def listed(html: str) -> list[tuple[str, str, str]]:
    """(id, href, title) of each article the page's listing shows."""
    body = html.split('<ul class="article-list">', 1)[1].split("</ul>", 1)[0]
    return ITEM.findall(body)


def follow(url: str, href: str) -> str:
    """The folder URL (from the site root) a relative link on the page at `url` leads to, and its #fragment."""
    return urljoin("https://kb.test/" + url, href).removeprefix("https://kb.test/")


def build(kb, files: dict[str, str]) -> tuple[Path, str]:
    kb(files)
    result = run("build")
    return kb.root / "site", result


def test_a_category_of_250_articles_gives_three_linked_pages(kb) -> None:
    titles = [f"Invoice question {i:03d}" for i in range(250)]
    site, result = build(kb, {"kbgen.yml": "site_name: Acme\n", **articles("billing", titles)})
    assert result.exit_code == 0, result.output

    pages = [page_at(site, url) for url in ("billing/", "billing/page/2/", "billing/page/3/")]

    assert not (site / "billing" / "page" / "4").exists() and not (site / "billing" / "page" / "1").exists()
    assert [len(listed(p)) for p in pages] == [100, 100, 50]
    assert [t for p in pages for _id, _href, t in listed(p)] == titles  # each once, in the listing's order
    assert [follow("billing/page/2/", href) for _id, href, _t in listed(pages[1])][:1] == ["billing/a00100/"]
    # previous / next, in the head for browsers and search engines and on the page for readers
    assert '<link rel="prev"' not in pages[0] and '<link rel="next" href="page/2/">' in pages[0]
    assert '<link rel="prev" href="../../">' in pages[1] and '<link rel="next" href="../3/">' in pages[1]
    assert '<link rel="prev" href="../2/">' in pages[2] and '<link rel="next"' not in pages[2]
    assert '<a rel="next" href="page/2/">Next page</a>' in pages[0]
    assert '<a rel="prev" href="../../">Previous page</a>' in pages[1] and "Page 2 of 3" in pages[1]
    assert "<title>Billing · Page 3 · Acme</title>" in pages[2]
    # page 2 leads back up: Home › Billing › Page 2
    assert '<li><a href="../../../billing/">Billing</a></li>\n  <li aria-current="page">Page 2</li>' in pages[1]


def test_a_listing_that_fits_on_one_page_is_not_paginated(kb) -> None:
    site, result = build(kb, {"kbgen.yml": "site_name: Acme\n", **articles("billing", [f"Q {i}" for i in range(100)])})
    assert result.exit_code == 0, result.output

    html = page_at(site, "billing/")

    assert len(listed(html)) == 100 and not (site / "billing" / "page").exists()
    assert 'rel="next"' not in html and "az-list" not in html


def test_each_letter_leads_to_the_page_and_place_of_its_first_article(kb) -> None:
    titles = ["2FA codes", "Apples", "Avocados", "Bananas", "Éclairs", "Cherries", "Dates", "Elderberries",
              "Figs", "Grapes", "Guavas", "Honeydew"]
    site, result = build(kb, {"kbgen.yml": "site_name: Acme\nlisting_page_size: 3\n", **articles("fruit", titles)})
    assert result.exit_code == 0, result.output
    order = sorted(titles, key=str.casefold)  # as the listing shows them: "Éclairs" after the Latin letters

    for url in ("fruit/", "fruit/page/2/", "fruit/page/4/"):
        html = page_at(site, url)
        jump = html.split('<nav class="az-list"', 1)[1].split("</nav>", 1)[0]
        letters = re.findall(r'<a href="([^"]+)">(?:<span aria-hidden="true">)?([^<]+)<', jump)
        assert [label for _href, label in letters] == ["#", "A", "B", "C", "D", "E", "F", "G", "H"]
        for href, label in letters:
            target = follow(url, href)
            folder, _, anchor = target.partition("#")
            items = {i: t for i, _h, t in listed(page_at(site, folder))}
            first = next(t for t in order if (t[0] if label != "#" else "#").replace("É", "E")
                         == label or (label == "#" and not t[0].isalpha()))
            assert items[anchor] == first, (url, label, target)
    assert page_at(site, "fruit/page/2/").count('id="kb-az-') == 3  # B, C and D start there


def test_a_russian_site_gets_cyrillic_letters(kb) -> None:
    titles = ["Ёлка", "Ежевика", "Йогурт", "Инжир", "Апельсин", "Яблоко", "API ключи", "Банан"]
    site, result = build(kb, {"kbgen.yml": "site_name: Справка\nlanguage: ru\nlisting_page_size: 2\n",
                              **articles("frukty", titles)})
    assert result.exit_code == 0, result.output

    html = page_at(site, "frukty/page/2/")
    labels = re.findall(r'<li><a href="[^"]*">([^<]+)</a></li>', html.split('class="az-list"')[1].split("</nav>")[0])

    assert labels == ["A", "А", "Б", "Е", "И", "Й", "Я"]  # a Latin A first, as the listing sorts it; Ё under Е
    assert "Страница 2 из 4" in html and ">Следующая страница</a>" in html
    assert 'aria-label="Перейти к букве"' in html


def test_articles_placed_by_order_come_first_and_stay_out_of_the_jump_list(kb) -> None:
    placed = {f"content/guide/p{i}.md": f"---\ntitle: Zebra step {i}\norder: {i}\n---\n\nx\n" for i in range(3)}
    site, result = build(kb, {"kbgen.yml": "site_name: Acme\nlisting_page_size: 2\n", **placed,
                              **articles("guide", ["Apples", "Bananas", "Zucchini"])})
    assert result.exit_code == 0, result.output

    first = page_at(site, "guide/")
    jump = first.split('class="az-list"')[1].split("</nav>")[0]

    assert [t for _i, _h, t in listed(first)] == ["Zebra step 0", "Zebra step 1"]
    assert re.findall(r'">([A-Z])</a>', jump) == ["A", "B", "Z"]
    assert 'href="../3/#kb-az-z"' in page_at(site, "guide/page/2/")  # Zucchini, not the placed Zebra steps


def test_a_listing_placed_wholly_by_order_has_pages_but_no_jump_list(kb) -> None:
    placed = {f"content/guide/p{i}.md": f"---\ntitle: Step {i}\norder: {i}\n---\n\nx\n" for i in range(5)}
    site, result = build(kb, {"kbgen.yml": "site_name: Acme\nlisting_page_size: 2\n", **placed})
    assert result.exit_code == 0, result.output

    assert (site / "guide" / "page" / "3" / "index.html").is_file()
    assert "az-list" not in page_at(site, "guide/page/2/") and 'rel="next"' in page_at(site, "guide/page/2/")


def test_a_category_with_its_own_page_and_a_long_tag_are_paginated_too(kb) -> None:
    site, result = build(kb, {"kbgen.yml": "site_name: Acme\nlisting_page_size: 4\nbase_url: https://kb.test/\n",
                              "content/billing/index.md": "---\ntitle: Billing\n---\n\nAll about *money*.\n",
                              **articles("billing", [f"Refund {i}" for i in range(6)], "tags: [money]\n")})
    assert result.exit_code == 0, result.output

    own, later = page_at(site, "billing/"), page_at(site, "billing/page/2/")
    tag_later = page_at(site, "tags/money/page/2/")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")

    assert "All about <em>money</em>" in own and len(listed(own)) == 4 and '<link rel="next" href="page/2/">' in own
    assert "All about" not in later and len(listed(later)) == 2 and '<a rel="prev" href="../../">' in later
    assert '<link rel="canonical" href="https://kb.test/billing/page/2/">' in later
    assert len(listed(tag_later)) == 2 and '<link rel="prev" href="../../">' in tag_later
    assert "<loc>https://kb.test/billing/page/2/</loc>" in sitemap
    assert "<loc>https://kb.test/tags/money/page/2/</loc>" in sitemap


#: What a writer might put where a long listing continues, and what the build says about it.
INTRUDERS = {
    "article": ({"content/billing/page/2.md": "---\ntitle: Page two\n---\n\nx\n"},
                "content/billing/page/2.md:1: error[duplicate-url]: this page's URL '/billing/page/2/' is page 2 of "
                "the category /billing/"),
    "folder": ({"content/billing/page/2/notes.md": "---\ntitle: Notes\n---\n\nx\n"},
               "content/billing/page/2/: error[duplicate-url]: this folder's page '/billing/page/2/' is page 2 of "
               "the category /billing/"),
    "file": ({"content/billing/page/3/index.html": "<p>old export</p>\n"},
             "content/billing/page/3/index.html: error[duplicate-url]: this file would be published at "
             "/billing/page/3/index.html, replacing page 3 of the category /billing/"),
    "alias": ({"content/old.md": "---\ntitle: Old\naliases:\n  - /tags/money/page/2/\n---\n\nx\n"},
              "content/old.md:4: error[duplicate-url]: alias '/tags/money/page/2/' would replace page 2 of the tag "
              "page /tags/money/"),
}


@pytest.mark.parametrize("what", list(INTRUDERS))
def test_nothing_the_writer_adds_may_take_a_listing_page(kb, what: str) -> None:
    files, message = INTRUDERS[what]
    kb({"kbgen.yml": "site_name: Acme\nlisting_page_size: 2\n", **files,
        **articles("billing", ["Apples", "Bananas", "Cherries", "Dates", "Figs"], "tags: [money]\n")})
    result = run("build")

    assert result.exit_code == 1 and message in result.output, result.output
    assert not (kb.root / "site").exists()


def test_titles_and_names_are_escaped_on_every_page(kb) -> None:
    titles = ["<script>alert(1)</script> fees", "\"Quoted\" & <b>bold</b>", "Ünïcode <img src=x>", "Plain"]
    site, result = build(kb, {"kbgen.yml": "site_name: A<b>cme\nlisting_page_size: 1\n",
                              "content/billing/_category.yml": "title: Bills <i>&amp; \"co\"\n",
                              **articles("billing", titles, "tags: ['<x> \"t\"']\n")})
    assert result.exit_code == 0, result.output

    for url in ("billing/page/2/", "billing/page/3/", "billing/page/4/"):
        html = page_at(site, url)
        assert "<script>alert" not in html and "<b>bold" not in html and "<img src=x" not in html
        assert "<i>" not in html and "Bills &lt;i&gt;&amp;amp; &#34;co&#34;" in html
    tag_pages = sorted(p.parent.relative_to(site).as_posix() for p in site.glob("tags/*/page/*/index.html"))
    assert len(tag_pages) == 3
    assert all("&lt;x&gt; &#34;t&#34;" in page_at(site, p) for p in tag_pages)


def test_every_page_of_a_long_category_stays_under_200_kb(kb) -> None:
    """The issue measured one 3.3 MB page for 27,000 articles. A page's size depends on the articles it lists (100
    by default) and the jump list, not on how many pages follow: 1,000 long-titled articles prove the bound."""
    words = "configure the compiler warning level linker options for projects solutions".split()
    titles = [f"{chr(65 + i % 26)}{' '.join(words[(i + k) % len(words)] for k in range(9))} {i}" for i in range(1000)]
    description = "How to " + " ".join(words * 3)  # 230 characters, more than a search snippet shows
    files = {f"content/reference/compiler-warnings-and-errors-c{i:05d}.md":
             f"---\ntitle: \"{t}\"\ndescription: {description}\n---\n\nx\n" for i, t in enumerate(titles)}
    site, result = build(kb, {"kbgen.yml": "site_name: Acme\n", **files})
    assert result.exit_code == 0, result.output

    sizes = {p.parent.relative_to(site).as_posix(): p.stat().st_size
             for p in [site / "reference" / "index.html", *site.glob("reference/page/*/index.html")]}

    assert len(sizes) == 10
    assert 30_000 < max(sizes.values()) < 200_000, sizes
