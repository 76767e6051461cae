"""How kbgen.yml's own problems are reported: once, where they are, with the severity the site asked for."""

from __future__ import annotations

from conftest import run


def test_unknown_config_key_can_be_silenced(kb) -> None:
    kb({"kbgen.yml": "site_nmae: Help\nseverity:\n  config-unknown-key: ignore\n", "content/a.md": "# A\n"})
    result = run("build", "--strict")
    assert result.exit_code == 0, result.output
    assert "config-unknown-key" not in result.stderr
    assert "no warnings" in result.stdout


def test_unknown_config_key_is_a_warning_with_its_line(kb) -> None:
    kb({"kbgen.yml": "site_name: Help\nsite_nmae: Help\n", "content/a.md": "# A\n"})
    result = run("build")
    assert result.exit_code == 0
    assert ("kbgen.yml:2: warning[config-unknown-key]: unknown key 'site_nmae' (did you mean 'site_name'?)"
            in result.stderr.splitlines())


def test_a_fixed_code_cannot_be_lowered(kb) -> None:
    kb({"kbgen.yml": "site_name: Help\nseverity:\n  broken-link: warning\n  encoding: ignore\n",
        "content/a.md": "# A\n"})
    result = run("build")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("kbgen.yml:4: error[config-invalid]: 'severity': 'encoding' cannot be changed")
               for line in lines), result.stderr
    assert not (kb.root / "site").exists()


def test_an_up_to_date_rebuild_reports_each_config_warning_once(kb) -> None:
    kb({"kbgen.yml": "site_nmae: Help\n", "content/a.md": "# A\n\n[b](b.md#nowhere)\n", "content/b.md": "# B\n"})
    first = run("build")
    assert first.exit_code == 0
    second = run("build")
    assert "up to date" in second.stdout
    assert second.stderr == first.stderr
    assert second.stderr.count("config-unknown-key") == 1
    assert second.stderr.count("broken-anchor") == 1
    assert first.stdout.rstrip().endswith("2 warnings (broken-anchor ×1, config-unknown-key ×1)")
    assert second.stdout.rstrip().endswith("(2 warnings (broken-anchor ×1, config-unknown-key ×1))")


def test_a_missing_config_file_is_a_usage_error(kb) -> None:
    kb({"content/a.md": "# A\n"})
    for command in ("build", "check"):
        result = run(command, "--config", "missing.yml")
        assert result.exit_code == 2, result.output
        assert "missing.yml" in result.stderr
        assert "Traceback" not in result.output


def test_a_value_cut_short_by_an_unquoted_hash_is_a_warning_with_its_line(kb) -> None:
    kb({"kbgen.yml": "site_name: Acme #1 help\nlanguage: en  # a real comment\n",
        "content/steps.md": "---\ntitle: Step #2 of the setup\ntags:\n  - setup #basics\norder: 2 # fine\n---\nText.\n",
        "content/csharp.md": "---\ntitle: C# tips\ndescription: \"Quoted #1\" # a comment\n---\nText.\n"})
    result = run("build")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert ("content/steps.md:2: warning[unquoted-hash]: 'title' ends before '#2 of the setup': YAML reads ' #' "
            "as the start of a comment; put the whole value in quotes to keep it, or write '# ' with a space if "
            "it is a comment") in lines
    assert any(line.startswith("content/steps.md:4: warning[unquoted-hash]: 'tags.0' ends before '#basics'")
               for line in lines)
    assert any(line.startswith("kbgen.yml:1: warning[unquoted-hash]: 'site_name' ends before '#1 help'")
               for line in lines)
    assert len(lines) == 3, result.stderr  # C# tips, a quoted value and comments with a space are fine
    assert "3 warnings (unquoted-hash ×3)" in result.stdout
