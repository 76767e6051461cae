"""A KB owner points `kbgen report` at whatever the server left behind — a gzip bomb, a line without end, an essay
pasted into the search box, months of one-off searches — and gets a report in seconds, with the junk named.

Each hostile log runs in a real `kbgen report` process with a generous timeout, so a regression fails instead of
hanging CI (issue 17). The times and memory measured by hand are in the commit messages, not asserted here.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

from report_helpers import report_json

from kbgen.render.analytics import MAX_TEXT
from kbgen.report.gaps import MAX_LISTED

KB = {
    "kbgen.yml": "site_name: Help\n",
    "content/billing/refunds.md": "---\ntitle: Refunds\nupdated: 2026-11-01\n---\nHow to get a refund for a card "
                                  "payment.\n",
}


def beacon(query: str) -> str:
    return f'203.0.113.9 - - [20/Nov/2026:10:00:00 +0000] "GET /_kb/e.gif?{query}&v=1 HTTP/1.1" 200 43 "-" "UA"\n'


def report_process(root: Path, *args: str) -> tuple[dict, str]:
    """`kbgen report --format json ARGS` as its own process, as a user runs it: (the report, what it warned)."""
    done = subprocess.run([sys.executable, "-m", "kbgen", "report", "--format", "json", *args], cwd=root,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def test_a_gzip_that_expands_to_one_endless_line_is_named_and_the_rest_of_it_not_read(kb, tmp_path) -> None:
    """About 1 MB on disk, a gigabyte of one line inflated: the report stops inflating it after 16 MiB."""
    kb(KB)
    log = tmp_path / "access.log.gz"
    megabyte_of_a = gzip.compress(b"A" * 2**20, compresslevel=9)
    with log.open("wb") as f:
        f.write(gzip.compress(beacon("e=search&q=crypto&n=0&l=en").encode()))
        f.write(megabyte_of_a * 1000)  # gzip members one after another are one stream: 1,000 MiB, no line break
        f.write(gzip.compress(b"\n" + beacon("e=search&q=laser&n=0&l=en").encode()))
    assert log.stat().st_size < 2**21

    data, stderr = report_process(tmp_path, str(log))
    assert f"{log}:2: a line runs on for more than 16 MiB without a line break; the rest of the file is not " \
           "read" in stderr
    assert [q["query"] for q in data["zero_result_queries"]] == ["crypto"]


def test_over_long_lines_are_skipped_counted_and_named_once_per_file(kb, tmp_path) -> None:
    kb(KB)
    log = tmp_path / "access.log"
    junk = "x" * 100_000 + "\n"
    log.write_text(beacon("e=search&q=crypto&n=0&l=en") + junk + beacon("e=search&q=laser&n=0&l=en") + junk
                   + beacon("e=search&q=crypto&n=0&l=en"), encoding="utf-8")

    data, stderr = report_process(tmp_path, str(log))
    assert f"{log}:2: skipped 2 lines longer than 64 KiB (the first is line 2)" in stderr
    assert stderr.count("longer than 64 KiB") == 1
    assert data["summary"]["too_long_lines"] == 2 and data["summary"]["lines_read"] == 5
    assert {q["query"]: q["count"] for q in data["zero_result_queries"]} == {"crypto": 2, "laser": 1}


def test_an_essay_pasted_into_the_search_box_is_cut_before_anything_looks_at_it(kb, tmp_path) -> None:
    """A 60 KB word fits in a line and is kept as its first 200 characters; a 120 KB one does not and is skipped.
    Either costs no more than a short search (it took 70 s and 1.3 GB: a spelling automaton over the whole word)."""
    kb(KB)
    word = "".join("abcdefghijklmnopqrstuvwxyz"[i * 7 % 26] for i in range(60_000))
    exported = tmp_path / "searches.csv"
    exported.write_text(f"query,count,results\n{word},3,0\n{word * 2},1,0\nrfundd,2,0\n", encoding="utf-8")

    data, stderr = report_process(tmp_path, str(exported))
    listed = {q["query"]: q for q in data["zero_result_queries"]}
    assert listed[word[:MAX_TEXT]]["count"] == 3
    assert listed["rfundd"]["did_you_mean"] == "refund"  # a short search still gets its "did you mean"
    assert f"{exported}:3: skipped 1 line longer than 64 KiB" in stderr


def test_a_long_search_is_cut_at_a_word_and_never_leaves_part_of_a_card_number(kb, tmp_path) -> None:
    kb(KB)
    words = ("refund " * 40).strip()  # 279 characters: cut after the last whole word within the first 200
    card = "card" + " " * 189 + "4111 1111 1111 1111"  # the first 200 characters end in "4111 11"
    exported = tmp_path / "searches.csv"
    exported.write_text(f'"{card}",1,0\n"{words}",1,0\n', encoding="utf-8")
    data = report_json(str(exported))
    assert {q["query"] for q in data["zero_result_queries"]} == {"card", ("refund " * 28).strip()}


def test_a_beacon_whose_search_is_cut_keeps_no_part_of_a_card_number(kb, tmp_path) -> None:
    """The site's beacon (and `kbgen serve`) cut a search at the same place, before it is masked."""
    kb(KB)
    card = "card+" + "+" * 189 + "4111+1111+1111+1111"  # its first 200 characters end in "4111 11"
    log = tmp_path / "access.log"
    log.write_text(beacon(f"e=search&q={card}&n=0&l=en"), encoding="utf-8")
    data = report_json(str(log))
    assert [q["query"] for q in data["zero_result_queries"]] == ["card"]


