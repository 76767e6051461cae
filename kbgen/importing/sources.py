"""Reading another tool's Markdown files: front matter in YAML (`---`) or TOML (`+++`), and its folders."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import yaml

from kbgen.importing.plan import CONTENT, ImportPlan

_YAML = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?", re.S | re.M)
_TOML = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*\r?$\n?", re.S | re.M)


class AnyTagLoader(yaml.SafeLoader):
    """A YAML loader that reads tool-specific tags (`!!python/name:…`, `!ENV`) as plain values instead of
    refusing the whole file: an import needs the site name and the nav, not the plugins' objects."""


def _any_tag(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


AnyTagLoader.add_multi_constructor("!", _any_tag)
AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def load_yaml(text: str):
    return yaml.load(text, Loader=AnyTagLoader)  # noqa: S506 — a SafeLoader subclass


def split_markdown(text: str) -> tuple[dict, str, str | None]:
    """(front matter, body, problem): TOML front matter is read here, so the written file is all YAML."""
    text = text.lstrip("\ufeff")
    for pattern, parse, name in ((_YAML, load_yaml, "YAML"), (_TOML, tomllib.loads, "TOML")):
        m = pattern.match(text)
        if m:
            try:
                meta = parse(m.group(1))
            except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
                return {}, text, f"its {name} front matter could not be read ({str(exc).splitlines()[0]}); kept as text"
            return (meta if isinstance(meta, dict) else {}), text[m.end():], None
    return {}, text, None


def files_under(folder: Path) -> Iterator[Path]:
    """Every regular file under `folder`, in a stable order, leaving out hidden files and folders."""
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or path.is_symlink() or not path.is_file():
            continue
        yield path


def markdown_files(folder: Path, result: ImportPlan, suffixes: tuple[str, ...],
                   skip: tuple[str, ...] = ()) -> Iterator[tuple[str, Path, dict, str]]:
    """(path inside `folder`, file, front matter, body) of each Markdown file; every other file (images,
    downloads) is copied into the content folder as it is, except those named in `skip`."""
    for path in files_under(folder):
        rel = path.relative_to(folder).as_posix()
        if path.name in skip:
            continue
        if path.suffix.lower() not in suffixes:
            result.copies[f"{CONTENT}/{rel}"] = path
            continue
        meta, body, problem = split_markdown(path.read_text(encoding="utf-8", errors="replace"))
        if problem:
            result.note(rel, problem)
        yield rel, path, plain(meta), body


def plain(value) -> object:
    """Front-matter values as YAML can write them: dates stay dates, TOML's datetimes become dates."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
