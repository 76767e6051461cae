#!/usr/bin/env python3
"""Reader questions: how well search answers what readers type, by kind of query, for four engines on one site.

Not part of the test suite (it needs ../shared/corpora and takes a few minutes). For each set in
../shared/corpora/reader-questions (en-arduino-helpcenter, ru-doka: reader questions with the one article that
answers each, see its README) it builds the corpus with kbgen, indexes the same built site with Pagefind (as
bench/search.py does), then scores

- `kbgen search --batch` (the CLI),
- kbgen's browser engine, search-core.js, in Node (tests/search_node.js),
- a plain BM25 (k1 1.2, b 0.75, title + body, Snowball stems chosen per word by alphabet, whoosh's en/ru stop
  lists: the README's reference engine, written out below),
- Pagefind in headless Chromium,

with MRR@10, success@1 and success@3, overall and per kind (question, keyword, typo, paraphrase); then the bytes a
reader's browser transfers per query (gzip, as a static host serves them: the first query of a fresh page, and the
median of later ones) for kbgen and Pagefind, and how often the browser engine's top 10 equals the CLI's.

    .venv/bin/python bench/questions.py
    .venv/bin/python bench/questions.py --set ru-doka --json questions.json
    .venv/bin/python bench/questions.py --skip-pagefind          # no Chromium, no Pagefind: a minute
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import search as shared  # noqa: E402  (bench/search.py: building, Pagefind, Chromium, the counting host)

REPO = BENCH.parent
NODE_RUNNER = REPO / "tests" / "search_node.js"
SETS = {"en-arduino-helpcenter": "en", "ru-doka": "ru"}
KINDS = ("question", "keyword", "typo", "paraphrase")
ENGINES = ("kbgen CLI", "kbgen browser", "BM25", "Pagefind")


def read_set(corpora: Path, corpus: str) -> list[tuple[str, str, str, str]]:
    """(qid, query, expected source path, kind) per line of the set's TSV."""
    name = "en-arduino-helpcenter.tsv" if corpus.startswith("en-") else f"{corpus}.tsv"
    rows = []
    for line in (corpora / "reader-questions" / name).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 4:
            rows.append((parts[0], parts[1], parts[2], parts[3]))
    return rows


# --- scoring -----------------------------------------------------------------------------------------------------

def scores(runs: dict[str, list[str]], questions) -> dict[str, dict[str, float]]:
    """MRR@10, success@1 and success@3, overall and per kind."""
    out = {}
    for kind in ("all", *KINDS):
        chosen = [q for q in questions if kind in ("all", q[3])]
        if not chosen:
            continue
        ranks = [_rank(runs.get(qid, []), want) for qid, _q, want, _k in chosen]
        out[kind] = {
            "MRR@10": sum(1 / r for r in ranks if r and r <= 10) / len(ranks),
            "S@1": sum(1 for r in ranks if r == 1) / len(ranks),
            "S@3": sum(1 for r in ranks if r and r <= 3) / len(ranks),
            "n": len(ranks),
        }
    return out


def _rank(keys: list[str], want: str) -> int | None:
    return keys.index(want) + 1 if want in keys[:10] else None


def misses(runs: dict[str, list[str]], questions) -> list[str]:
    """The queries an engine does not answer first, with where it put the answer."""
    out = []
    for qid, q, want, kind in questions:
        r = _rank(runs.get(qid, []), want)
        if r != 1:
            out.append(f"{qid} [{kind}] {q!r}: {'rank ' + str(r) if r else 'not in top 10'}")
    return out


# --- the engines --------------------------------------------------------------------------------------------------

def cli_runs(kb: Path, questions) -> dict[str, list[str]]:
    """`kbgen search --batch`; a TREC line is `qid Q0 docid rank score tag`, and docids here may hold spaces."""
    tsv = kb / "questions.tsv"
    tsv.write_text("".join(f"{qid}\t{q}\n" for qid, q, _w, _k in questions), encoding="utf-8")
    out = subprocess.run([str(shared.KBGEN), "search", "-q", "--batch", str(tsv), "--limit", "10"], cwd=kb,
                         capture_output=True, text=True, check=True).stdout
    runs: dict[str, list[str]] = {qid: [] for qid, *_ in questions}
    for line in out.splitlines():
        qid, _q0, rest = line.split(" ", 2)
        docid = rest.rsplit(" ", 3)[0]
        runs[qid].append(docid + ".md")
    return runs