def test_json_lines_nested_deep_are_malformed_not_a_crash(kb, tmp_path) -> None:
    kb(KB)
    events = tmp_path / "events.jsonl"
    good = json.dumps({"e": "search", "q": "crypto", "n": 0, "l": "en", "t": 1_763_600_000})
    deep = "[" * 30_000 + "]" * 30_000  # under the line limit: json.loads meets Python's recursion limit
    deeper = '{"a":' * 100_000  # over it: skipped before json.loads
    events.write_text(f"{good}\n{deep}\n{deeper}\n{good}\n", encoding="utf-8")

    data, stderr = report_process(tmp_path, "--log", str(events))
    assert data["summary"]["malformed_lines"] == 1 and data["summary"]["too_long_lines"] == 1
    assert f"{events}:3: skipped 1 line longer than 64 KiB" in stderr
    assert [(q["query"], q["count"]) for q in data["zero_result_queries"]] == [("crypto", 2)]


def test_a_log_of_countless_distinct_searches_lists_the_top_and_counts_the_others(kb, tmp_path) -> None:
    """120,000 one-off searches, more than the report remembers: the frequent one is listed and asked again, the
    rest are a line of counts, and the totals stay exact. (One million took 586 s; see the commit for now.)"""
    kb(KB)
    log = tmp_path / "access.log"
    with log.open("w", encoding="utf-8") as f:
        for i in range(120_000):
            f.write(beacon(f"e=search&q=zq{i:x}z{i % 7}x&n=0&l=en"))
            if i % 1000 == 0:
                f.write(beacon("e=search&q=wire%20transfer&n=0&l=en"))

    done = subprocess.run([sys.executable, "-m", "kbgen", "report", str(log)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    table = done.stdout
    assert re.search(r"Searches without results \(120120 of 120120\s+searches\)", table)  # the title wraps
    assert re.search(r"│ wire transfer +│ 120 +│ still no result", table)
    assert len(re.findall(r"│ zq\w+ +│ 1 +│", table)) == MAX_LISTED - 1
    folded = re.search(r"warning: more than 100,000 distinct searches: ([\d,]+) rare ones \(([\d,]+) searches\) "
                       r"count in the totals but are not listed", table)
    others = re.search(r"([\d,]+) other distinct searches, ([\d,]+) searches \(not listed\)", table)
    assert folded and others
    listed_once = MAX_LISTED - 1 + int(others[1].replace(",", "")) + int(folded[1].replace(",", ""))
    assert listed_once == 120_000 and others[1] == others[2]


def test_a_cut_off_gzip_is_read_up_to_the_damage_and_named(kb, tmp_path) -> None:
    kb(KB)
    whole = gzip.compress("".join(beacon(f"e=search&q=crypto{'x' * (i % 3)}&n=0&l=en") for i in range(3000))
                          .encode())
    log = tmp_path / "access.log.gz"
    log.write_bytes(whole[: len(whole) // 2])  # a copy that stopped halfway
    data = report_json(str(log))
    damaged = next(w for w in data["summary"]["warnings"] if "gzip" in w)
    assert damaged.startswith(f"{log}:") and "the gzip data is damaged" in damaged
    assert damaged.endswith("the rest of the file is not read")
    assert 0 < data["summary"]["searches"] < 3000
