"""The reader's help centre as built files: languages, translations, feeds, structured data, branding, overrides."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import run, write_files

BILINGUAL = Path(__file__).parent / "sites" / "bilingual"


@pytest.fixture
def bilingual(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bilingual fixture KB, built; returns its site/ folder."""
    shutil.copytree(BILINGUAL, tmp_path / "kb")
    monkeypatch.chdir(tmp_path / "kb")
    result = run("build")
    assert result.exit_code == 0, result.output
    return tmp_path / "kb" / "site"


def json_ld(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def test_each_language_gets_its_own_tree_and_the_root_lets_the_reader_choose(bilingual: Path) -> None:
    for lang in ("en", "ru"):
        assert (bilingual / lang / "index.html").is_file()
        assert (bilingual / lang / "feed.xml").is_file()
        assert (bilingual / lang / "404.html").is_file()
    root = (bilingual / "index.html").read_text(encoding="utf-8")
    assert 'href="en/"' in root and 'href="ru/"' in root and "navigator.languages" in root
    assert "aria-current" not in root  # the choice page belongs to no language
    ru_home = (bilingual / "ru/index.html").read_text(encoding="utf-8")
    assert '<html lang="ru">' in ru_home and "Оплата" in ru_home and "2 статьи" in ru_home
    assert "Billing" not in ru_home


def test_switcher_keeps_the_reader_on_the_same_article(bilingual: Path) -> None:
    en = (bilingual / "en/account/password/index.html").read_text(encoding="utf-8")
    assert 'href="../../../ru/account/parol/" hreflang="ru"' in en  # paired by translation_key
    refunds = (bilingual / "en/billing/refunds/index.html").read_text(encoding="utf-8")
    assert 'href="../../../ru/billing/refunds/" hreflang="ru"' in refunds  # paired by the same path
    category = (bilingual / "ru/billing/index.html").read_text(encoding="utf-8")
    assert 'href="../../en/billing/" hreflang="en"' in category
    tag = (bilingual / "ru/tags/dengi/index.html").read_text(encoding="utf-8")
    assert 'href="../../../en/" hreflang="en"' in tag  # no translation: that language's home


def test_dates_breadcrumbs_and_strings_speak_the_page_language(bilingual: Path) -> None:
    ru = (bilingual / "ru/billing/refunds/index.html").read_text(encoding="utf-8")
    assert '<time datetime="2024-03-05">5 марта 2024 г.</time>' in ru
    assert '<a href="../../../ru/">Главная</a>' in ru and "Статья была полезной?" in ru
    en = (bilingual / "en/billing/refunds/index.html").read_text(encoding="utf-8")
    assert '<time datetime="2024-03-05">March 5, 2024</time>' in en
    assert '<a href="../../../en/">Home</a>' in en and '<a href="../../../en/billing/">Billing</a>' in en


def test_article_page_has_toc_related_pager_feedback_and_support(bilingual: Path) -> None:
    html = (bilingual / "en/billing/refunds/index.html").read_text(encoding="utf-8")
    assert '<nav class="toc"' in html and 'href="#how-to-ask"' in html
    related = html.split('class="related"', 1)[1].split("</section>", 1)[0]
    assert "Invoices" in related and "Frequently asked questions" in related  # shared tag; links to it
    assert 'data-kbgen-feedback data-article="en/billing/refunds/"' in html
    assert 'data-kbgen-vote="yes"' in html and 'data-kbgen-vote="no"' in html
    assert 'href="https://acme.test/contact">Contact support</a>' in html and "mailto:help@acme.test" in html
    assert 'rel="prev" href="../../../en/billing/invoices/"' in html
    assert 'data-kbgen-copy-link="#who-can-ask-for-a-refund"' in html


def test_home_shows_categories_popular_and_recent(bilingual: Path) -> None:
    html = (bilingual / "en/index.html").read_text(encoding="utf-8")
    cards = html.split('class="cards"', 1)[1].split("</ul>", 1)[0]
    assert cards.index("Billing") < cards.index("Your account") and "2 articles" in cards
    popular = html.split('id="kb-popular-title"', 1)[1].split("</section>", 1)[0]
    assert "Refunds" in popular  # the most linked-to article
    recent = html.split('id="kb-recent-title"', 1)[1].split("</section>", 1)[0]
    assert recent.index("Refunds") < recent.index("Invoices")


def test_faq_questions_are_details_with_anchors_and_json_ld(bilingual: Path) -> None:
    html = (bilingual / "en/faq/general/index.html").read_text(encoding="utf-8")
    assert '<details id="can-i-change-my-email"><summary><h2>Can I change my email?</h2></summary>' in html
    assert html.count("<details") == 3 and html.count('data-kbgen-copy-link="#can-i-change-my-email"') == 1
    faq = next(d for d in json_ld(html) if d["@type"] == "FAQPage")
    assert [q["name"] for q in faq["mainEntity"]][0] == "Can I change my email?"
    assert faq["mainEntity"][1]["acceptedAnswer"] == {"@type": "Answer",
                                                      "text": "Write to support. We delete it within a week."}


def test_json_ld_has_googles_required_fields_and_base_url_gives_canonical_og_hreflang(
        bilingual: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = Path("kbgen.yml")
    config.write_text(config.read_text(encoding="utf-8") + "base_url: https://help.acme.test/\n", encoding="utf-8")
    assert run("build").exit_code == 0
    html = (bilingual / "en/billing/refunds/index.html").read_text(encoding="utf-8")
    data = {d["@type"]: d for d in json_ld(html)}
    article = data["Article"]
    assert article["headline"] == "Refunds" and article["dateModified"] == "2024-03-05"
    assert article["datePublished"] == "2023-01-10" and article["author"]["name"] == "Acme Help"
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", "https://help.acme.test/en/"), (2, "Billing", "https://help.acme.test/en/billing/"),
        (3, "Refunds", "https://help.acme.test/en/billing/refunds/")]
    assert '<link rel="canonical" href="https://help.acme.test/en/billing/refunds/">' in html
    assert '<meta property="og:url" content="https://help.acme.test/en/billing/refunds/">' in html
    assert '<link rel="alternate" hreflang="ru" href="https://help.acme.test/ru/billing/refunds/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="https://help.acme.test/">' in html


def test_atom_feed_lists_recent_articles_per_language(bilingual: Path) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(bilingual / "ru/feed.xml").getroot()
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert titles[0] == "Возврат денег" and "Refunds" not in titles and len(titles) == 4
    link = feed.find("a:entry/a:link", ns).get("href")
    assert link == "billing/refunds/"  # relative to the feed, which lives in ru/


def test_branding_from_config_without_template_edits(bilingual: Path) -> None:
    html = (bilingual / "en/index.html").read_text(encoding="utf-8")
    assert "<style>:root{--brand:#0b5cad}</style>" in html
    assert '<a href="https://status.acme.test/">Status</a>' in html


def test_a_bad_colour_is_an_error_with_its_line(kb) -> None:
    kb({"kbgen.yml": "site_name: X\nprimary_color: red;}body{display:none\n", "content/a.md": "# A\n"})
    result = run("build")
    assert result.exit_code != 0
    assert "kbgen.yml:2" in result.output and "hex colour" in result.output


def test_site_theme_overrides_templates_extends_the_default_and_adds_messages(kb) -> None:
    kb({
        "kbgen.yml": "site_name: Own\ntheme: own\nlogo: logo.svg\n",
        "content/a.md": "# A\n",
        "themes/own/templates/home.html": '{% extends "default/home.html" %}'
                                          '{% block hero %}<p class="own-hero">{{ _("hello") }}</p>{% endblock %}',
        "themes/own/messages/en.yml": "hello: Hi from the site theme\nhome: Start\n",
        "themes/own/assets/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
    })
    assert run("build").exit_code == 0
    home = Path("site/index.html").read_text(encoding="utf-8")
    assert '<p class="own-hero">Hi from the site theme</p>' in home and 'src="assets/logo.svg"' in home
    assert Path("site/assets/logo.svg").is_file()
    assert ">Start</a>" in Path("site/a/index.html").read_text(encoding="utf-8")


def test_an_article_outside_the_language_folders_is_an_error(kb) -> None:
    write_files(kb.root, {"kbgen.yml": "languages: [en, ru]\n", "content/en/a.md": "# A\n",
                          "content/stray.md": "# Stray\n"})
    result = run("build")
    assert result.exit_code == 1
    assert "content/stray.md:1: error[language-folder]" in result.output
