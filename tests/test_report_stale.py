"""A KB owner asks which articles are due for review: dates from front matter, git or the file, the review period
from the article, its category or the site, statuses, owners — and git asked once for the whole tree."""

from __future__ import annotations

import os

from conftest import run
from report_helpers import commit_all, count_git_processes, days_ago, git, report_json


def by_source(data: dict) -> dict[str, dict]:
    return {row["source"]: row for row in data["stale"]}


def test_dates_come_from_front_matter_then_git_then_the_file(kb) -> None:
    kb({
        "kbgen.yml": "site_name: Help\nstale_after: 90d\n",
        "content/billing/_category.yml": "title: Billing\nreview_every: 30d\n",
        "content/billing/refunds.md": "---\ntitle: Refunds\nowner: anna\n---\nMoney back.\n",
        "content/billing/invoices.md": f"---\ntitle: Invoices\nupdated: {days_ago(400)}\nreview_every: 1y\n---\nx\n",
        "content/setup.md": "---\ntitle: Setup\nowner: boris\n---\nInstall it.\n",
    })
    commit_all(kb.root, "first", days_ago(200))
    (kb.root / "content/setup.md").write_text("---\ntitle: Setup\nowner: boris\n---\nInstall it now.\n")
    commit_all(kb.root, "setup", days_ago(80))
    (kb.root / "content/new.md").write_text("# Brand new\n")  # not committed: the file's own time

    data = report_json()
    rows = by_source(data)
    refunds = rows["billing/refunds.md"]
    assert (refunds["updated_from"], refunds["updated"], refunds["status"]) == ("git", str(days_ago(200)), "overdue")
    assert (refunds["review_every"], refunds["review_from"], refunds["owner"]) == (
        30, "_category.yml of billing", "anna")
    invoices = rows["billing/invoices.md"]
    assert (invoices["updated_from"], invoices["review_from"], invoices["status"]) == (
        "front matter", "article", "overdue")
    setup = rows["setup.md"]  # 80 days old, 90-day period: due in 10 days
    assert (setup["updated_from"], setup["status"], setup["review_from"]) == ("git", "due soon", "stale_after")
    assert "new.md" not in rows  # current
    assert data["summary"]["articles_ok"] == 1
    assert data["summary"]["dates_from"] == "git"


def test_one_git_process_for_a_thousand_articles(kb, tmp_path_factory, monkeypatch) -> None:
    files = {"kbgen.yml": "site_name: Big\n"}
    for i in range(1000):
        files[f"content/topic-{i % 20}/article-{i}.md"] = f"# Article {i}\n\nText {i}.\n"
    kb(files)
    commit_all(kb.root, "half", days_ago(300))
    for i in range(0, 1000, 2):
        (kb.root / f"content/topic-{i % 20}/article-{i}.md").write_text(f"# Article {i}\n\nNew text {i}.\n")
    commit_all(kb.root, "other half", days_ago(10))

    # Every git process kbgen starts leaves a line in calls.log.
    calls = count_git_processes(tmp_path_factory.mktemp("bin"), monkeypatch)

    data = report_json()
    assert len(calls.read_text().splitlines()) == 1
    assert data["summary"]["articles"] == 1000
    assert data["summary"]["articles_overdue"] == 500
    assert {r["updated_from"] for r in data["stale"]} == {"git"}


def test_a_shallow_clone_is_said_loudly(kb, tmp_path) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    (origin / "kbgen.yml").write_text("site_name: Help\n")
    (origin / "content").mkdir()
    (origin / "content/a.md").write_text("# A\n")
    commit_all(origin, "old", days_ago(400))
    (origin / "content/b.md").write_text("# B\n")
    commit_all(origin, "new", days_ago(5))
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", "clone")
    os.chdir(tmp_path / "clone")

    result = run("report")
    assert result.exit_code == 0, result.output
    assert "SHALLOW GIT CLONE" in result.output
    data = report_json()
    assert data["summary"]["git_shallow"] is True


def test_fail_on_stale_fails_ci_only_when_something_is_overdue(kb) -> None:
    kb({"kbgen.yml": "site_name: Help\n", "content/a.md": f"---\nupdated: {days_ago(10)}\n---\n# A\n"})
    assert run("report", "--fail-on", "stale").exit_code == 0
    (kb.root / "content/old.md").write_text(f"---\nupdated: {days_ago(500)}\n---\n# Old\n")
    result = run("report", "--fail-on", "stale")
    assert result.exit_code == 1
    assert "1 article overdue for review" in result.stderr


def test_stale_articles_are_grouped_by_owner_most_read_first(kb, tmp_path) -> None:
    old = days_ago(400)
    kb({
        "kbgen.yml": "site_name: Help\n",
        "content/a.md": f"---\ntitle: Alpha\nowner: anna\nupdated: {old}\n---\nx\n",
        "content/b.md": f"---\ntitle: Beta\nowner: anna\nupdated: {old}\n---\nx\n",
        "content/c.md": f"---\ntitle: Gamma\nupdated: {old}\n---\nx\n",
    })
    log = tmp_path / "access.log"
    lines = ['1.1.1.1 - - [01/Nov/2026:10:00:00 +0000] "GET /help/b/ HTTP/1.1" 200 10 "-" "ua"'] * 5
    lines += ['1.1.1.1 - - [01/Nov/2026:10:00:00 +0000] "GET /help/a/index.html HTTP/1.1" 200 10 "-" "ua"'] * 2
    log.write_text("\n".join(lines) + "\n")
    data = report_json("--log", str(log))
    assert [(r["title"], r["demand"]) for r in data["stale"]] == [("Beta", 5), ("Alpha", 2), ("Gamma", 0)]
    md = run("report", "--log", str(log), "--format", "md").stdout
    assert md.index("### anna") < md.index("Beta") < md.index("Alpha") < md.index("### (no owner)")
