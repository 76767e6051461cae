"""Links and front matter as real documentation sets write them (issue 17): a typo'd link gets a suggestion found
in an index of article names, links into the wider site a set belongs to are published as absolute links, a
single value where a list is expected is a list of one, and every broken link is reported once, where it is."""

from __future__ import annotations

import re
from collections import Counter

from conftest import run

from kbgen.site.suggestions import SuggestionIndex


def test_a_typo_in_a_link_gets_did_you_mean_with_the_real_path(kb) -> None:
    files = {f"content/reference/topic-{i:03}.md": f"# Topic {i}\n" for i in range(300)}
    files.update({
        "content/errors/compiler-error-c2001.md": "# C2001\n",
        "content/billing/invoices.md": "# Invoices\n",
        "content/guide.md": "# Guide\n\n[late typo](billing/invoice.md)\n\n"
                            "[early typo](errors/compilr-error-c2001.md)\n\n[wrong folder](reference/invoices.md)\n\n"
                            "[nothing like it](zzz/qqq.md)\n",
    })
    kb(files)

    result = run("build")

    assert result.exit_code == 1
    assert ("content/guide.md:3: error[broken-link]: 'billing/invoice.md' does not lead to any article, folder or "
            "file (did you mean 'billing/invoices.md'?)") in result.stderr
    assert "content/guide.md:5: error[broken-link]: 'errors/compilr-error-c2001.md' does not lead to any article, " \
           "folder or file (did you mean 'errors/compiler-error-c2001.md'?)" in result.stderr
    # The same file name in another folder is what the writer most likely meant.
    assert "(did you mean 'billing/invoices.md'?)" in _line(result.stderr, "content/guide.md:7:")
    assert "did you mean" not in _line(result.stderr, "content/guide.md:9:")


def test_the_index_suggests_each_distinct_target_once_from_a_few_candidates() -> None:
    names = [f"area-{i // 100}/page-{i:05}.md" for i in range(20_000)] + ["mfc/reference/cwnd-class.md"]
    index = SuggestionIndex(names)

    assert index.closest("mfc/reference/cwnd-clas.md") == "mfc/reference/cwnd-class.md"
    assert index.closest("mfc/reference/wcnd-class.md") == "mfc/reference/cwnd-class.md"  # letters swapped
    assert index.closest("area-3/page-00317x.md") == "area-3/page-00317.md"
    assert index.closest("windows/win32/api/winuser/nf-winuser-messagebox") is None


def test_one_value_where_a_list_is_expected_is_a_list_of_one(kb) -> None:
    kb({"content/billing/refunds.md": "---\ntitle: Refunds\ntags: billing\naliases: /old-refunds/\n"
                                      "keywords: vbaac10.chm12553\n---\n\nMoney back.\n"})

    result = run("build")

    assert result.exit_code == 0, result.output
    site = kb.root / "site"
    assert "Refunds" in (site / "tags" / "billing" / "index.html").read_text(encoding="utf-8")
    assert "billing/refunds/" in (site / "old-refunds" / "index.html").read_text(encoding="utf-8")
    assert "vbaac10" in "".join(p.read_text(encoding="utf-8", errors="replace")
                                for p in site.rglob("*") if p.is_file() and p.suffix in (".json", ".js", ""))


def test_a_mapping_where_a_list_is_expected_is_still_an_error(kb) -> None:
    kb({"content/a.md": "---\ntitle: A\ntags:\n  billing: yes\n---\n\nText.\n"})

    result = run("build")

    assert result.exit_code == 1
    assert "content/a.md:3: error[field-type]: 'tags': expected a list such as [a, b], got a mapping" in result.stderr


def test_links_under_a_declared_wider_site_prefix_become_absolute_links(kb) -> None:
    kb({
        "kbgen.yml": "severity: {broken-link: warning}\nexternal_sites:\n  /windows/: https://learn.microsoft.com/windows/\n"
                     "  /windows/drivers/: https://learn.microsoft.com/windows-hardware/drivers/\n",
        "content/guide.md": "# Guide\n\n[CreateFile](/windows/win32/api/fileapi/nf-fileapi-createfilea?view=1#remarks)"
                            "\n\n[WDK](/windows/drivers/wdk)\n\n[ours](/windows/local/)\n\n[broken](/dotnet/api/x)\n",
        "content/windows/local.md": "# Our own page under the prefix\n",
    })

    result = run("build")

    assert result.exit_code == 0, result.output
    assert re.findall(r"warning\[broken-link\]: '([^']+)'", result.stderr) == ["/dotnet/api/x"]  # no prefix
    html = (kb.root / "site" / "guide" / "index.html").read_text(encoding="utf-8")
    assert ('href="https://learn.microsoft.com/windows/win32/api/fileapi/nf-fileapi-createfilea?view=1#remarks"'
            in html)
    assert 'href="https://learn.microsoft.com/windows-hardware/drivers/wdk"' in html  # the longest prefix
    assert 'href="../windows/local/"' in html  # an article of the site's own wins


def test_a_wider_site_prefix_with_a_bad_value_is_a_located_config_error(kb) -> None:
    kb({
        "kbgen.yml": "site_name: Docs\nexternal_sites:\n  /windows/: https://learn.microsoft.com/windows/\n"
                     "  /dotnet/: javascript:alert(1)\n  cpp/: https://learn.microsoft.com/cpp/\n",
        "content/a.md": "# A\n",
    })

    result = run("build")

    assert result.exit_code == 1
    assert ("kbgen.yml:4: error[config-invalid]: 'external_sites': /dotnet/: expected an absolute URL such as "
            "https://help.example.com/, got 'javascript:alert(1)'") in result.stderr
    assert not (kb.root / "site").exists()
    kb({"kbgen.yml": "external_sites:\n  cpp/: https://learn.microsoft.com/cpp/\n"})
    result = run("build")
    assert "kbgen.yml:2: error[config-invalid]: 'external_sites': the prefix 'cpp/' must start and end with '/'" \
           in result.stderr


def test_each_broken_link_is_reported_once_at_its_own_line(kb) -> None:
    files = {f"content/a{i}.md": "# A\n\n" + "".join(f"See [gone](missing.md) ({j}).\n\n" for j in range(3))
             for i in range(40)}
    files["content/b.md"] = "# B\n\nSee [gone](missing.md) and [gone again](missing.md).\n"
    files["kbgen.yml"] = "severity: {broken-link: warning}\n"
    kb(files)

    result = run("build")

    assert result.exit_code == 0, result.output
    reported = re.findall(r"^(content/\S+:\d+): warning\[broken-link\]", result.stderr, re.MULTILINE)
    assert Counter(reported).most_common(1)[0][1] == 1
    assert len(reported) == 40 * 3 + 1  # the two links on one line of b.md are one place
    assert "content/a7.md:5" in reported and "content/a7.md:7" in reported
    assert "121 warnings (broken-link ×121)" in result.stdout  # the summary counts what was printed


def test_an_older_html_anchor_before_a_heading_is_a_link_target(kb) -> None:
    kb({
        "content/cspan.md": '# CSpan\n\n- [GetTotalSeconds](#gettotalseconds)\n- [Gone](#nowhere)\n\n'
                            '## <a name="gettotalseconds"></a> CSpan::GetTotalSeconds\n\nSeconds.\n',
        "content/other.md": "# Other\n\nSee [seconds](cspan.md#gettotalseconds).\n",
    })

    result = run("build")

    assert result.exit_code == 0, result.output
    assert re.findall(r"^(\S+): warning\[broken-anchor\]", result.stderr, re.MULTILINE) == ["content/cspan.md:4"]


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))
