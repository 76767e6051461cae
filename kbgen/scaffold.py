"""`kbgen init` and `kbgen new`: start a knowledge base, add an article with its front matter filled in."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import click

from kbgen.config.settings import CONFIG_FILE
from kbgen.core.diagnostics import KbgenError
from kbgen.core.slugs import url_slug
from kbgen.core.yamlsource import YamlSyntaxError, parse_yaml

STARTER = Path(__file__).parent / "starter"


def create_project(directory: Path) -> list[Path]:
    """Copy the starter project into `directory`; never overwrite a file that is already there."""
    if (directory / CONFIG_FILE).exists():
        raise KbgenError(f"{directory / CONFIG_FILE} already exists; this folder already has a knowledge base")
    planned = [p for p in sorted(STARTER.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    clashes = [directory / p.relative_to(STARTER) for p in planned if (directory / p.relative_to(STARTER)).exists()]
    if clashes:
        raise KbgenError(f"{clashes[0]} already exists; run kbgen init in an empty folder")
    written = []
    for source in planned:
        target = directory / source.relative_to(STARTER)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    return written


def _configured_content_dir() -> Path:
    """The content folder kbgen.yml names, else `content/`: `kbgen new` writes where `kbgen build` reads."""
    try:
        data = parse_yaml(Path(CONFIG_FILE).read_text(encoding="utf-8-sig")).data if Path(CONFIG_FILE).exists() else {}
    except (YamlSyntaxError, UnicodeDecodeError):
        raise KbgenError(f"{CONFIG_FILE} could not be read; run `kbgen check` to see why") from None
    folder = data.get("content_dir") if isinstance(data, dict) else None
    return Path(folder) if isinstance(folder, str) else Path("content")


def _category_folder(content_dir: Path, category: str) -> Path:
    """The folder `--category` names: under the content folder, or an absolute path inside it. Anything leading
    out of it (`../..`, `/etc`, a linked folder pointing elsewhere) is a usage error: `new` writes only there."""
    folder = content_dir / category if category else content_dir  # an absolute `category` replaces content_dir
    inside, real = content_dir.resolve(), folder.resolve()
    if real != inside and inside not in real.parents:
        raise click.UsageError(f"--category {category} leads outside the content folder {content_dir}; "
                               "give a folder inside it, like billing/refunds")
    return folder


def create_article(title: str, category: str, faq: bool, content: Path | None) -> Path:
    """Write `content/<category>/<slug>.md` with today's dates, refusing to replace an existing file."""
    if not title.strip():
        raise KbgenError("the title is empty")
    content_dir = content or _configured_content_dir()
    if not content_dir.is_dir():
        raise KbgenError(f"content folder not found: {content_dir} (run kbgen init first, or pass --content)")
    folder = _category_folder(content_dir, category)
    path = folder / f"{url_slug(title)}.md"
    if path.exists() or path.is_symlink():  # a dangling link would be written through, wherever it points
        raise KbgenError(f"{path} already exists")
    today = dt.date.today().isoformat()
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    lines = ["---", f'title: "{quoted}"', 'description: ""', f"created: {today}", f"updated: {today}"]
    if faq:
        lines.append("type: faq")
    lines.append("---")
    body = "\n## First question?\n\nIts answer.\n" if faq else "\n"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n" + body, encoding="utf-8")
    return path
