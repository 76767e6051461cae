"""What an import writes, checked whole before the first byte is written."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kbgen.config.settings import CONFIG_FILE
from kbgen.core.diagnostics import KbgenError

CONTENT = "content"


@dataclass
class ImportPlan:
    """Files for the new project, keyed by their path inside it: text to write, or a source file to copy."""

    kind: str
    config: dict = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what a writer should look at, one line each
    articles: int = 0

    def article(self, rel: str, meta: dict, body: str) -> None:
        """An article at `content/<rel>` with its front matter."""
        self.texts[f"{CONTENT}/{rel}"] = with_front_matter(meta, body)
        self.articles += 1

    def category(self, folder: str, meta: dict) -> None:
        """`_category.yml` of a content folder ("" is the content folder itself)."""
        meta = {k: v for k, v in meta.items() if v not in (None, "")}
        if meta:
            self.texts[f"{CONTENT}/{folder}/_category.yml".replace("//", "/")] = dump_yaml(meta)

    def note(self, where: str, what: str) -> None:
        self.notes.append(f"{where}: {what}")

    def targets(self) -> list[str]:
        return sorted({CONFIG_FILE, *self.texts, *self.copies})

    def write(self, into: Path) -> list[Path]:
        """Write every file, after making sure none of them exists: an import replaces nothing."""
        clashes = [into / rel for rel in self.targets() if (into / rel).exists() or (into / rel).is_symlink()]
        if clashes:
            shown = ", ".join(str(p) for p in clashes[:5])
            more = f" and {len(clashes) - 5} more" if len(clashes) > 5 else ""
            raise KbgenError(f"{shown}{more} already exist(s); an import never replaces a file — "
                             "choose an empty folder with --out")
        written = []
        for rel, text in {CONFIG_FILE: dump_yaml(self.config), **self.texts}.items():
            written.append(_place(into / rel))
            written[-1].write_text(text, encoding="utf-8")
        for rel, source in self.copies.items():
            written.append(_place(into / rel))
            shutil.copyfile(source, written[-1])
        return written


def _place(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def dump_yaml(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


def with_front_matter(meta: dict, body: str) -> str:
    meta = {k: v for k, v in meta.items() if v not in (None, "", [])}
    head = f"---\n{dump_yaml(meta)}---\n" if meta else ""
    return head + "\n" + body.lstrip("\n").rstrip() + "\n"