def node_runs(kb: Path, lang: str, questions) -> dict[str, list[str]]:
    by_id, _ = shared.doc_keys(kb, lang)
    request = {"queries": [[qid, q] for qid, q, _w, _k in questions], "limit": 10}
    out = subprocess.run(["node", str(NODE_RUNNER), str(kb / "site" / "search")], input=json.dumps(request),
                         capture_output=True, text=True, check=True, timeout=600).stdout
    return {qid: [by_id[doc] for doc, _score in hits] for qid, hits in json.loads(out)["results"].items()}


#: whoosh 2.7.4's `stopwords_for_language("en")` and `("ru")`, which the README's reference figures use (copied:
#: kbgen no longer depends on whoosh).
WHOOSH_STOP_EN = (
    "a about above after again against all am an and any are as at be because been before being below between both "
    "but by can did do does doing don down during each few for from further had has have having he her here hers "
    "herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on "
    "once only or other our ours ourselves out over own s same she should so some such t than that the their theirs "
    "them themselves then there these they this those through to too under until up very was we were what when "
    "where which while who whom why will with you your yours yourself yourselves")
WHOOSH_STOP_RU = (
    "а без более больше будет будто бы был была были было быть в вам вас вдруг ведь во вот впрочем все всегда всего "
    "всех всю вы где да даже два для до другой его ее ей ему если есть еще ж же за зачем здесь и из или им иногда их к "
    "как какая какой когда конечно кто куда ли лучше между меня мне много может можно мой моя мы на над надо наконец "
    "нас не него нее ней нельзя нет ни нибудь никогда ним них ничего но ну о об один он она они опять от перед по под "
    "после потом потому почти при про раз разве с сам свою себе себя сейчас со совсем так такой там тебя тем теперь "
    "то тогда того тоже только том тот три тут ты у уж уже хорошо хоть чего чем через что чтоб чтобы чуть эти этого "
    "этой этом этот эту я")


class PlainBM25:
    """The README's reference engine: one field (title + Markdown body), k1 1.2, b 0.75, Snowball stems chosen per
    word by alphabet, whoosh's English and Russian stop lists."""

    WORD = re.compile(r"[^\W_]+")

    def __init__(self, articles: Path) -> None:
        import Stemmer

        self._en, self._ru = Stemmer.Stemmer("english"), Stemmer.Stemmer("russian")
        self._stop = set(WHOOSH_STOP_EN.split()) | set(WHOOSH_STOP_RU.split())
        self.docs: list[tuple[str, Counter, int]] = []
        for path in sorted(articles.rglob("*.md")):
            text = path.read_text(encoding="utf-8-sig")
            title, body = "", text
            m = re.match(r"---\n(.*?)\n---\n?(.*)", text, re.S)
            if m:
                body = m.group(2)
                t = re.search(r"^title:\s*(.*)$", m.group(1), re.M)
                title = t.group(1).strip().strip("\"'") if t else ""
            terms = self.terms(f"{title}\n{body}")
            self.docs.append((str(path.relative_to(articles)), Counter(terms), len(terms)))
        self.df = Counter(t for _k, tf, _n in self.docs for t in tf)
        self.avg = sum(n for *_x, n in self.docs) / len(self.docs)

    def terms(self, text: str) -> list[str]:
        out = []
        for w in self.WORD.findall(text.lower().replace("ё", "е")):
            if w in self._stop:
                continue
            out.append(self._ru.stemWord(w) if re.search("[а-я]", w) else self._en.stemWord(w))
        return out

    def search(self, query: str, depth: int = 10) -> list[str]:
        n, k1, b = len(self.docs), 1.2, 0.75
        scored = []
        query_terms = self.terms(query)
        for i, (key, tf, length) in enumerate(self.docs):
            s = 0.0
            for t in query_terms:
                f = tf.get(t)
                if f:
                    idf = math.log(1 + (n - self.df[t] + 0.5) / (self.df[t] + 0.5))
                    s += idf * f * (k1 + 1) / (f + k1 * (1 - b + b * length / self.avg))
            if s > 0:
                scored.append((-s, i, key))
        return [key for *_x, key in sorted(scored)[:depth]]


def bm25_runs(articles: Path, questions) -> dict[str, list[str]]:
    engine = PlainBM25(articles)
    return {qid: engine.search(q) for qid, q, _w, _k in questions}


def pagefind_runs(kb: Path, lang: str, questions, chromium, host) -> dict[str, list[str]]:
    _, by_url = shared.doc_keys(kb, lang)
    pf_ids = shared.pagefind_urls(kb / "site")
    queries = [(qid, q) for qid, q, _w, _k in questions]
    return {qid: [by_url[pf_ids[i]] for i in ids if pf_ids.get(i) in by_url]
            for qid, ids in shared.browser_runs(chromium, host, "pf", queries, 10).items()}


