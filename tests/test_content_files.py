"""Only regular files inside the content folder are read: a symbolic link out of it is never published, a named
pipe never makes kbgen wait, and `kbgen new` writes nowhere else (issue 17)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import files_under, run, write_files
from serving import fetch, wait_for

SECRET = "root:x:0:0:the-secret-outside"

KB = {
    "content/index.md": "# Help\n\nWelcome.\n",
    "content/billing/refunds.md": "# Refunds\n\nSee the [form](form.pdf).\n",
    "content/billing/form.pdf": "%PDF-1.4 real form\n",
    "content/_snippets/contact.md": "Write to us.\n",
}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the knowledge base holding a file that must never be published."""
    folder = tmp_path / "elsewhere"
    write_files(folder, {"passwd": SECRET + "\n", "notes/secret.md": f"# Secret\n\n{SECRET}\n"})
    return folder


@pytest.fixture
def site_kb(kb, tmp_path: Path):
    """The knowledge base in `tmp_path/kb`, the current folder."""
    root = tmp_path / "kb"
    write_files(root, KB)
    os.chdir(root)
    return root


def published(root: Path) -> str:
    """Every byte of the built site, as text: whatever leaked would be in it."""
    return "\n".join(data.decode("utf-8", "replace") for data in files_under(root / "site").values())


@pytest.mark.parametrize("link", ["content/billing/passwd.txt", "content/billing/passwd.md",
                                  "content/_snippets/passwd.md", "content/billing/_category.yml"])
def test_a_link_to_a_file_outside_the_content_folder_is_skipped_with_a_warning(site_kb, outside, link) -> None:
    os.symlink(outside / "passwd", site_kb / link)
    result = run("build")
    assert result.exit_code == 0, result.output
    assert f"{link}: warning[symlink-outside]: a link to {outside / 'passwd'}, outside the content folder" in (
        result.stderr)
    assert SECRET not in published(site_kb)
    assert (site_kb / "site/billing/form.pdf").is_file()  # the rest of the site is built as before


def test_a_link_in_the_site_theme_out_of_its_assets_is_not_published(site_kb, outside) -> None:
    write_files(site_kb, {"kbgen.yml": "theme: acme\n", "themes/acme/assets/brand.css": "a { color: teal }\n"})
    os.symlink(outside / "passwd", site_kb / "themes/acme/assets/notes.txt")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert (f"themes/acme/assets/notes.txt: warning[symlink-outside]: a link to {outside / 'passwd'}, outside the "
            "theme's assets folder; not published") in result.stderr
    assert SECRET not in published(site_kb)
    assert (site_kb / "site/assets/brand.css").is_file()


def test_a_linked_folder_outside_the_content_folder_is_not_read(site_kb, outside) -> None:
    os.symlink(outside / "notes", site_kb / "content/notes")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "content/notes: warning[symlink-outside]" in result.stderr
    assert not (site_kb / "site/notes").exists()
    assert SECRET not in published(site_kb)


def test_the_project_config_is_not_published_through_a_link(site_kb) -> None:
    (site_kb / "kbgen.yml").write_text(f"site_name: Help\n# {SECRET}\n", encoding="utf-8")
    os.symlink("../../kbgen.yml", site_kb / "content/billing/settings.yml")
    result = run("build")
    assert "content/billing/settings.yml: warning[symlink-outside]" in result.stderr
    assert SECRET not in published(site_kb)


