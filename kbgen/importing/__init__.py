"""`kbgen import SOURCE`: turn another tool's project into a kbgen content folder and `kbgen.yml`.

Each source tool has a reader that makes an `ImportPlan` (the files to write and what a writer should look at);
nothing is written until the whole plan is known and none of its files exists yet, so an import never
overwrites anything and never stops halfway.
"""

from __future__ import annotations

from pathlib import Path

import click

from kbgen.core.diagnostics import KbgenError
from kbgen.importing.plan import ImportPlan

KINDS = ("mkdocs", "docusaurus", "hugo", "zendesk")


def detect(source: Path) -> str:
    """The tool a project was written for, from the files only that tool keeps at its root."""
    if source.is_file() and source.suffix == ".json":
        return "zendesk"
    if (source / "mkdocs.yml").is_file() or (source / "mkdocs.yaml").is_file():
        return "mkdocs"
    if any((source / f"docusaurus.config.{ext}").is_file() for ext in ("js", "ts", "mjs", "cjs")):
        return "docusaurus"
    if any((source / name).is_file() for name in ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml")):
        return "hugo"
    if any(p.suffix == ".json" for p in source.glob("*.json")):
        return "zendesk"
    raise KbgenError(f"{source}: no mkdocs.yml, docusaurus.config.js, hugo.toml or Zendesk JSON export found; "
                     f"say what it is with --from ({', '.join(KINDS)})")


def plan_import(source: Path, kind: str | None = None) -> ImportPlan:
    kind = kind or detect(source)
    if kind == "mkdocs":
        from kbgen.importing.mkdocs import plan
    elif kind == "docusaurus":
        from kbgen.importing.docusaurus import plan
    elif kind == "hugo":
        from kbgen.importing.hugo import plan
    else:
        from kbgen.importing.zendesk import plan
    return plan(source)


def import_project(source: Path, out: Path, kind: str | None = None) -> list[str]:
    """Import `source` into `out` (nothing there is replaced), and what to tell the writer: what came in, what to
    look at before publishing, and the next command."""
    plan = plan_import(source, kind)
    written = plan.write(out)
    lines = [f"Imported {plan.articles} articles from {plan.kind} project {source} into {out} "
             f"({len(written)} files: kbgen.yml and content/)."]
    if plan.notes:
        lines.append(f"For a writer to look at ({len(plan.notes)}):")
        # A note quotes the source's own text: none of its escape sequences reaches the terminal.
        lines += [f"  {click.unstyle(note)}" for note in plan.notes]
    lines.append(f"Next: cd {out} && kbgen check --verbose")
    return lines