# --- one set ------------------------------------------------------------------------------------------------------

def bench_set(corpus: str, work: Path, corpora: Path, chromium, report: dict) -> None:
    lang = SETS[corpus]
    questions = read_set(corpora, corpus)
    kb, build_s = shared.build_kbgen(corpus, work, lang)
    cli = cli_runs(kb, questions)  # before the bench's page is added to site/ (see bench/search.py's bench_ir)
    site = shared.prepare(kb)
    runs = {"kbgen CLI": cli, "kbgen browser": node_runs(kb, lang, questions),
            "BM25": bm25_runs(corpora / corpus / "articles", questions)}
    row: dict = {"build_s": build_s}
    if chromium is not None:
        shared.index_pagefind(site)
        host = shared.Host(site)
        try:
            runs["Pagefind"] = pagefind_runs(kb, lang, questions, chromium, host)
            queries = [(qid, q) for qid, q, _w, _k in questions]
            row["transfer"] = {"kbgen": shared.transfer(chromium, host, "kb", queries),
                               "Pagefind": shared.transfer(chromium, host, "pf", queries)}
            # The typo queries alone, after one query that loads the manifest: what a correction costs.
            typos = queries[:1] + [(qid, q) for qid, q, _w, kind in questions if kind == "typo"]
            row["transfer, typo queries"] = {"kbgen": shared.transfer(chromium, host, "kb", typos),
                                             "Pagefind": shared.transfer(chromium, host, "pf", typos)}
        finally:
            host.stop()
    row["scores"] = {name: scores(r, questions) for name, r in runs.items()}
    row["agreement"] = shared.agreement(runs["kbgen browser"], runs["kbgen CLI"])
    row["misses"] = {name: misses(runs[name], questions) for name in ("kbgen CLI", "BM25")}
    report[corpus] = row


# --- output ---------------------------------------------------------------------------------------------------------

def print_report(report: dict, show_misses: bool) -> None:
    for corpus, row in report.items():
        print(f"\n## {corpus}: MRR@10 (S@1 / S@3)\n")
        engines = [e for e in ENGINES if e in row["scores"]]
        print("| kind | n | " + " | ".join(engines) + " |\n|---|---:|" + "---:|" * len(engines))
        for kind in ("all", *KINDS):
            cells = []
            for e in engines:
                m = row["scores"][e].get(kind)
                cells.append(f"{m['MRR@10']:.3f} ({m['S@1']:.2f} / {m['S@3']:.2f})" if m else "")
            n = row["scores"][engines[0]][kind]["n"]
            print(f"| {kind} | {n} | " + " | ".join(cells) + " |")
        same, total = row["agreement"]
        print(f"\nBrowser vs CLI: same top 10 for {same}/{total} queries")
        for label in ("transfer", "transfer, typo queries"):
            t = row.get(label)
            if not t:
                continue
            k, p = t["kbgen"], t["Pagefind"]
            print(f"\n| {label} (gzip bytes) | kbgen | Pagefind |\n|---|---:|---:|")
            for key, name in (("first", "first query"), ("later_median", "later query, median"),
                              ("later_mean", "later query, mean")):
                print(f"| {name} | {k[key]:,.0f} | {p[key]:,.0f} |")
        if show_misses:
            for name, lines in row["misses"].items():
                print(f"\n{name} misses:\n" + "\n".join(f"- {x}" for x in lines))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", action="append", choices=list(SETS), help="Only these sets.")
    ap.add_argument("--skip-pagefind", action="store_true", help="No Pagefind and no browser transfer figures.")
    ap.add_argument("--misses", action="store_true", help="List the queries the CLI and BM25 do not answer first.")
    ap.add_argument("--json", type=Path, help="Also write the figures as JSON.")
    ap.add_argument("--shared", type=Path, default=shared.SHARED,
                    help="Folder holding corpora/ (default: ../shared beside the repository).")
    args = ap.parse_args()
    corpora = args.shared / "corpora"
    shared.CORPORA = corpora
    if not (corpora / "reader-questions").is_dir():
        sys.exit(f"{corpora / 'reader-questions'} not found: the benchmark needs the shared corpora")
    chromium = None if args.skip_pagefind else shared.Chromium()
    report: dict = {}
    with tempfile.TemporaryDirectory(prefix="kbgen-questions-bench-") as tmp:
        try:
            for corpus in args.set or list(SETS):
                print(f"… {corpus}", file=sys.stderr, flush=True)
                bench_set(corpus, Path(tmp), corpora, chromium, report)
        finally:
            if chromium is not None:
                chromium.close()
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print_report(report, args.misses)


if __name__ == "__main__":
    main()
