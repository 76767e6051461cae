"""kbgen replaces an output folder only when it wrote every file in it (issue 17): pointed anywhere else, the build
stops before writing, names the folder and what it would have lost, and every file there stays byte for byte."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import files_under, run, write_files

from kbgen.output.ownership import SITE_MARKER

KB = {"content/billing/refunds.md": "# Refunds\n\nHow to get your money back.\n",
      "content/start.md": "# Start\n\nSee [refunds](billing/refunds.md).\n"}


def everything_under(folder: Path) -> dict[str, bytes | None]:
    """Every entry below `folder`, folders included (as None): a refused build adds nothing either."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def assert_refused(result, folder: Path, *names: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    message = result.stderr
    assert str(folder) in message, message
    for name in names:
        assert name in message, message


@pytest.mark.parametrize("user_files, named", [
    pytest.param({".bashrc": "alias ll='ls -l'\n", "Documents/notes.txt": "my notes\n",
                  "Pictures/cat.jpg": b"\xff\xd8\xff\xe0 a cat"}, [".bashrc", "Documents/notes.txt"], id="home"),
    pytest.param({".git/HEAD": "ref: refs/heads/main\n", ".git/config": "[core]\n", "README.md": "# my project\n"},
                 ["README.md", ".git/HEAD"], id="git-repository"),
    pytest.param({"IMG_0001.jpg": b"\xff\xd8photo", "IMG_0002.jpg": b"\xff\xd8photo 2", "taxes-2025.pdf": b"%PDF"},
                 ["IMG_0001.jpg", "taxes-2025.pdf"], id="user-files"),
])
def test_a_folder_of_the_users_files_is_never_replaced(kb, tmp_path: Path, user_files, named) -> None:
    kb(KB)
    folder = write_files(tmp_path / "elsewhere", user_files)
    before = everything_under(folder)

    result = run("build", "--out", str(folder))

    assert_refused(result, folder, *named)
    assert "Choose a new or empty folder" in result.stderr
    assert everything_under(folder) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".elsewhere")] == []


def test_a_home_folder_is_refused_before_anything_is_written(kb, tmp_path: Path) -> None:
    kb(KB)
    home = write_files(tmp_path / "home", {".bashrc": "export PATH\n", "Documents/notes.txt": "notes\n"})
    for n in range(20):
        write_files(home, {f"Documents/file-{n:02}.txt": f"file {n}\n"})
    before = everything_under(home)

    result = run("build", "--out", str(home))

    assert_refused(result, home, ".bashrc", "Documents/file-00.txt", "and 17 more files")
    assert everything_under(home) == before


def test_the_analytics_events_in_kbgen_folder_are_never_replaced(kb) -> None:
    kb(KB | {".kbgen/events.jsonl": '{"q": "refund", "results": 1}\n'})
    before = everything_under(kb.root / ".kbgen")

    result = run("build", "--out", ".kbgen")

    assert_refused(result, kb.root / ".kbgen", "events.jsonl", "kbgen's own folder")
    assert everything_under(kb.root / ".kbgen") == before


def test_the_theme_folder_is_never_replaced(kb) -> None:
    kb(KB | {"kbgen.yml": "theme: brand\n", "themes/brand/templates/base.html": "{% extends 'default/base.html' %}\n",
             "themes/brand/assets/brand.css": "body { color: navy }\n"})
    before = everything_under(kb.root / "themes")

    for out in ("themes", "themes/brand", "themes/brand/assets"):
        result = run("build", "--out", out)
        assert_refused(result, (kb.root / out).resolve(), "themes/brand" if out == "themes" else "brand.css")
        assert everything_under(kb.root / "themes") == before


def test_a_content_subfolder_is_never_replaced(kb) -> None:
    kb(KB)
    before = everything_under(kb.root / "content")

    result = run("build", "--out", "content/billing")

    assert_refused(result, kb.root / "content/billing", "refunds.md", "inside the content folder")
    assert everything_under(kb.root / "content") == before


def test_an_output_folder_inside_the_content_is_refused_even_when_new(kb) -> None:
    kb(KB)
    result = run("build", "--out", "content/site")
    assert_refused(result, kb.root / "content/site", "inside the content folder")
    assert not (kb.root / "content/site").exists()


def test_a_site_kbgen_built_is_replaced(kb) -> None:
    kb(KB)
    assert run("build").exit_code == 0
    assert (kb.root / "site" / SITE_MARKER).is_file()
    write_files(kb.root, {"content/start.md": "# Start here\n\nNew words.\n"})

    result = run("build")

    assert result.exit_code == 0, result.output
    assert "Start here" in (kb.root / "site/start/index.html").read_text(encoding="utf-8")
    assert [p.name for p in kb.root.iterdir() if p.name.startswith(".site")] == []


