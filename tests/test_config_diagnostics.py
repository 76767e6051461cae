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
