"""Search from the writer's side: build a small KB, ask `kbgen search`, keep `search_tests` green, and check that
the browser's engine (search-core.js in Node) ranks exactly as the command line does."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CORPORA, REPO, files_under, run

from kbgen.search.analysis import words
from kbgen.search.engine import SearchIndex

NODE = shutil.which("node")
DRIVER = REPO / "tests" / "search_node.js"

KB = {
    "content/account/reset-password.md": """\
        ---
        title: Reset your password
        keywords: [login problems]
        ---
        If you forgot your password, open the sign-in page.

        ## Use the email link

        We send a link that works for one hour.
        """,
    "content/billing/refunds.md": """\
        ---
        title: Refunds
        keywords: [money back, возврат]
        ---
        Ask for a refund within 30 days.
        """,
    "content/ru/stati.md": """\
        ---
        title: Как писать
        ---
        Эта статья о том, как писать для базы знаний.
        """,
    "content/hidden.md": """\
        ---
        title: Internal password policy
        search: false
        ---
        Password rules for staff.
        """,
}


def _hits(*args: str) -> list[dict]:
    result = run("search", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_reader_words_find_their_article(kb) -> None:
    kb(KB)
    assert run("build").exit_code == 0
    assert [h["key"] for h in _hits("pasword")][:1] == ["account/reset-password.md"]  # one typo
    assert [h["key"] for h in _hits("статьями")] == ["ru/stati.md"]  # another form of "статья"
    assert [h["key"] for h in _hits("статьёй")] == ["ru/stati.md"]  # stemmed, though no article has the form
    assert [h["key"] for h in _hits("refunding")] == ["billing/refunds.md"]
    assert [h["key"] for h in _hits("money back")] == ["billing/refunds.md"]  # the writer's synonym
    assert [h["key"] for h in _hits("возврат")] == ["billing/refunds.md"]
    assert "hidden.md" not in [h["key"] for h in _hits("password")]  # search: false


#: A small help centre: articles that say "how do I" often, and the one that answers the question.
QUESTIONS = {
    "content/deploy/netlify.md": "---\ntitle: Netlify\n---\nPublish the site on Netlify with a netlify.toml.\n",
    "content/faq.md": "---\ntitle: Common questions\n---\n" + "".join(
        f"## How do I {task}?\n\nHow do I {task}? You can do it in the settings, and I do it daily.\n\n"
        for task in ("publish a draft", "link articles", "add images", "rename a page")) + "Or publish on Netlify.\n",
    "content/boards/arduino.md": "---\ntitle: Arduino boards\n---\nWhich Arduino board to buy; the grid of pins.\n",
    "content/js/promises.md": "---\ntitle: Промисы\n---\nПромисы помогают писать асинхронный код.\n",
}


def test_typos_anywhere_in_a_word_are_corrected(kb) -> None:
    """Swapped or wrong first letters too, on the command line and in the browser alike, with a "did you mean"."""
    kb(QUESTIONS)
    assert run("build").exit_code == 0
    cases = {"adruino": "boards/arduino.md", "grdi": "boards/arduino.md", "прмоисы": "js/promises.md",
             "пормисы": "js/promises.md", "rduino": "boards/arduino.md", "netlfy": "deploy/netlify.md"}
    for query, key in cases.items():
        assert [h["key"] for h in _hits(query)][:1] == [key], query
    index = SearchIndex.from_folder(kb.root / "site" / "search")
    assert index.search("adruino boards").suggestion == "arduino boards"
    assert index.search("прмоисы").suggestion == "промисы"
    if NODE is not None:
        folder = kb.root / "site" / "search"
        assert node_top(folder, [(q, q) for q in cases], False) == {
            q: [h.doc for h in index.search(q).hits[:10]] for q in cases}


def test_question_words_do_not_outweigh_the_subject(kb) -> None:
    kb(QUESTIONS)
    assert run("build").exit_code == 0
    for query in ("how do I publish to netlfy", "how do I publish to netlify", "can I publish on netlify?"):
        assert [h["key"] for h in _hits(query)][:1] == ["deploy/netlify.md"], query
    assert [h["key"] for h in _hits("how do I")][:1] == ["faq.md"]  # alone, question words are the subject


#: Russian participles keep a stem of their own (отложенный → отложен, отложить → отлож).
PARTICIPLES = {
    "content/delay.md": "---\ntitle: Таймер\n---\nОтложенный вызов функции через заданное время.\n",
    "content/later.md": "---\ntitle: Заметки\n---\nЧто отложить на потом.\n",
}


def test_a_russian_word_finds_the_participle_of_its_stem(kb) -> None:
    """`отложить` finds the article that only says «отложенный», after the one with the word itself."""
    kb(PARTICIPLES)
    assert run("build").exit_code == 0
    assert [h["key"] for h in _hits("отложить")] == ["later.md", "delay.md"]
    assert [h["key"] for h in _hits("как отложить вызов функции")][:1] == ["delay.md"]
    if NODE is not None:
        folder = kb.root / "site" / "search"
        index = SearchIndex.from_folder(folder)
        queries = ("отложить", "как отложить вызов функции")
        assert node_top(folder, [(q, q) for q in queries], False) == {
            q: [h.doc for h in index.search(q).hits[:10]] for q in queries}


#: One article named after the subject; another whose long title mentions the same words among many others and
#: whose text says them more often.
TITLES = {
    "content/reset.md": "---\ntitle: Password reset\n---\nOpen the sign-in page and follow the password reset link.\n",
    "content/office.md": """\
        ---
        title: Why the office network asks for a password reset every month, and what else changes
        ---
        The office network asks for a password reset every month. A password reset keeps the network safe; the reset
        link comes by email, and the new password works at once. Reset the password before the month ends: a late
        password reset locks the account.
        """,
}


def test_an_article_named_after_the_subject_ranks_above_a_long_title_that_mentions_it(kb) -> None:
    """Both titles have the reader's words; only one is about nothing else (issue 22: the title names the
    subject), in the command line and the browser alike."""
    kb(TITLES)
    assert run("build").exit_code == 0
    queries = ("password reset", "how do I reset my password")
    for query in queries:
        assert [h["key"] for h in _hits(query)] == ["reset.md", "office.md"], query
    if NODE is not None:
        folder = kb.root / "site" / "search"
        index = SearchIndex.from_folder(folder)
        assert node_top(folder, [(q, q) for q in queries], False) == {
            q: [h.doc for h in index.search(q).hits[:10]] for q in queries}


#: Pairs of articles alike in all but the form of one word; the last makes "дела" a stem of more than 36 words.
FORMS = {
    "content/printers.md": "---\ntitle: Office network, part one\n---\nConnect printers to the office network.\n",
    "content/printer.md": "---\ntitle: Office network, part two\n---\nConnect the printer to the office network.\n",
    "content/statyu.md": "---\ntitle: Заметка один\n---\nКак найти статью в базе знаний.\n",
    "content/stati.md": "---\ntitle: Заметка два\n---\nКак найти статьи в базе знаний.\n",
    "content/delali.md": "---\ntitle: Отчёт один\n---\nЧто делали в прошлом году.\n",
    "content/delayuschimi.md": "---\ntitle: Отчёт два\n---\nЧто делающими в прошлом году.\n",
    "content/verb.md": "---\ntitle: Глагол\n---\n" + " ".join("дела" + end for end in (
        "ть ю ешь ет ем ете ют л ла ло й йте ющий ющего ющему ющим ющем ющая ющей ющую ющее ющие ющих вший вшего "
        "вшему вшим вшем вшая вшей вшую вшее вшие вших вшими емый емого емому емым емом емая").split()) + "\n",
}


def test_a_word_as_typed_ranks_above_another_form_of_it(kb) -> None:
    """Both articles of a pair match through the stem; the one that uses the reader's own word comes first,
    in English, in Russian, and for a stem with more than 36 words (two-digit marks in the postings)."""
    kb(FORMS)
    assert run("build").exit_code == 0
    cases = {"printer": ("printer.md", "printers.md"), "printers": ("printers.md", "printer.md"),
             "статьи": ("stati.md", "statyu.md"), "статью": ("statyu.md", "stati.md"),
             "делали": ("delali.md", "delayuschimi.md"), "делающими": ("delayuschimi.md", "delali.md")}
    for query, (typed, other) in cases.items():
        keys = [h["key"] for h in _hits(query)]
        assert typed in keys and other in keys, (query, keys)  # the other form still matches
        assert keys.index(typed) < keys.index(other), (query, keys)
    if NODE is not None:
        folder = kb.root / "site" / "search"
        index = SearchIndex.from_folder(folder)
        browser = node_top(folder, [(q, q) for q in cases], False)
        assert browser == {q: [h.doc for h in index.search(q).hits[:10]] for q in cases}


def test_search_builds_the_index_when_there_is_none(kb) -> None:
    kb(KB)
    hits = _hits("refund")
    assert hits[0]["url"] == "billing/refunds/" and hits[0]["title"] == "Refunds"


def test_search_rebuilds_an_index_of_an_older_format(kb) -> None:
    """After an upgrade, `kbgen search` does not rank with data the engine no longer reads the same way."""
    kb(KB)
    assert run("build").exit_code == 0
    state = kb.root / ".kbgen" / "search" / "en" / "state.json"
    data = json.loads(state.read_text(encoding="utf-8"))
    current = data["version"]
    data["version"] = "0.0"
    state.write_text(json.dumps(data), encoding="utf-8")
    assert [h["key"] for h in _hits("refund")] == ["billing/refunds.md"]
    assert json.loads(state.read_text(encoding="utf-8"))["version"] == current


def test_batch_prints_a_trec_run(kb) -> None:
    kb(KB | {"queries.tsv": "q1\tpassword reset\nq2\trefund\n"})
    result = run("search", "--batch", "queries.tsv")
    assert result.exit_code == 0
    lines = [line.split() for line in result.output.splitlines()]
    assert lines[0][:4] == ["q1", "Q0", "account/reset-password", "1"]
    assert ["q2", "Q0", "billing/refunds", "1"] == [*lines[-1][:4]]
    assert all(len(line) == 6 and line[5] == "kbgen" for line in lines)


def test_a_failing_search_test_fails_check_naming_the_query(kb) -> None:
    kb(KB | {"kbgen.yml": """\
        search_tests:
          - {query: forgot password, expect: account/reset-password.md, top: 1}
          - {query: refund, expect: account/reset-password, top: 1}
        """})
    result = run("check")
    assert result.exit_code == 1
    assert "kbgen.yml:3: error[search-test]: search for 'refund' should show account/reset-password.md" \
        in result.output
    assert "forgot password" not in result.output


def test_a_build_checks_its_search_tests_on_the_index_it_exports(kb, monkeypatch) -> None:
    """The tests rank against the index the build writes, not a second one made for them; a failing test fails
    the build, naming the query, and the last good site stays as it was."""
    from kbgen.search import export as export_module

    kb(KB | {"kbgen.yml": "search_tests:\n  - {query: forgot password, expect: account/reset-password.md}\n"})
    inversions = []
    invert = export_module._invert
    monkeypatch.setattr(export_module, "_invert", lambda *a: inversions.append(1) or invert(*a))
    assert run("build").exit_code == 0
    assert len(inversions) == 1  # one export, which the test ran against
    good = files_under(kb.root / "site")
    (kb.root / "kbgen.yml").write_text("search_tests:\n  - {query: refund, expect: account/reset-password, top: 1}\n",
                                       encoding="utf-8")
    result = run("build")
    assert result.exit_code == 1
    assert "kbgen.yml:2: error[search-test]: search for 'refund' should show account/reset-password.md" \
        in result.output
    assert files_under(kb.root / "site") == good


def test_search_can_be_switched_off(kb) -> None:
    kb(KB | {"kbgen.yml": "search: false\n"})
    assert run("build").exit_code == 0
    assert not (kb.root / "site" / "search").exists()
    page = (kb.root / "site" / "billing" / "refunds" / "index.html").read_text(encoding="utf-8")
    assert "search-core.js" not in page and 'role="search"' not in page


def test_adding_an_article_rewrites_only_the_shards_it_touches(kb) -> None:
    files = {f"content/topic-{i}.md": f"---\ntitle: Topic {i}\n---\n" + " ".join(f"{c}{i}" for c in "abdeghk")
             for i in range(400)}
    kb(files)
    assert run("build").exit_code == 0
    shards = kb.root / "site" / "search" / "s"  # named by their content's hash
    before = {p.name for p in shards.iterdir()}
    assert len(before) > 10
    kb({"content/zebra.md": "---\ntitle: Zebra crossing\n---\nzebra stripes\n"})
    assert run("build").exit_code == 0
    after = {p.name for p in shards.iterdir()}
    # the shards of "zebra", "crossing" and "stripes" (one may split in two as it grows); the rest stay
    assert 1 <= len(after - before) <= 4
    assert len(before - after) <= 3


TRICKY = "Ёлка, naïve café — e-mail: x_y@z.io 3D-печать Straße ǅemal İstanbul ١٢٣ ½"


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_browser_tokeniser_matches_python() -> None:
    script = ("const c=require(process.argv[1]);process.stdout.write(JSON.stringify(c.words(c.normalise("
              "process.argv[2]))))")
    core = str(REPO / "kbgen" / "themes" / "default" / "assets" / "search-core.js")
    out = subprocess.run([NODE, "-e", script, core, TRICKY], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == words(TRICKY)


def node_top(folder: Path, queries: list[tuple[str, str]], typing: bool, limit: int = 10) -> dict:
    request = json.dumps({"queries": queries, "typing": typing, "limit": limit})
    out = subprocess.run([NODE, str(DRIVER), str(folder)], input=request, capture_output=True, text=True,
                         check=True).stdout
    return {q: [doc for doc, _ in hits] for q, hits in json.loads(out)["results"].items()}


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.skipif(not (CORPORA / "med").is_dir(), reason="../shared/corpora is not here")
def test_browser_engine_ranks_exactly_as_the_command_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").symlink_to(CORPORA / "med" / "articles")
    assert run("build", "-q").exit_code == 0
    folder = tmp_path / "site" / "search"
    queries = [tuple(line.split("\t")[:2]) for line in
               (CORPORA / "med" / "queries.tsv").read_text(encoding="utf-8").splitlines()]
    typed = [(f"{qid}-typed", " ".join(q.split()[:3])[:-2]) for qid, q in queries]
    typos = [(f"{qid}-typo", q.split()[0][:1] + q.split()[0][2:]) for qid, q in queries]
    index = SearchIndex.from_folder(folder)
    for group, typing in ((queries, False), (typed, True), (typos, False)):
        browser = node_top(folder, group, typing)
        for qid, q in group:
            assert browser[qid] == [h.doc for h in index.search(q, typing).hits[:10]], q
