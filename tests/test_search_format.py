"""The search index format is written down once (kbgen/search/format.py): the files a build writes read back
through it into the same bytes, and the browser's reader (search-core.js in Node) decodes them into exactly what
the Python reader does — golden files from the Python side, as the analysis has its golden vectors."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import asdict
from pathlib import Path

import pytest
from conftest import REPO, run

from kbgen.search.format import (
    FragmentGroup,
    Manifest,
    TermShard,
    TypoShard,
    decode_postings,
    script_data,
)

NODE = shutil.which("node")
DRIVER = REPO / "tests" / "format_node.js"

TOPICS = ["Refunds", "Billing", "Invoices", "Passwords", "Accounts", "Exports"]
FORMS = "refund refunds refunded refunding invoice invoices invoicing export exported exporting exports"


def _article(i: int) -> str:
    """Enough articles and words for several term and typo shards, ids past 36 (two base-36 digits), repeated
    words, words in every field, several forms of one stem, Russian, and sections with anchors."""
    topic = TOPICS[i % len(TOPICS)]
    forms = FORMS.split()
    used = " ".join(forms[(i * 3) % len(forms):][:2 + i % 4])
    return (f"---\ntitle: {topic} note {i}\nkeywords: [{topic.lower()} help, возврат {i}]\n"
            f"description: How {used} work, item{i}\n---\n"
            f"Intro about {used} and {used} again, word{i} {'extra ' * (i % 3)}возвраты денег.\n\n"
            f"## Step {i} for {topic}\n\nDo {forms[i % len(forms)]} now: code{i % 7}x, зеркало{i % 5}.\n")


KB = {f"content/{TOPICS[i % 3].lower()}/{'deep/' if i % 2 else ''}note-{i:02}.md": _article(i) for i in range(60)}


def _built(kb) -> Path:
    kb(KB)
    result = run("build")
    assert result.exit_code == 0, result.output
    return kb.root / "site" / "search"


def _read(folder: Path, name: str):
    return script_data((folder / f"{name}.js").read_text(encoding="utf-8"))


def test_every_file_reads_back_into_the_same_bytes(kb) -> None:
    """One definition: what the reader makes of each file, the encoder writes again byte for byte, name included."""
    folder = _built(kb)
    manifest = Manifest.decode(_read(folder, "manifest"))
    assert manifest.file() == (folder / "manifest.js").read_bytes()
    assert len(manifest.shards) > 3 and len(manifest.typos) > 1
    for name in (b.name for b in manifest.shards):
        assert TermShard.decode(_read(folder, name)).file() == (name, (folder / f"{name}.js").read_bytes())
    for name in (b.name for b in manifest.typos):
        assert TypoShard.decode(_read(folder, name)).file() == (name, (folder / f"{name}.js").read_bytes())
    groups = sorted(folder.glob("f/*.js"))
    assert len(groups) > 3
    for path in groups:
        number = int(path.name.split(".")[0], 36)
        group, name = manifest.fragment_file(number * manifest.group)
        _digest, written, content = FragmentGroup.decode(group, _read(folder, name)).file()
        assert (written, content) == (name, path.read_bytes())


def _python_view(folder: Path, docs: list[int]) -> dict:
    """The index as the Python reader decodes it, in the JSON shape of tests/format_node.js."""
    manifest = Manifest.decode(_read(folder, "manifest"))
    bounds = [b.start for b in manifest.shards]
    terms = {}
    for i, bound in enumerate(manifest.shards):
        shard = TermShard.decode(_read(folder, bound.name)).complete(bounds, i)
        terms[bound.name] = {"terms": {s: {"postings": decode_postings(t.postings), "forms": t.forms}
                                       for s, t in shard.terms.items()}, "words": shard.words}
    fragments = {}
    for doc in docs:
        group, name = manifest.fragment_file(doc)
        fragments[str(doc)] = FragmentGroup.decode(group, _read(folder, name)).fragments[doc]
    view = {"manifest": asdict(manifest), "terms": terms, "fragments": fragments,
            "typos": {b.name: TypoShard.decode(_read(folder, b.name)).beginnings for b in manifest.typos}}
    return json.loads(json.dumps(view, default=sorted))  # tuples as lists, the stop and question words sorted


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_browser_decodes_the_index_as_python_does(kb) -> None:
    folder = _built(kb)
    ids = json.loads((kb.root / ".kbgen" / "search" / "en" / "state.json").read_text(encoding="utf-8"))["ids"]
    docs = sorted(ids.values())
    out = subprocess.run([NODE, str(DRIVER), str(folder)], input=json.dumps({"docs": docs}), capture_output=True,
                         text=True, check=True, timeout=60).stdout
    browser = json.loads(out)
    for words in ("stop", "question"):
        browser["manifest"][words].sort()
    python = _python_view(folder, docs)
    assert browser == python
    # what the golden files hold, so the comparison covers each part of the format
    postings = [p for shard in python["terms"].values() for t in shard["terms"].values() for p in t["postings"]]
    assert max(p[0] for p in postings) >= 36 and any(p[3] for p in postings) and any(max(p[1]) > 1 for p in postings)
    assert any(len(t["forms"].split()) > 1 for s in python["terms"].values() for t in s["terms"].values())
    assert any(f[2] for f in python["fragments"].values()) and any(f[3] for f in python["fragments"].values())
