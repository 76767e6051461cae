"""What the site and the commands say is true: each test is one wrong answer kbgen used to give (issue 18)."""

from __future__ import annotations

import json

from conftest import run


def _search(*args: str) -> list[dict]:
    result = run("search", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_search_answers_from_the_content_it_is_given(kb) -> None:
    kb({"kbgen.yml": "site_name: Help\n",
        "a/apples.md": "# Apples\n\nApples grow on trees in orchards.\n",
        "b/bananas.md": "# Bananas\n\nBananas grow in the tropics.\n"})
    assert [h["key"] for h in _search("apples", "--content", "a")] == ["apples.md"]
    assert [h["key"] for h in _search("bananas", "--content", "b")] == ["bananas.md"]
    # The index of `b` was built last in this folder; asking `a` again answers from `a`.
    assert [h["key"] for h in _search("apples", "--content", "a")] == ["apples.md"]
    assert _search("bananas", "--content", "a") == []


def test_an_encoded_hash_in_a_link_is_part_of_the_file_name(kb) -> None:
    kb({"kbgen.yml": "site_name: Help\n",
        "content/Q&A #1.md": "# Questions\n\n## Fees\n\nNone.\n",
        "content/start.md": "# Start\n\nSee [questions](Q&A%20%231.md) and [fees](Q&A%20%231.md#fees).\n\n"
                            "![logo](logo%231.png)\n",
        "content/logo#1.png": b"\x89PNG\r\n\x1a\n",
        })
    result = run("build", "--strict")
    assert result.exit_code == 0, result.output
    html = (kb.root / "site/start/index.html").read_text(encoding="utf-8")
    assert 'href="../q-a-1/"' in html and 'href="../q-a-1/#fees"' in html
    assert 'src="../logo%231.png"' in html
