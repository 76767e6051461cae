"""A writer's folder, alias, file or setting that lands where kbgen writes one of its own files gets an error,
never a silently replaced page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kbgen import DEFAULT_THEME
from kbgen.cli import main
from kbgen.pipeline import BuildOptions
from kbgen.serve.session import PreviewSession


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_search_folder_in_a_language_tree_is_refused_naming_the_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "kbgen.yml", "languages: [en, ru]\n")
    write(tmp_path / "content/en/search/tips.md", "# Search tips\n\nUse fewer words.\n")
    write(tmp_path / "content/ru/start.md", "# Начало\n\nТекст.\n")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert "content/en/search/tips.md:1: error[duplicate-url]" in result.output
    assert "reserved for kbgen's own pages" in result.output
    assert not (tmp_path / "site").exists()


def test_the_same_folder_name_deeper_down_is_fine(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "content/help/search/tips.md", "# Search tips\n\nUse fewer words.\n")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site/help/search/tips/index.html").is_file()
    assert (tmp_path / "site/search/index.html").is_file()


# -- every address kbgen writes is taken: an alias, a file or a setting that lands on one is refused ----------------

def build_kb(root: Path, files: dict[str, str]) -> Result:
    for rel, text in files.items():
        write(root / rel, text)
    return CliRunner().invoke(main, ["build"])


def with_aliases(*aliases: str) -> str:
    return "---\ntitle: Refunds\naliases:\n" + "".join(f"  - {a}\n" for a in aliases) + "---\n\nMoney back.\n"


BASE_KB = {
    "content/index.md": "# Welcome\n\nThe home page's own words.\n",
    "content/faq/general.md": "# General questions\n\nAnswers.\n",
    "content/billing/invoices.md": "# Invoices\n\nPaper.\n",
}


@pytest.mark.parametrize(("alias", "holder"), [
    ("/index.html", "the home page /"),
    ("/", None),  # not a path inside the site at all: a field-type error, tested in test_cli
    ("/faq/general/index.html", "the page of content/faq/general.md"),
    ("/faq/general/", "the page of content/faq/general.md"),
    ("/FAQ/General/", "the page of content/faq/general.md"),
    ("/billing/index.html", "kbgen's page /billing/"),
    ("/assets/kbgen.js", "the theme's file /assets/kbgen.js"),
    ("/search/old-results.html", "the search index /search/"),
    ("/feed.xml", "the Atom feed /feed.xml"),
    ("/robots.txt/", "robots.txt /robots.txt"),
])
def test_an_alias_on_an_address_kbgen_writes_is_an_error_on_its_line(tmp_path: Path, monkeypatch, alias: str,
                                                                       holder: str | None) -> None:
    monkeypatch.chdir(tmp_path)
    result = build_kb(tmp_path, {**BASE_KB, "content/billing/refunds.md": with_aliases("/old/refunds/", alias)})
    assert result.exit_code == 1
    if holder is None:
        assert "content/billing/refunds.md:5: error[field-type]" in result.output
    else:
        assert (f"content/billing/refunds.md:5: error[duplicate-url]: alias '{alias}' would replace {holder}"
                in result.output), result.output
    assert "refunds.md:4" not in result.output  # the harmless alias on the line above is fine
    assert not (tmp_path / "site").exists()


def test_the_old_home_page_survives_an_alias_that_would_have_replaced_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert build_kb(tmp_path, BASE_KB).exit_code == 0
    home = (tmp_path / "site/index.html").read_bytes()
    result = build_kb(tmp_path, {"content/billing/refunds.md": with_aliases("/index.html")})
    assert result.exit_code == 1
    assert (tmp_path / "site/index.html").read_bytes() == home
    assert b"The home page's own words" in home


def test_two_articles_may_not_claim_the_same_old_address(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = build_kb(tmp_path, {**BASE_KB, "content/billing/refunds.md": with_aliases("/old/money/"),
                                 "content/billing/returns.md": "---\naliases: [/old/money/index.html]\n---\n# R\n"})
    assert result.exit_code == 1
    assert ("content/billing/returns.md:2: error[duplicate-url]: alias '/old/money/index.html' would replace the "
            "redirect of alias '/old/money/' in content/billing/refunds.md") in result.output


def test_one_article_listing_an_address_twice_is_fine(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = build_kb(tmp_path, {**BASE_KB, "content/billing/refunds.md": with_aliases("/old/", "/old/index.html",
                                                                                     "/OLD/")})
    assert result.exit_code == 0, result.output
    assert "content=\"0; url=../billing/refunds/\"" in (tmp_path / "site/old/index.html").read_text()


@pytest.mark.parametrize(("rel", "url", "holder"), [
    ("content/assets/kbgen.js", "assets/kbgen.js", "the theme's file /assets/kbgen.js"),
    ("content/assets/pygments.css", "assets/pygments.css", "the code colours /assets/pygments.css"),
    ("content/billing/invoices/index.html", "billing/invoices/index.html",
     "the page of content/billing/invoices.md"),
    ("content/Billing/Index.html", "billing/Index.html", "kbgen's page /billing/"),
    ("content/robots.txt", "robots.txt", "robots.txt /robots.txt"),
    ("content/404.html", "404.html", "kbgen's page /404.html"),
])
def test_a_file_next_to_the_articles_may_not_replace_what_kbgen_writes(tmp_path: Path, monkeypatch, rel: str,
                                                                        url: str, holder: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = build_kb(tmp_path, {**BASE_KB, rel: "mine\n", "content/assets/mine.js": "fine\n"})
    assert result.exit_code == 1
    assert (f"{rel}: error[duplicate-url]: this file would be published at /{url}, replacing {holder}"
            in result.output), result.output
    assert "mine.js" not in result.output


def test_a_file_of_its_own_name_under_assets_is_published(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = build_kb(tmp_path, {**BASE_KB, "content/assets/mine.js": "fine\n"})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site/assets/mine.js").read_text() == "fine\n"
    assert (tmp_path / "site/assets/kbgen.js").read_bytes() == (DEFAULT_THEME / "assets/kbgen.js").read_bytes()


@pytest.mark.parametrize(("endpoint", "holder"), [
    ("index.html", "the home page /"),
    ("/faq/general/index.html", "the page of content/faq/general.md"),
    ("assets/kbgen.js", "the theme's file /assets/kbgen.js"),
    ("search/e.gif", "the search index /search/"),
    ("faq", "kbgen's page /faq/"),  # a file where the site needs a folder (the category's page)
    ("_kb/live.js", "the live preview's /_kb/live.js"),
])
def test_an_analytics_endpoint_on_an_address_kbgen_writes_is_an_error_on_its_line(
        tmp_path: Path, monkeypatch, endpoint: str, holder: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = build_kb(tmp_path, {**BASE_KB, "kbgen.yml": f"site_name: Help\nanalytics:\n  endpoint: {endpoint}\n"})
    assert result.exit_code == 1
    assert (f"kbgen.yml:3: error[duplicate-url]: analytics endpoint '{endpoint.lstrip('/')}' would replace {holder}"
            in result.output), result.output
    assert not (tmp_path / "site").exists()


def test_the_preview_shows_the_same_error_and_keeps_the_page(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for rel, text in {**BASE_KB, "content/billing/refunds.md": with_aliases("/faq/general/")}.items():
        write(tmp_path / rel, text)
    session = PreviewSession(BuildOptions(), log=lambda line: None)
    assert any("refunds.md:4: error[duplicate-url]" in line for line in session.errors())
    assert "General questions" in session.page("faq/general/index.html")


def test_every_file_of_a_built_site_is_taken(tmp_path: Path, monkeypatch) -> None:
    """Whatever a build writes — pages, redirects, theme files, feeds, sitemap, each language's search index — an
    analytics endpoint set to its path is refused: the list of taken addresses misses none of them."""
    shutil.copytree(Path(__file__).parent / "sites/bilingual", tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    config = (tmp_path / "kbgen.yml").read_text(encoding="utf-8") + "base_url: https://help.acme.test/\n"
    write(tmp_path / "kbgen.yml", config)
    write(tmp_path / "content/en/billing/refunds-form.pdf", "%PDF-1.4\n")
    faq = tmp_path / "content/en/faq/general.md"
    write(faq, faq.read_text(encoding="utf-8").replace("---\n", "---\naliases: [/questions/]\n", 1))
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    built = sorted(p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*")
                   if p.is_file())
    assert {"sitemap.xml", "en/feed.xml", "ru/search/index.html", "questions/index.html",
            "en/billing/refunds-form.pdf", "assets/kbgen.js"} <= set(built)
    one_per_index = {}  # the search index's files are content-hashed: one of each folder's is enough
    for rel in built:
        one_per_index.setdefault(rel.rsplit("/", 1)[0] if "/search/" in f"/{rel}" else rel, rel)
    for rel in one_per_index.values():
        if rel == "_kb/e.gif":
            continue  # the beacon itself, at its default address
        write(tmp_path / "kbgen.yml", config + f"analytics:\n  endpoint: {rel}\n")
        result = CliRunner().invoke(main, ["check"])
        # Reported at the setting, or at the alias or file that now lands on the endpoint (claimed after it).
        assert result.exit_code == 1 and "error[duplicate-url]" in result.output, rel


def test_each_language_home_is_taken_on_a_site_in_two_languages(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = build_kb(tmp_path, {"kbgen.yml": "languages: [en, ru]\n", "content/ru/start.md": "# Начало\n\nТекст.\n",
                                 "content/en/billing/refunds.md": with_aliases("/ru/", "/en/start/")})
    assert result.exit_code == 1
    assert "refunds.md:4: error[duplicate-url]: alias '/ru/' would replace the home page /ru/" in result.output
    assert "refunds.md:5" not in result.output
