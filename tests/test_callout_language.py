"""A callout's title is UI text: it follows the article's language, however the article declares it."""

from __future__ import annotations

from kbgen.content.reading import load_file
from kbgen.markdown import RenderSettings

TITLES = (("en", (("note", "Note"),)), ("ru", (("note", "Примечание"),)))
BODY = b"> [!NOTE]\n> Text.\n"


def title_of(rel: str, raw: bytes, settings: RenderSettings) -> str:
    html = load_file(raw, rel, f"content/{rel}", settings).rendered.html
    return html.split('markdown-alert-title">', 1)[1].split("<", 1)[0]


def test_the_language_folder_of_a_multilingual_site_decides() -> None:
    settings = RenderSettings(language="en", languages=("en", "ru"), callout_titles=TITLES)
    assert title_of("ru/billing/refunds.md", BODY, settings) == "Примечание"
    assert title_of("en/billing/refunds.md", BODY, settings) == "Note"


def test_front_matter_lang_wins_over_the_folder_and_the_site() -> None:
    settings = RenderSettings(language="ru", languages=("en", "ru"), callout_titles=TITLES)
    assert title_of("ru/a.md", b"---\nlang: en\n---\n" + BODY, settings) == "Note"
    assert title_of("notes/a.md", BODY, settings) == "Примечание"  # no language folder: the site's language


def test_a_language_without_titles_falls_back_to_english() -> None:
    settings = RenderSettings(language="de", callout_titles=TITLES)
    assert title_of("a.md", BODY, settings) == "Note"
