"""A writer's or reader's mistake ends as a located error (`path:line`, a code), never "internal error" or a
traceback (issue 18, "Crashes instead of located errors"). One small story per mistake."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run

HOME = {"content/index.md": "# Help\n\nWelcome.\n"}


def assert_no_crash(output: str) -> None:
    assert "internal error" not in output and "Traceback" not in output, output


# --- Impossible dates written without quotes: YAML reads them as dates, and Python refuses the day ---------------

@pytest.mark.parametrize("date", ["2024-13-45", "0000-01-01", "2023-02-29"])
def test_an_impossible_date_in_front_matter_is_a_field_error_at_its_line(kb, date: str) -> None:
    kb({**HOME, "content/refunds.md": f"---\ntitle: Refunds\nupdated: {date}\n---\nText.\n"})

    result = run("build")

    assert_no_crash(result.output)
    assert result.exit_code == 1
    assert f"content/refunds.md:3: error[field-type]: 'updated': {date} is not a day of the calendar" in result.stderr


def test_an_impossible_date_in_a_category_file_is_an_error_at_its_line(kb) -> None:
    kb({**HOME, "content/billing/refunds.md": "# Refunds\n",
        "content/billing/_category.yml": "title: Billing\nreview_every: 90d\ncreated: 0000-01-01\n"})

    result = run("build")

    assert_no_crash(result.output)
    # `created` is no field of a category: the date is kept as text, and the build goes on
    assert result.exit_code == 0
    (Path("content/billing/_category.yml")).write_text("title: Billing\nreview_every: 2024-13-45\n", encoding="utf-8")
    result = run("build")
    assert_no_crash(result.output)
    assert "content/billing/_category.yml:2: error[field-type]: 'review_every': expected a duration" in result.stderr


def test_an_impossible_date_in_kbgen_yml_does_not_stop_build_new_or_serve(kb) -> None:
    kb({**HOME, "kbgen.yml": "site_name: Help\nlaunched: 2024-13-45\nstale_after: 2024-02-30\n"})

    result = run("build")
    assert_no_crash(result.output)
    assert "kbgen.yml:3: error[config-invalid]: 'stale_after': expected a duration" in result.stderr
    assert result.exit_code == 1

    Path("kbgen.yml").write_text("site_name: Help\nlaunched: 2024-13-45\n", encoding="utf-8")
    result = run("new", "Refunds")
    assert_no_crash(result.output)
    assert result.exit_code == 0 and Path("content/refunds.md").exists()

    from kbgen.pipeline import BuildOptions
    from kbgen.serve import Preview

    lines: list[str] = []
    preview = Preview(BuildOptions(), port=0, log=lines.append).start()
    try:
        assert len(preview.session.site.articles) == 2
    finally:
        preview.stop()


# --- Files that are links, pipes, or not where a folder should be -------------------------------------------------

def test_broken_and_looping_links_to_articles_static_files_snippets_and_category_files_are_warnings(kb) -> None:
    kb({**HOME, "content/billing/refunds.md": "# Refunds\n"})
    os.symlink("nowhere.md", "content/broken.md")
    os.symlink("loop-b.md", "content/loop-a.md")
    os.symlink("loop-a.md", "content/loop-b.md")
    os.symlink("nowhere.png", "content/billing/card.png")
    os.makedirs("content/_snippets")
    os.symlink("nowhere.md", "content/_snippets/note.md")
    os.symlink("nowhere.yml", "content/billing/_category.yml")

    result = run("build")

    assert_no_crash(result.output)
    assert result.exit_code == 0
    for rel in ("broken.md", "billing/card.png", "_snippets/note.md", "billing/_category.yml"):
        assert f"content/{rel}: warning[broken-symlink]: a link that leads nowhere" in result.stderr
    assert "content/loop-a.md: warning[symlink-loop]: a link that leads back to itself" in result.stderr


def test_a_named_pipe_as_a_static_file_is_skipped_with_a_warning(kb) -> None:
    kb(HOME)
    os.mkfifo("content/logo.png")

    result = run("build")

    assert_no_crash(result.output)
    assert result.exit_code == 0
    assert "content/logo.png: warning[special-file]: a named pipe, not a regular file" in result.stderr


def test_an_output_folder_under_a_file_is_a_clear_error(kb) -> None:
    kb({**HOME, "notes.txt": "my notes\n"})

    result = run("build", "--out", "notes.txt/site")

    assert_no_crash(result.output)
    assert result.exit_code == 1
    assert "notes.txt is a file, not a folder" in result.output
    assert Path("notes.txt").read_text(encoding="utf-8") == "my notes\n"


def test_a_batch_file_that_is_not_utf8_names_its_line(kb) -> None:
    kb(HOME)
    assert run("build").exit_code == 0
    Path("queries.tsv").write_bytes(b"1\twelcome\n2\tcaf\xe9\n")

    result = run("search", "--batch", "queries.tsv")

    assert_no_crash(result.output)
    assert result.exit_code == 1
    assert "queries.tsv:2: not UTF-8 text" in result.output


# --- Dates and periods too far out for the report's arithmetic ------------------------------------------------------

LOG_LINE = ('203.0.113.9 - - [20/Nov/2026:10:00:00 +0000] "GET /_kb/e.gif?e=search&q=crypto&n=0&l=en&v=1 HTTP/1.1" '
            '200 43 "-" "UA"\n')


def test_since_a_hundred_thousand_years_is_a_usage_error(kb) -> None:
    kb({**HOME, "access.log": LOG_LINE})

    result = run("report", "access.log", "--since", "99999y")

    assert_no_crash(result.output)
    assert result.exit_code == 2
    assert "--since" in result.output and "at most 100 years" in result.output


def test_an_article_updated_on_the_last_day_of_9999_is_reported_not_due(kb) -> None:
    kb({**HOME, "content/refunds.md": "---\ntitle: Refunds\nupdated: 9999-12-31\n---\nText.\n",
        "access.log": LOG_LINE})
    assert run("build").exit_code == 0

    result = run("report", "access.log")

    assert_no_crash(result.output)
    assert result.exit_code == 0
    assert "1 due soon" not in result.output and "1 overdue" not in result.output


@pytest.mark.parametrize(("where", "text", "located"), [
    ("content/refunds.md", "---\ntitle: Refunds\nreview_every: 99999999999y\n---\nText.\n",
     "content/refunds.md:3: error[field-type]: 'review_every': "),
    ("content/billing/_category.yml", "title: Billing\nreview_every: 1000000000000d\n",
     "content/billing/_category.yml:2: error[field-type]: 'review_every': "),
    ("kbgen.yml", "site_name: Help\nstale_after: 99999999999999\n",
     "kbgen.yml:2: error[config-invalid]: 'stale_after': "),
])
def test_a_review_period_longer_than_a_century_is_an_error_at_its_line(kb, where: str, text: str,
                                                                        located: str) -> None:
    kb({**HOME, "content/billing/card.md": "# Card\n", where: text, "access.log": LOG_LINE})

    result = run("build")

    assert_no_crash(result.output)
    assert result.exit_code == 1
    assert located + "expected a duration of at most 100 years" in result.stderr
    result = run("report", "access.log")
    assert_no_crash(result.output)


# --- The preview's server, spoken to with raw sockets on 127.0.0.1 --------------------------------------------------

def _raw_request(url: str, request: bytes) -> bytes:
    """Send `request` bytes to the preview at `url` and read its answer; the socket stays open while reading, as
    a browser's would, so a server waiting for a body that never comes shows up as a timeout."""
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(url)
    with socket.create_connection((where.hostname, where.port), timeout=5) as s:
        s.sendall(request)
        answer = b""
        try:
            while b"\r\n\r\n" not in answer:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except TimeoutError:
            pytest.fail(f"no answer within 5 s to {request!r}: the server is waiting for a body")
        return answer


@pytest.mark.parametrize(("length", "status"), [("abc", 400), ("-1", 400), ("1e3", 400),
                                                ("99999999999999999999", 413)])
def test_a_beacon_post_with_a_bad_content_length_is_refused_at_once(preview, capfd, length: str, status: int) -> None:
    request = (f"POST /_kb/e.gif?v=1&e=vote&u=billing%2Frefunds%2F&h=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               f"Content-Length: {length}\r\n\r\n").encode()

    answer = _raw_request(preview.url, request)

    assert answer.startswith(f"HTTP/1.1 {status} ".encode()), answer
    assert "Traceback" not in capfd.readouterr().err
    assert fetch_status(preview.url) == 200  # and the server still answers


def test_a_client_that_resets_its_connection_leaves_no_traceback(preview, capfd) -> None:
    import socket
    import struct
    import time
    from urllib.parse import urlsplit

    where = urlsplit(preview.url)
    for _ in range(3):
        s = socket.create_connection((where.hostname, where.port), timeout=5)
        s.sendall(b"GET /billing/refunds/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never finished
        time.sleep(0.05)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with RST, not FIN
        s.close()
    time.sleep(0.5)  # the server's threads meet the reset meanwhile

    assert fetch_status(preview.url) == 200
    err = capfd.readouterr().err
    assert "Traceback" not in err and "ConnectionResetError" not in err, err


def fetch_status(url: str) -> int:
    from serving import fetch

    return fetch(url)[0]


# --- Mistakes YAML itself lets through -------------------------------------------------------------------------------

def test_a_key_written_twice_is_a_warning_at_the_second_one(kb) -> None:
    kb({**HOME, "content/billing/refunds.md": "---\ntitle: Refunds\ntags: [a]\ntitle: Money back\n---\nText.\n",
        "content/billing/_category.yml": "title: Billing\norder: 1\norder: 2\n",
        "kbgen.yml": "site_name: Help\nlimits:\n  max_article_bytes: 5MB\n  max_article_bytes: 6MB\nsite_name: H\n"})

    result = run("build")

    assert_no_crash(result.output)
    assert result.exit_code == 0
    assert ("content/billing/refunds.md:4: warning[duplicate-key]: 'title' is set again here: the value on line 2 is "
            "ignored") in result.stderr
    assert "content/billing/_category.yml:3: warning[duplicate-key]: 'order' is set again here" in result.stderr
    assert "kbgen.yml:4: warning[duplicate-key]: 'limits.max_article_bytes' is set again here: the value on line 3" \
           in result.stderr
    assert "kbgen.yml:5: warning[duplicate-key]: 'site_name' is set again here: the value on line 1" in result.stderr
    assert run("build", "--strict").exit_code == 1


@pytest.mark.parametrize("where", ["content/refunds.md", "content/billing/_category.yml", "kbgen.yml"])
def test_utf16_without_a_byte_order_mark_is_an_encoding_error_not_garbage(kb, where: str) -> None:
    text = {"content/refunds.md": "---\ntitle: Refunds\n---\nMoney back.\n",
            "content/billing/_category.yml": "title: Billing\n", "kbgen.yml": "site_name: Help\n"}[where]
    kb({**HOME, "content/billing/card.md": "# Card\n", where: text.encode("utf-16-le")})

    result = run("build")

    assert_no_crash(result.output)
    assert result.exit_code == 1
    assert f"{where}:1: " in result.output and "UTF-16 text, not UTF-8; re-save the file as UTF-8" in result.output
    assert not Path("site/refunds/index.html").exists()


def test_one_stray_zero_byte_is_still_read_as_utf8(kb) -> None:
    kb({**HOME, "content/refunds.md": b"# Refunds\n\nMoney\x00 back, in five days.\n"})

    result = run("build")

    assert result.exit_code == 0, result.output


def test_language_codes_that_are_not_codes_or_twice_are_config_errors_at_their_item(kb) -> None:
    kb({**HOME, "kbgen.yml": "site_name: Help\nlanguages:\n  - ../x\n  - ''\n  - en\n  - en\n"})

    result = run("build")

    assert_no_crash(result.output)
    assert result.exit_code == 1
    assert "kbgen.yml:3: error[config-invalid]: 'languages': expected a language code such as en or pt-BR, got " \
           "'../x'" in result.stderr
    Path("kbgen.yml").write_text("languages: [en, '', ru]\n", encoding="utf-8")
    assert "kbgen.yml:1: error[config-invalid]: 'languages': expected a language code" in run("build").stderr
    Path("kbgen.yml").write_text("languages:\n  - en\n  - ru\n  - en\n", encoding="utf-8")
    assert "kbgen.yml:4: error[config-invalid]: 'languages': 'en' is listed twice" in run("build").stderr
    Path("kbgen.yml").write_text("language: ../../etc\n", encoding="utf-8")
    assert "kbgen.yml:1: error[config-invalid]: 'language': expected a language code" in run("build").stderr


def test_a_language_the_theme_has_no_words_for_is_a_warning_naming_those_it_has(kb) -> None:
    kb({**HOME, "kbgen.yml": "site_name: Hilfe\nlanguage: de\n"})

    result = run("build")

    assert result.exit_code == 0
    assert "kbgen.yml:2: warning[unknown-language]: the theme has no words in 'de' (it speaks en, ru)" in result.stderr

    write = {"themes/brand/messages/de.yml": "search_placeholder: Suchen\n"}
    kb({**write, "kbgen.yml": "site_name: Hilfe\nlanguage: de\ntheme: brand\n"})
    assert "unknown-language" not in run("build").stderr


# --- Templates that fail while a page is being rendered ------------------------------------------------------------

ARTICLE_TEMPLATE = '{% extends "default/article.html" %}\n{% block main %}\n<p>ok</p>\n{{ BROKEN }}\n{% endblock %}\n'


@pytest.mark.parametrize(("broken", "said"), [
    ("{{ page.no_such_field.x }}", "no_such_field"),
    ("{{ 1 // 0 }}", "ZeroDivisionError"),
    ("{{ page.title | int + [] }}", "TypeError"),
    ('{% include "no-such-part.html" %}', "no-such-part.html"),
])
def test_a_template_that_fails_while_rendering_names_its_file_and_line(kb, broken: str, said: str) -> None:
    kb({**HOME, "content/refunds.md": "# Refunds\n", "kbgen.yml": "theme: brand\n",
        "themes/brand/templates/article.html": ARTICLE_TEMPLATE.replace("{{ BROKEN }}", broken)})

    result = run("build")

    assert_no_crash(result.output)
    assert result.exit_code == 1
    assert "themes/brand/templates/article.html:4: template error: " in result.output
    assert said in result.output


def test_a_template_error_in_the_preview_is_printed_in_the_terminal_too(kb) -> None:
    from serving import fetch

    from kbgen.pipeline import BuildOptions
    from kbgen.serve import Preview

    kb({**HOME, "content/refunds.md": "# Refunds\n", "kbgen.yml": "theme: brand\n",
        "themes/brand/templates/article.html": ARTICLE_TEMPLATE.replace("{{ BROKEN }}", "{{ page.nope.x }}")})
    lines: list[str] = []
    preview = Preview(BuildOptions(), port=0, log=lines.append).start()
    try:
        for _ in range(2):
            status, body = fetch(preview.url + "refunds/")
        overlay = preview.session.errors()
    finally:
        preview.stop()

    said = [line for line in lines if "themes/brand/templates/article.html:4: template error:" in line]
    assert len(said) == 1, lines  # once, not on every request
    assert any("article.html:4" in line for line in overlay)
    assert b"article.html:4: template error" in body


def test_a_broken_theme_404_page_in_the_preview_is_an_error_shown_not_replaced(kb) -> None:
    from serving import fetch

    from kbgen.pipeline import BuildOptions
    from kbgen.serve import Preview

    kb({**HOME, "kbgen.yml": "theme: brand\n",
        "themes/brand/templates/404.html": '{% extends "default/404.html" %}\n{% block main %}\n{{ nope.x }}\n'
                                           '{% endblock %}\n'})
    lines: list[str] = []
    preview = Preview(BuildOptions(), port=0, log=lines.append).start()
    try:
        status, body = fetch(preview.url + "no/such/page/")
    finally:
        preview.stop()

    assert status == 404
    assert b"404.html:3: template error: &#x27;nope&#x27; is undefined" in body
    assert b"Page not found" not in body  # not the default theme's page in its place
    assert any("themes/brand/templates/404.html:3: template error" in line for line in lines), lines


# --- Logs the report is pointed at (fixed with issue 17; kept here so the whole paragraph has its tests) ------------

@pytest.mark.parametrize(("name", "content", "warned"), [
    ("fake.log.gz", b"\x1f\x8b\x08\x00garbage, not deflate data at all", "fake.log.gz:1: the gzip data is damaged"),
    ("cut.log.gz", "gzip", "cut.log.gz:1: the gzip data is damaged"),
    ("big.csv", "csv", "big.csv:2: skipped 1 line longer than 64 KiB"),
    ("deep.jsonl", "json", "skipped 1 malformed line"),
])
def test_a_damaged_or_hostile_log_is_named_and_the_rest_still_counted(kb, name: str, content, warned: str) -> None:
    import gzip
    import json

    good_event = json.dumps({"e": "search", "q": "crypto", "n": 0, "l": "en", "t": 1_763_600_000})
    if content == "gzip":
        content = gzip.compress(LOG_LINE.encode() * 50)[:30]
    elif content == "csv":  # a field over the csv module's 128 KB limit, then a good row
        content = ("query,count\n" + "a" * 140_000 + ",3\ncrypto,2\n").encode()
    elif content == "json":  # under the line limit, deeper than Python's recursion limit
        content = ("[" * 30_000 + "]" * 30_000 + "\n" + good_event + "\n").encode()
    kb({**HOME, name: content, "access.log": LOG_LINE})

    result = run("report", name, "access.log", "--format", "json")

    assert_no_crash(result.output)
    assert result.exit_code == 0
    assert warned in result.stderr
    assert '"query": "crypto"' in result.stdout


# --- Found by tests/test_properties_crash.py -------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "said"), [("!!int x", "'x' is not a whole number"),
                                             ("!!bool maybe", "'maybe' is not true or false"),
                                             ("!!float 1:2:x", "'1:2:x' is not a number")])
def test_a_value_tagged_with_a_type_it_is_not_is_a_yaml_error_at_its_line(kb, value: str, said: str) -> None:
    kb({**HOME, "content/refunds.md": f"---\ntitle: Refunds\norder: {value}\n---\nText.\n",
        "kbgen.yml": f"site_name: Help\ndrafts: {value}\n"})

    result = run("build")

    assert_no_crash(result.output)
    assert f"kbgen.yml:2: error[config-syntax]: invalid YAML: {said}" in result.stderr
    Path("kbgen.yml").unlink()
    result = run("build")
    assert f"content/refunds.md:3: error[yaml-syntax]: front matter is not valid YAML: {said}" in result.stderr


def test_a_count_written_in_other_digits_is_a_malformed_row_or_event_not_a_crash(kb) -> None:
    kb({**HOME, "searches.csv": "query,count\nrefund,²\ncrypto,2\n",
        "access.log": LOG_LINE.replace("n=0", "n=%C2%B2") + LOG_LINE})

    result = run("report", "searches.csv", "access.log", "--format", "json")

    assert_no_crash(result.output)
    assert result.exit_code == 0
    assert '"malformed_lines": 2' in result.stdout


def test_a_beacon_count_in_other_digits_is_not_a_traceback_in_the_preview(preview, capfd) -> None:
    from serving import fetch

    status, _ = fetch(preview.url + "_kb/e.gif?v=1&e=search&q=x&n=%C2%B2&l=en")

    assert status == 200 and "Traceback" not in capfd.readouterr().err


