"""Nothing a writer types into a title, a link or kbgen.yml becomes markup or script on a reader's page (issue 18):
titles are text with inline formatting, and every URL passes one scheme check after decoding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run

PAYLOAD = "<img src=x onerror=alert(1)>"

#: A site where one title carries an image with an onerror handler, linked from every kind of page that lists it.
TITLE_SITE = {
    "kbgen.yml": "site_name: Acme Help\n",
    "content/index.md": "---\ntitle: Home\n---\n\nWelcome.\n",
    "content/billing/_category.yml": "title: Billing\n",
    "content/billing/refunds.md": f"---\ntitle: 'Refunds {PAYLOAD} *now*'\ntags: [money]\n---\n\n"
                                  "Money back. See [the FAQ](faq.md).\n",
    "content/billing/faq.md": "---\ntitle: Billing FAQ\ntype: faq\ntags: [money]\n---\n\n"
                              "## Can I get my money back?\n\nYes, see [refunds](refunds.md).\n",
}


def _pages(site: Path) -> dict[str, str]:
    """The HTML and XML of a built site (the search index keeps titles as plain text, shown with textContent: the
    browser test types into search to show that)."""
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*")
            if p.is_file() and p.suffix in (".html", ".xml")}


def test_a_title_is_text_on_every_page_that_shows_it_with_its_inline_formatting(kb) -> None:
    kb(TITLE_SITE)

    result = run("build")

    assert result.exit_code == 0, result.output
    pages = _pages(kb.root / "site")
    live = sorted(name for name, text in pages.items() if PAYLOAD in text)
    assert live == []
    shown = "Refunds &lt;img src=x onerror=alert(1)&gt; <em>now</em>"
    showing = {name for name, text in pages.items() if shown in text}
    # the article, the home page, the category, the FAQ's related list and pager, the tag page
    assert {"billing/refunds/index.html", "index.html", "billing/index.html", "billing/faq/index.html",
            "tags/money/index.html"} <= showing
    assert f'<span class="pager-label">Next</span> {shown}</a>' in pages["billing/faq/index.html"]
    assert "<title>Refunds &lt;img src=x onerror=alert(1)&gt; now · Acme Help</title>" in pages[
        "billing/refunds/index.html"]
    assert "<title>Refunds &lt;img src=x onerror=alert(1)&gt; now</title>" in pages["feed.xml"]


def test_a_link_or_image_in_a_title_stays_text_and_a_heading_title_is_escaped_too(kb) -> None:
    kb({"content/a.md": "---\ntitle: 'See [x](https://e.example/) and ![i](i.png)'\n---\n\nText.\n",
        "content/b.md": "# Use \\<script>alert(1)\\</script> `code`\n\nText.\n"})

    result = run("build")

    assert result.exit_code == 0, result.output
    a = (kb.root / "site/a/index.html").read_text(encoding="utf-8")
    assert "<h1>See [x](https://e.example/) and ![i](i.png)</h1>" in a
    b = (kb.root / "site/b/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in b
    assert "<h1>Use &lt;script&gt;alert(1)&lt;/script&gt; code</h1>" in b


@pytest.mark.parametrize("target, scheme", [
    ("javascript%3Aalert(1)//x.pdf", "javascript"),  # decoded by kbgen after markdown-it's filter let it by
    ("javascript:alert(1)", "javascript"),  # markdown-it left it as silent text
    ("java%09script%3Aalert(1)", "javascript"),  # a tab the browser drops
    ("%6A%61vascript%3Aalert(1)", "javascript"),
    ("javascript%253Aalert(1)", "javascript"),  # encoded twice
    ("vbscript:msgbox(1)", "vbscript"),
    ("data:text/html,<script>alert(1)</script>", "data"),
    ("file:///etc/passwd", "file"),
])
def test_a_link_with_a_scheme_no_page_may_use_is_a_located_error_and_loses_its_address(kb, target, scheme) -> None:
    kb({"content/a.md": f"# A\n\nFine text.\n\nClick [here]({target}) now.\n"})

    result = run("build")

    assert result.exit_code == 1
    assert re.search(rf"content/a\.md:5: error\[unsafe-url\]: '.*' is a {scheme}: URL", result.stderr), result.stderr

    kb({"kbgen.yml": "severity: {unsafe-url: warning}\n"})  # lowered, the page is built, and still safe
    result = run("build")
    assert result.exit_code == 0, result.output
    html = (kb.root / "site/a/index.html").read_text(encoding="utf-8")
    assert "Click <a>here</a> now." in html
    assert not re.search(r"(?:href|src)=\"[^\"]*script", html, re.I)


def test_autolinks_and_images_pass_the_same_check_and_good_schemes_pass(kb) -> None:
    kb({"content/a.md": "# A\n\n<javascript:alert(2)>\n\n![x](data:image/svg+xml;base64,PHN2Zz4=)\n\n"
                        "[mail](mailto:help@acme.test) [call](tel:+15550100) [web](https://acme.test/) "
                        "<https://acme.test/auto>\n"})

    result = run("build")

    assert result.exit_code == 1
    assert "content/a.md:3: error[unsafe-url]: 'javascript:alert(2)' is a javascript: URL" in result.stderr
    assert "content/a.md:5: error[unsafe-url]: 'data:image/svg+xml;base64,PHN2Zz4=' is a data: URL" in result.stderr
    assert result.stderr.count("unsafe-url") == 2


@pytest.mark.parametrize("setting, line, message", [
    ('support_url: "javascript:alert(1)"', 2, "'support_url': 'javascript:alert(1)' is a javascript: URL"),
    ('support_url: "JaVaScRiPt%3Aalert(1)"', 2, "'support_url': 'JaVaScRiPt%3Aalert(1)' is a javascript: URL"),
    ("support_url: ../../../etc/passwd", 2, "'support_url': '../../../etc/passwd' leads out of the site"),
    ('footer_links:\n  Status: https://status.acme.test/\n  Evil: " javascript:alert(1)"', 4,
     "'footer_links': ' javascript:alert(1)' is a javascript: URL"),
    ("footer_links:\n  Up: ../../secret", 3, "'footer_links': '../../secret' leads out of the site"),
    ('logo: "javascript:alert(1)"', 2, "'logo': 'javascript:alert(1)' is a javascript: URL"),
    ("logo: ../../../../etc/passwd", 2, "'logo': '../../../../etc/passwd' leads out of the site"),
    ("logo: mailto:a@b.c", 2, "'logo': 'mailto:a@b.c' is not an image address"),
    ('analytics:\n  endpoint: "vbscript:x"', 3, "'analytics': 'vbscript:x' is a vbscript: URL"),
])
def test_config_links_and_the_logo_pass_the_scheme_check_on_their_line(kb, setting, line, message) -> None:
    kb({"kbgen.yml": f"site_name: Acme\n{setting}\n", "content/a.md": "# A\n"})

    result = run("build")

    assert result.exit_code == 1
    assert f"kbgen.yml:{line}: error[unsafe-url]: {message}" in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_good_config_links_and_logo_are_published(kb) -> None:
    kb({"kbgen.yml": "site_name: Acme\nsupport_url: mailto:help@acme.test\nlogo: https://acme.test/logo.svg\n"
                     "footer_links:\n  Status: https://status.acme.test/\n  Call: tel:+15550100\n  FAQ: /faq/\n",
        "content/a.md": "# A\n"})

    result = run("build")

    assert result.exit_code == 0, result.output
    html = (kb.root / "site/a/index.html").read_text(encoding="utf-8")
    assert 'href="tel:+15550100"' in html and 'href="mailto:help@acme.test"' in html
    assert 'src="https://acme.test/logo.svg"' in html
