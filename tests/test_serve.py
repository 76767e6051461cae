"""`kbgen serve` without a browser: preview equals build, each kind of save rebuilds the right pages, the server
serves only the site, and the beacon appends events."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, run
from serving import GOLDEN_SOURCE, edit, fetch, next_epoch, wait_for

from kbgen.output.ownership import SITE_MARKER
from kbgen.pipeline import BuildOptions
from kbgen.render.analytics import BEACON_GIF
from kbgen.serve import Preview
from kbgen.serve.plan import plan_changes
from kbgen.serve.server import site_path
from kbgen.serve.session import PreviewSession

# -- the preview shows what the build writes ---------------------------------------------------------------------


def test_every_previewed_file_is_byte_for_byte_the_built_one(preview) -> None:
    assert_preview_is_the_build(preview.session, preview.root)


def test_the_repos_own_two_language_help_centre_previews_as_it_builds(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "help"
    for name in ("content", "themes"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "kbgen.yml", root / "kbgen.yml")
    monkeypatch.chdir(root)
    session = PreviewSession(BuildOptions(), log=lambda line: None)
    assert session.errors() == []
    assert_preview_is_the_build(session, root)


def test_after_each_save_the_preview_still_equals_a_fresh_build(preview) -> None:
    content = preview.root / "content"
    saves = [
        lambda: edit(content / "billing/refunds.md", "refunds unused months.",
                     "refunds unused months. See [invoices](invoices.md)."),  # a new link: "related" lists change
        lambda: edit(content / "billing/invoices.md", "# Invoices", "# Bills"),  # a title: listings, neighbours
        lambda: (content / "billing/disputes.md").write_text("# Disputes\n\nCall us.\n", encoding="utf-8"),
        lambda: (content / "getting-started/faq.md").unlink(),
    ]
    for save in saves:
        for path in list(preview.session.routes):  # every page cached, so what a save forgets is what is tested
            preview.session.page(path)
        before = preview.session.epoch
        save()
        next_epoch(preview, before)
        assert_preview_is_the_build(preview.session, preview.root)


def assert_preview_is_the_build(session: PreviewSession, root: Path) -> None:
    """Every file `kbgen build` writes is served by the preview with the very same bytes (but the marker that lists
    them: the build's record of what it wrote, not a file of the site)."""
    assert run("build").exit_code == 0
    built = root / "site"
    files = [p for p in built.rglob("*") if p.is_file() and p.name != SITE_MARKER]
    assert len(files) > 10
    for path in files:
        rel = path.relative_to(built).as_posix()
        page = session.page(rel)
        if page is not None:
            assert page.encode("utf-8") == path.read_bytes(), rel
        else:
            extra = session.extra(rel)
            assert extra is not None, rel
            data = extra.read_bytes() if isinstance(extra, Path) else extra
            assert data == path.read_bytes(), rel


def test_served_html_carries_the_live_script_and_the_built_site_does_not(preview) -> None:
    status, body = fetch(preview.url + "billing/refunds/")
    assert status == 200
    assert b'<script src="/_kb/live.js"' in body
    assert run("build").exit_code == 0
    assert b"_kb/live" not in (preview.root / "site/billing/refunds/index.html").read_bytes()
    status, script = fetch(preview.url + "_kb/live.js")
    assert status == 200 and b"EventSource" in script


# -- classifying changes -----------------------------------------------------------------------------------------

CASES = [
    # (touched path, what the plan must say)
    ("content/billing/refunds.md", {"articles": {"billing/refunds.md"}}),
    ("content/billing/_category.yml", {"structure": True}),
    ("content/_snippets/contact.md", {"snippets": True}),
    ("themes/acme/templates/base.html", {"theme": True}),
    ("kbgen.yml", {"config": True}),
    ("content/billing/.refunds.md.swp", {}),
    ("content/billing/refunds.md~", {}),
    ("content/billing/4913", {}),
    ("content/billing/gone.md", {"structure": True}),  # not on disk: deleted
]


@pytest.mark.parametrize(("touched", "expected"), CASES)
def test_each_kind_of_save_gets_the_least_rebuild(tmp_path: Path, touched: str, expected: dict) -> None:
    (tmp_path / "content/billing").mkdir(parents=True)
    (tmp_path / "content/billing/refunds.md").write_text("# Refunds\n")
    plan = plan_changes([tmp_path / touched], [], tmp_path / "kbgen.yml", tmp_path / "content",
                        [tmp_path / "themes"])
    found = {k: v for k, v in vars(plan).items() if v}
    assert found == expected


def test_a_rename_is_planned_as_a_move_the_tab_can_follow(tmp_path: Path) -> None:
    content = tmp_path / "content"
    plan = plan_changes([content / "a/new.md"], [(content / "a/old.md", content / "a/new.md")],
                        tmp_path / "kbgen.yml", content, [])
    assert plan.moved == {"a/old.md": "a/new.md"}


# -- rebuilding the least that is correct ------------------------------------------------------------------------


def test_a_body_edit_rerenders_that_article_and_keeps_unrelated_pages(preview) -> None:
    session = preview.session
    unrelated = session.page("getting-started/create-account/index.html")
    before = session.epoch
    edit(preview.root / "content/billing/refunds.md", "refunds unused months", "refunds every unused month")
    next_epoch(preview, before)
    assert "refunds every unused month" in session.page("billing/refunds/index.html")
    assert "getting-started/create-account/index.html" in session._pages  # not thrown away
    assert session.page("getting-started/create-account/index.html") is unrelated
    assert any("1 article changed" in line for line in preview.log)


def test_renaming_a_category_folder_tells_open_tabs_where_its_articles_went(preview) -> None:
    before = preview.session.epoch
    os.rename(preview.root / "content/billing", preview.root / "content/payments")
    wait_for(lambda: "payments/refunds/index.html" in preview.session.routes, what="the folder to be placed")
    update = preview.session.wait(before, timeout=1)
    assert update.moved["/billing/refunds/"] == "/payments/refunds/"
    assert fetch(preview.url + "billing/refunds/")[0] == 404
    assert fetch(preview.url + "payments/refunds/")[0] == 200


def test_a_broken_front_matter_keeps_the_last_good_page_and_reports_path_and_line(preview) -> None:
    session = preview.session
    path = preview.root / "content/billing/refunds.md"
    good = path.read_text(encoding="utf-8")
    before = session.epoch
    path.write_text(good.replace("tags: [account, money]", "tags: [account, money"), encoding="utf-8")
    before = next_epoch(preview, before)
    assert "refunds unused months" in session.page("billing/refunds/index.html")
    errors = session.errors()
    assert len(errors) == 1 and errors[0].startswith("content/billing/refunds.md:") and "yaml-syntax" in errors[0]
    assert errors[0] in preview.log  # the terminal says the same
    path.write_text(good.replace("refunds unused months", "refunds fixed months"), encoding="utf-8")
    next_epoch(preview, before)
    assert session.errors() == []
    assert "refunds fixed months" in session.page("billing/refunds/index.html")


def test_an_article_saved_over_the_size_limit_is_an_error_in_the_page_and_the_last_good_one_stays(preview) -> None:
    session = preview.session
    path = preview.root / "content/billing/refunds.md"
    good = path.read_text(encoding="utf-8")
    before = session.epoch
    with open(path, "r+b") as f:  # sparse: 6 MB to `stat`, nothing read past the 5 MB limit
        f.truncate(6_000_000)
    before = next_epoch(preview, before)
    assert "refunds unused months" in session.page("billing/refunds/index.html")
    assert any(e.startswith("content/billing/refunds.md:1: error[file-too-large]") for e in session.errors())
    path.write_text(good, encoding="utf-8")
    next_epoch(preview, before)
    assert session.errors() == []


def test_a_broken_config_is_shown_and_the_server_keeps_running(preview) -> None:
    session = preview.session
    config = preview.root / "kbgen.yml"
    good = config.read_text(encoding="utf-8")
    before = session.epoch
    config.write_text(good + "variables: [\n", encoding="utf-8")
    before = next_epoch(preview, before)
    assert any("kbgen.yml:" in e and "config-syntax" in e for e in session.errors())
    assert fetch(preview.url + "billing/refunds/")[0] == 200
    config.write_text(good.replace("Acme Help", "Acme Support"), encoding="utf-8")
    next_epoch(preview, before)
    assert session.errors() == []
    assert "Acme Support" in fetch(preview.url)[1].decode()


def test_styles_are_served_without_waiting_for_the_search_index(preview) -> None:
    assert fetch(preview.url + "assets/kbgen.css")[0] == 200
    assert "search/manifest.js" not in preview.session._extras.files  # not made: nobody searched yet
    status, manifest = fetch(preview.url + "search/manifest.js")
    assert status == 200 and manifest.startswith(b"__kbgenSearch(")


def test_the_search_index_follows_a_body_edit(preview) -> None:
    before = preview.session.epoch
    assert b"zebra" not in b"".join(fetch(preview.url + f"search/{name}")[1] for name in _shards(preview))
    edit(preview.root / "content/billing/refunds.md", "refunds unused months", "refunds unused zebra months")
    next_epoch(preview, before)
    assert b"zebra" in b"".join(fetch(preview.url + f"search/{name}")[1] for name in _shards(preview))


def _shards(preview) -> list[str]:
    manifest = fetch(preview.url + "search/manifest.js")[1].decode()
    return [f"{name}.js" for name in re.findall(r'"(s/[0-9a-z]+)"', manifest)]


def test_a_broken_template_keeps_the_last_good_page_and_names_file_and_line(preview) -> None:
    session = preview.session
    template = preview.root / "themes/acme/templates/article.html"
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "default/article.html" %}\n', encoding="utf-8")
    config = preview.root / "kbgen.yml"
    before = session.epoch
    config.write_text(config.read_text(encoding="utf-8") + "theme: acme\n", encoding="utf-8")
    before = next_epoch(preview, before)
    good = session.page("billing/refunds/index.html")
    template.write_text('{% extends "default/article.html" %}\n{% block main %}{{ page.title }\n', encoding="utf-8")
    before = next_epoch(preview, before)
    assert session.page("billing/refunds/index.html") == good
    assert any(re.search(r"article\.html:\d+: template error", e) for e in session.errors()), session.errors()
    template.write_text('{% extends "default/article.html" %}\n{% block main %}Fixed{% endblock %}\n',
                        encoding="utf-8")
    next_epoch(preview, before)
    assert "Fixed" in session.page("billing/refunds/index.html")
    assert session.errors() == []