def test_links_inside_the_content_folder_still_work(site_kb) -> None:
    os.symlink("refunds.md", site_kb / "content/billing/money-back.md")
    os.symlink("form.pdf", site_kb / "content/billing/refund-form.pdf")
    os.symlink("billing", site_kb / "content/payments")
    os.symlink("contact.md", site_kb / "content/_snippets/write-us.md")  # a snippet may be a link too
    (site_kb / "content/index.md").write_text("# Help\n\n{{< snippet write-us >}}\n", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr, result.stderr
    site = site_kb / "site"
    assert "Refunds" in (site / "billing/money-back/index.html").read_text(encoding="utf-8")
    assert (site / "billing/refund-form.pdf").read_bytes() == b"%PDF-1.4 real form\n"
    assert "Refunds" in (site / "payments/refunds/index.html").read_text(encoding="utf-8")  # the linked folder
    assert (site / "payments/form.pdf").is_file()
    assert "Write to us." in (site / "index.html").read_text(encoding="utf-8")  # the snippet's text


def test_broken_and_looping_links_are_warnings_not_crashes(site_kb) -> None:
    os.symlink("gone.md", site_kb / "content/billing/moved.md")
    os.symlink("loop-b.md", site_kb / "content/loop-a.md")
    os.symlink("loop-a.md", site_kb / "content/loop-b.md")
    os.symlink("..", site_kb / "content/billing/up")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "content/billing/moved.md: warning[broken-symlink]: a link that leads nowhere" in result.stderr
    assert "content/loop-a.md: warning[symlink-loop]: a link that leads back to itself" in result.stderr
    assert "content/billing/up: warning[symlink-loop]: a link to a folder above it" in result.stderr
    assert (site_kb / "site/billing/refunds/index.html").is_file()


def test_two_links_to_one_folder_publish_it_once_more_not_twice(site_kb) -> None:
    os.symlink("billing", site_kb / "content/a-payments")
    os.symlink("billing", site_kb / "content/b-payments")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "content/b-payments: warning[symlink-loop]: links to the same folder as a-payments" in result.stderr
    assert (site_kb / "site/a-payments/refunds/index.html").is_file()
    assert not (site_kb / "site/b-payments").exists()


def test_a_warning_about_a_link_can_be_made_an_error(site_kb, outside) -> None:
    (site_kb / "kbgen.yml").write_text("severity:\n  symlink-outside: error\n", encoding="utf-8")
    os.symlink(outside / "passwd", site_kb / "content/passwd.md")
    result = run("build")
    assert result.exit_code == 1
    assert "content/passwd.md: error[symlink-outside]" in result.stderr


# -- pipes and devices: skipped, never opened ----------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_called_x_md_does_not_hang_the_build(site_kb) -> None:
    os.mkfifo(site_kb / "content/x.md")
    os.mkfifo(site_kb / "content/billing/data.csv")
    os.symlink("/dev/zero", site_kb / "content/zero.md")  # a device (outside, too): 53 GB in 60 s before
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "kbgen", "build"], cwd=site_kb, capture_output=True, text=True,
                          timeout=30)
    seconds = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    assert "content/x.md: warning[special-file]: a named pipe, not a regular file; skipped" in done.stderr
    assert "content/billing/data.csv: warning[special-file]" in done.stderr
    assert "content/zero.md: warning[symlink-outside]" in done.stderr
    assert (site_kb / "site/billing/refunds/index.html").is_file()
    print(f"build with a pipe: {seconds:.2f} s")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_does_not_hang_the_preview_and_ctrl_c_stops_it_at_once(site_kb) -> None:
    os.mkfifo(site_kb / "content/x.md")
    inside = site_kb / "content/billing"
    proc = subprocess.Popen([sys.executable, "-m", "kbgen", "serve", "--port", "0"], cwd=site_kb,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        banner = proc.stderr.readline()  # the preview reads every file before it says where it listens
        url = re.search(r"http://127\.0\.0\.1:\d+/", banner)
        assert url, banner
        assert fetch(url.group(0) + "billing/refunds/")[0] == 200
        os.mkfifo(inside / "y.md")  # made while it runs: the change is planned, and the pipe not opened
        (inside / "z.md").write_text("# Zed\n\nNew.\n", encoding="utf-8")
        wait_for(lambda: fetch(url.group(0) + "billing/z/")[0] == 200, timeout=10, what="the new article")
        assert fetch(url.group(0) + "billing/refunds/")[0] == 200
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
        finally:
            log = proc.stderr.read()
            proc.stderr.close()
    assert code == 0, log


# -- kbgen new writes only inside the content folder ---------------------------------------------------------------

@pytest.mark.parametrize("category", ["../..", "../outside", "billing/../../..", "/tmp", "/etc"])
def test_new_refuses_a_category_outside_the_content_folder(site_kb, category: str) -> None:
    before = {p for p in site_kb.parent.rglob("*")}
    result = run("new", "Sneaky article", "--category", category)
    assert result.exit_code == 2
    assert f"--category {category} leads outside the content folder" in result.output
    assert {p for p in site_kb.parent.rglob("*")} == before
    assert not Path("/tmp/sneaky-article.md").exists()


def test_new_refuses_a_category_that_is_a_link_out_of_the_content_folder(site_kb, outside) -> None:
    os.symlink(outside, site_kb / "content/elsewhere")
    result = run("new", "Sneaky article", "--category", "elsewhere")
    assert result.exit_code == 2
    assert not (outside / "sneaky-article.md").exists()


def test_new_accepts_a_folder_inside_given_either_way(site_kb) -> None:
    assert run("new", "One", "--category", "billing/./refunds").exit_code == 0
    assert (site_kb / "content/billing/refunds/one.md").is_file()
    result = run("new", "Two", "--category", str(site_kb / "content/billing"))
    assert result.exit_code == 0, result.output
    assert (site_kb / "content/billing/two.md").is_file()


def test_new_never_writes_through_a_dangling_link(site_kb, outside) -> None:
    os.symlink(outside / "planted.md", site_kb / "content/billing/sneaky-article.md")
    result = run("new", "Sneaky article", "--category", "billing")
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert not (outside / "planted.md").exists()