def test_a_theme_or_code_style_that_does_not_exist_is_a_config_error_at_its_line(kb) -> None:
    kb({**HOME, "kbgen.yml": "site_name: Help\ntheme: brand\nhighlight_style: no-such-style\n"})

    result = run("build")

    assert result.exit_code == 1
    assert "kbgen.yml:2: error[config-invalid]: 'theme': no folder themes/brand/ next to kbgen.yml" in result.stderr
    assert "kbgen.yml:3: error[config-invalid]: 'highlight_style': Pygments has no style 'no-such-style'" in \
           result.stderr


def test_a_theme_named_by_a_path_out_of_themes_is_a_config_error(kb) -> None:
    """`theme: /etc` or `..` exists as a folder, but a theme is a folder *in* themes/: nothing outside it is read."""
    for theme in ("/etc", "..", "../content"):
        kb({**HOME, "kbgen.yml": f"site_name: Help\ntheme: '{theme}'\n"})

        result = run("build")

        assert result.exit_code == 1, theme
        assert f"kbgen.yml:2: error[config-invalid]: 'theme': '{theme}' is not the name of a folder in themes/" in \
               result.stderr


def test_an_article_in_a_language_the_theme_has_no_words_for_is_a_warning_at_its_lang_line(kb) -> None:
    kb({**HOME, "content/preise.md": "---\ntitle: Preise\nlang: de\n---\nText.\n",
        "content/prices.md": "---\ntitle: Prices\nlang: ru\n---\nText.\n"})

    result = run("build")

    assert result.exit_code == 0
    assert "content/preise.md:3: warning[unknown-language]: the theme has no words in 'de' (it speaks en, ru)" in \
           result.stderr
    assert "content/prices.md" not in result.stderr