# -- the server serves only the site -----------------------------------------------------------------------------

@pytest.mark.parametrize("url_path", ["/../kbgen.yml", "/%2e%2e/kbgen.yml", "/%2E%2E/%2e%2e/secret.txt",
                                      "/billing/../../kbgen.yml", "//etc/passwd", "/%2Fetc%2Fpasswd",
                                      "/..%2fkbgen.yml", "/billing%5c..%5c..%5ckbgen.yml", "/%00"])
def test_traversal_gets_404_and_reads_nothing_outside_the_site(preview, url_path: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", preview.server.server_address[1], timeout=5)
    try:
        conn.request("GET", url_path)  # sent as is: urllib would tidy the path up first
        response = conn.getresponse()
        status, body = response.status, response.read()
    finally:
        conn.close()
    assert status == 404
    assert b"site_name:" not in body and b"root:x" not in body  # neither kbgen.yml nor /etc/passwd
    assert site_path(url_path) is None or site_path(url_path) not in ("kbgen.yml", "etc/passwd")


def test_a_symlink_out_of_the_content_folder_is_not_served(preview, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve")
    before = preview.session.epoch
    os.symlink(secret, preview.root / "content/billing/leak.txt")
    next_epoch(preview, before)
    assert "billing/leak.txt" not in preview.session.files.static
    assert any(d.code == "symlink-outside" and d.path.endswith("content/billing/leak.txt")
               for d in preview.session.diagnostics())
    status, body = fetch(preview.url + "billing/leak.txt")
    assert status == 404 and b"do not serve" not in body


def test_a_content_link_to_the_config_is_not_served(preview) -> None:
    """The server's own guard, behind the content rule: a site file is served only from the content or the
    theme folders, never from the rest of the project, even if it were listed."""
    config = (preview.root / "kbgen.yml").read_bytes()
    before = preview.session.epoch
    os.symlink(preview.root / "kbgen.yml", preview.root / "content/billing/settings.yml")
    next_epoch(preview, before)
    status, body = fetch(preview.url + "billing/settings.yml")
    assert status == 404 and config[:30] not in body
    preview.session.files.static.append("billing/settings.yml")  # as if listed: the server still refuses it
    preview.session._extras = None
    status, body = fetch(preview.url + "billing/settings.yml")
    assert status == 404 and config[:30] not in body


def test_only_get_head_and_the_beacon_are_answered(preview) -> None:
    assert fetch(preview.url + "billing/refunds/", method="HEAD") == (200, b"")
    assert fetch(preview.url + "billing/refunds/", method="POST")[0] == 405
    assert fetch(preview.url + "billing")[0] == 200  # redirected to billing/
    assert fetch(preview.url + "no/such/page/")[0] == 404


def test_the_beacon_appends_events_within_size_limits(preview) -> None:
    events = preview.root / ".kbgen/events.jsonl"
    search = "v=1&e=search&q=%D0%B2%D0%BE%D0%B7%D0%B2%D1%80%D0%B0%D1%82&n=0&l=ru"
    assert fetch(preview.url + "_kb/e.gif?" + search) == (200, BEACON_GIF)
    assert fetch(preview.url + "_kb/e.gif?v=1&e=vote&u=billing%2Frefunds%2F&h=0", method="POST")[0] == 200
    assert fetch(preview.url + "_kb/e.gif?v=1&e=search&n=1&l=en&q=" + "x" * 5000)[0] == 200  # answered, not kept
    lines = [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines()]
    assert [(e["e"], e.get("q"), e.get("h")) for e in lines] == [("search", "возврат", None), ("vote", None, False)]


def test_a_missing_page_gets_the_404_page_of_its_language(tmp_path: Path, kb) -> None:
    kb({"kbgen.yml": "languages: [en, ru]\n",
        "content/en/billing/refunds.md": "# Refunds\n\nMoney back.\n",
        "content/ru/billing/refunds.md": "---\nlang: ru\n---\n# Возвраты\n\nДеньги назад.\n"})
    running = Preview(BuildOptions(), port=0, log=lambda line: None).start()
    try:
        status, body = fetch(running.url + "ru/no/such/page/")
        assert status == 404 and b'lang="ru"' in body
        status, body = fetch(running.url + "en/no/such/page/")
        assert status == 404 and b'lang="en"' in body
    finally:
        running.stop()


def test_a_missing_page_of_a_site_published_under_a_path_links_to_the_preview(tmp_path: Path, kb) -> None:
    """`base_url: …/help/`: the published 404 page says it lives under /help/, but the preview serves the site at its
    root, so there its links (styles, home) must start at /."""
    kb({"kbgen.yml": "base_url: https://example.com/help/\n",
        "content/billing/refunds.md": "# Refunds\n\nMoney back.\n"})
    running = Preview(BuildOptions(), port=0, log=lambda line: None).start()
    try:
        status, body = fetch(running.url + "no/such/page/")
        assert status == 404 and b'<base href="/">' in body
        stylesheet = re.search(rb'<link rel="stylesheet" href="([^"]+)"', body).group(1).decode()
        assert fetch(running.url + stylesheet)[0] == 200  # resolved against that base, as a browser does
    finally:
        running.stop()
    assert run("build").exit_code == 0
    assert '<base href="/help/">' in (tmp_path / "site/404.html").read_text(encoding="utf-8")  # the published page


def test_with_analytics_off_the_preview_records_nothing(preview) -> None:
    config = preview.root / "kbgen.yml"
    before = preview.session.epoch
    config.write_text(config.read_text(encoding="utf-8") + "analytics: false\n", encoding="utf-8")
    next_epoch(preview, before)
    assert fetch(preview.url + "_kb/e.gif?v=1&e=vote&u=billing%2Frefunds%2F&h=1")[0] == 404
    assert not (preview.root / ".kbgen/events.jsonl").exists()


def test_live_channel_tells_a_tab_to_swap_its_main_on_a_body_edit(preview) -> None:
    session = preview.session
    conn = http.client.HTTPConnection("127.0.0.1", preview.server.server_address[1], timeout=5)
    try:
        conn.request("GET", f"/_kb/live?path=/billing/refunds/&epoch={session.epoch}")
        stream = conn.getresponse()
        first = json.loads(stream.readline().decode()[len("data: "):])
        assert first["errors"] == []
        stream.readline()
        edit(preview.root / "content/billing/refunds.md", "refunds unused months", "refunds live months")
        message = json.loads(wait_for(stream.readline, what="an SSE message").decode()[len("data: "):])
    finally:
        conn.close()
    assert "refunds live months" in message["main"]
    assert "Refunds" in message["title"]


def test_kbgen_serve_from_the_command_line_binds_localhost_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    shutil.copytree(GOLDEN_SOURCE, tmp_path / "kb")
    # Ctrl-C in a terminal: SIGINT as the shell leaves it for a foreground command. A test run started in the
    # background (`cmd &` in a script) ignores SIGINT, and a child inherits that, so it is reset here.
    proc = subprocess.Popen([sys.executable, "-m", "kbgen", "serve", "--port", "0"], cwd=tmp_path / "kb",
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        banner = proc.stderr.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", banner)
        assert url, banner
        status, body = fetch(url.group(0) + "billing/refunds/")
        assert status == 200 and b"Refunds" in body
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()  # so a hang fails this test alone, not the next ones too
            proc.wait()
            raise
        finally:
            proc.stderr.close()
        assert code == 0
    assert not (tmp_path / "kb/site").exists()  # the preview lives in memory; `kbgen build` writes site/