def test_a_file_added_by_hand_to_the_site_stops_the_next_build(kb) -> None:
    kb(KB)
    assert run("build").exit_code == 0
    write_files(kb.root, {"site/billing/notes.txt": "written by hand\n"})
    write_files(kb.root, {"content/start.md": "# Start here\n"})
    before = files_under(kb.root / "site")

    result = run("build")

    assert_refused(result, kb.root / "site", "billing/notes.txt", "kbgen did not write")
    assert files_under(kb.root / "site") == before
    # Moved out, as the message says, the site is kbgen's again.
    (kb.root / "site/billing/notes.txt").unlink()
    assert run("build").exit_code == 0


def test_a_site_an_older_kbgen_built_is_proved_by_the_last_builds_record(kb) -> None:
    kb(KB)
    assert run("build").exit_code == 0
    (kb.root / "site" / SITE_MARKER).unlink()  # as an older kbgen left it: no marker, its files in .kbgen/
    write_files(kb.root, {"content/start.md": "# Start again\n"})

    assert run("build").exit_code == 0
    assert "Start again" in (kb.root / "site/start/index.html").read_text(encoding="utf-8")

    # Without the marker and without the record, nothing proves the folder is kbgen's.
    (kb.root / "site" / SITE_MARKER).unlink()
    (kb.root / ".kbgen/last-build.json").unlink()
    write_files(kb.root, {"content/start.md": "# Start once more\n"})
    before = files_under(kb.root / "site")
    result = run("build")
    assert_refused(result, kb.root / "site", "index.html", "an older kbgen built, delete it yourself")
    assert files_under(kb.root / "site") == before


def test_check_writes_nothing_so_any_output_folder_is_fine(kb, tmp_path: Path) -> None:
    kb(KB | {"kbgen.yml": "output_dir: ../home\n"})
    home = write_files(tmp_path / "home", {".bashrc": "export PATH\n"})
    result = run("check")
    assert result.exit_code == 0, result.output
    assert everything_under(home) == {".bashrc": b"export PATH\n"}


def test_an_empty_or_missing_output_folder_is_used(kb, tmp_path: Path) -> None:
    kb(KB)
    (tmp_path / "empty").mkdir()
    assert run("build", "--out", "empty").exit_code == 0
    assert run("build", "--out", "new/deeper").exit_code == 0
    assert (tmp_path / "empty/start/index.html").is_file() and (tmp_path / "new/deeper/start/index.html").is_file()


def test_a_link_as_output_folder_is_refused(kb, tmp_path: Path) -> None:
    kb(KB)
    (tmp_path / "real").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    result = run("build", "--out", "linked")
    assert_refused(result, tmp_path / "linked", "symbolic link", str(tmp_path / "real"))
    assert (tmp_path / "linked").is_symlink()


def test_leftovers_of_killed_builds_are_removed_but_not_folders_in_use_or_not_kbgens(kb, tmp_path: Path) -> None:
    kb(KB)
    assert run("build").exit_code == 0
    # What a build killed midway leaves: its work folder, marked, its lock gone with its process.
    write_files(tmp_path, {".site.kbgen-killed/.kbgen-work": "work folder of a kbgen build\n",
                           ".site.kbgen-killed/site/index.html": "<p>half a site</p>\n"})
    # A work folder of a build still running (another process holds its lock), and a folder kbgen did not make.
    write_files(tmp_path, {".site.kbgen-running/.kbgen-work": "work folder\n",
                           ".site.kbgen-users/notes.txt": "not kbgen's: no marker\n"})
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR); "
                               "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()",
                               str(tmp_path / ".site.kbgen-running/.kbgen-work")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        write_files(tmp_path, {"content/start.md": "# Changed\n"})
        assert run("build").exit_code == 0
    finally:
        holder.communicate("")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site")) == [
        ".site.kbgen-running", ".site.kbgen-users"]
    assert (tmp_path / ".site.kbgen-users/notes.txt").read_text() == "not kbgen's: no marker\n"
    # Once its build has ended, the next build removes that one too.
    fd = os.open(tmp_path / ".site.kbgen-running/.kbgen-work", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free: nobody holds it any more
    os.close(fd)
    write_files(tmp_path, {"content/start.md": "# Changed again\n"})
    assert run("build").exit_code == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == [".site.kbgen-users"]


def test_a_file_saved_into_the_site_while_it_builds_is_kept(kb, tmp_path: Path) -> None:
    kb({f"content/topic-{n // 50}/article-{n}.md": f"# Article {n}\n\n" + "Words about refunds. " * 200
        for n in range(400)})
    assert run("build").exit_code == 0
    write_files(tmp_path, {"content/topic-0/article-0.md": "# Changed\n"})
    before = files_under(tmp_path / "site")
    build = subprocess.Popen([sys.executable, "-m", "kbgen", "build", "-q"], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while not any(tmp_path.glob(".site.kbgen-*")) and build.poll() is None:  # the build has begun writing
        time.sleep(0.002)
    (tmp_path / "site/late.txt").write_text("saved while the site was building\n", encoding="utf-8")
    _, err = build.communicate(timeout=120)

    assert build.returncode == 1, err
    assert "late.txt" in err and "during the build" in err and str(tmp_path / "site") in err
    assert files_under(tmp_path / "site") == before | {"late.txt": b"saved while the site was building\n"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []
