"""Two builds of one site at once both succeed (issue 17: they failed in 9 of 14 rounds on a shared temporary file):
the second waits for the first, and the site is whole after every round."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import write_files

ROUNDS = 20


def test_two_builds_of_one_site_at_once_both_succeed_every_round(tmp_path: Path) -> None:
    write_files(tmp_path, {f"content/topic-{n}/article-{k}.md": f"# Article {n}.{k}\n\nAbout refunds and invoices.\n"
                           for n in range(4) for k in range(5)})
    failures = []
    for round_ in range(ROUNDS):
        # Every round changes an article, so both builds have work to do (neither finds the site up to date).
        write_files(tmp_path, {"content/news.md": f"# News of round {round_}\n\nSearchable words {round_}.\n"})
        builds = [subprocess.Popen([sys.executable, "-m", "kbgen", "build", "-q"], cwd=tmp_path,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        for build in builds:
            out, err = build.communicate(timeout=120)
            if build.returncode != 0:
                failures.append(f"round {round_}: exit {build.returncode}: {err[-500:]}")
        page = (tmp_path / "site/news/index.html").read_text(encoding="utf-8")
        assert f"News of round {round_}" in page
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []
    assert failures == []
