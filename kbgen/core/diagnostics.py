"""Diagnostics: every problem a writer can fix, with a stable code and `path:line`.

The format follows Sphinx and compilers (`content/billing/refunds.md:14: error[broken-link]: …`) so editors and
CI annotate the right line. Codes are stable; their severity can be changed per site (`severity:` in kbgen.yml),
except for the few that make a file unreadable.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field

import click


class Severity(enum.IntEnum):
    IGNORE = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


#: Every code kbgen emits, with its default severity. The table is the documentation's source of truth.
CODES: dict[str, Severity] = {
    "config-syntax": Severity.ERROR,
    "config-invalid": Severity.ERROR,
    "config-unknown-key": Severity.WARNING,
    "yaml-syntax": Severity.ERROR,
    "field-type": Severity.ERROR,
    "unquoted-hash": Severity.WARNING,
    "duplicate-key": Severity.WARNING,
    "encoding": Severity.ERROR,
    "file-too-large": Severity.ERROR,
    "broken-link": Severity.ERROR,
    "broken-anchor": Severity.WARNING,
    "link-case": Severity.WARNING,
    "link-to-draft": Severity.WARNING,
    "missing-image": Severity.WARNING,
    "missing-file": Severity.WARNING,
    "duplicate-url": Severity.ERROR,
    "symlink-outside": Severity.WARNING,
    "symlink-loop": Severity.WARNING,
    "broken-symlink": Severity.WARNING,
    "special-file": Severity.WARNING,
    "duplicate-anchor": Severity.WARNING,
    "duplicate-tag": Severity.WARNING,
    "unknown-variable": Severity.ERROR,
    "unknown-snippet": Severity.ERROR,
    "snippet-cycle": Severity.ERROR,
    "snippet-limit": Severity.ERROR,
    "unknown-shortcode": Severity.WARNING,
    "template-syntax": Severity.WARNING,
    "missing-include": Severity.ERROR,
    "mdx-syntax": Severity.WARNING,
    "unknown-directive": Severity.WARNING,
    "xref-link": Severity.WARNING,
    "hugo-section-index": Severity.WARNING,
    "search-test": Severity.ERROR,
    "language-folder": Severity.ERROR,
    "unknown-language": Severity.WARNING,
    "shallow-clone": Severity.WARNING,
    "unsafe-url": Severity.ERROR,
    "log-no-events": Severity.WARNING,
    "event-store": Severity.ERROR,
}

#: Codes whose severity a site may not lower: the file or the site cannot be built correctly past them.
FIXED_CODES = frozenset({"config-syntax", "config-invalid", "yaml-syntax", "encoding", "file-too-large",
                         "duplicate-url"})


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place. `line` is 1-based; 0 means the whole file."""

    path: str
    line: int
    code: str
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}[{self.code}]: {self.message}"

    def github_annotation(self) -> str:
        """The line GitHub Actions turns into an annotation on the file and line of a pull request
        (`::error file=…,line=…,title=…::message`, its workflow-command format)."""
        props = f"file={_escape_property(self.path)}" + (f",line={self.line}" if self.line else "")
        return f"::{self.severity} {props},title={_escape_property(self.code)}::{_escape_data(self.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class Diagnostics:
    """Collects diagnostics for one build, applying the site's severity overrides and `--strict`."""

    def __init__(self, overrides: dict[str, Severity] | None = None, strict: bool = False) -> None:
        self.overrides = dict(overrides or {})
        self.strict = strict
        self.items: list[Diagnostic] = []
        self._seen: set[Diagnostic] = set()

    def add(self, path: str, line: int, code: str, message: str, at_most: Severity | None = None) -> None:
        """Record a problem; `at_most` caps its severity (a draft's broken link breaks nothing published)."""
        severity = self.overrides.get(code, CODES[code]) if code not in FIXED_CODES else CODES[code]
        if at_most is not None:
            severity = min(severity, at_most)
        if severity is Severity.IGNORE:
            return
        if self.strict and severity is Severity.WARNING:
            severity = Severity.ERROR
        diagnostic = Diagnostic(path, line, code, message, severity)
        if diagnostic not in self._seen:  # two links on one line to one missing page: one place, one report
            self._seen.add(diagnostic)
            self.items.append(diagnostic)

    def extend(self, items: list[Diagnostic]) -> None:
        """Re-add diagnostics produced elsewhere (a worker process, the cache) under this build's rules."""
        for d in items:
            self.add(d.path, d.line, d.code, d.message)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))

    def summary(self) -> str:
        """`2 errors, 5 warnings (broken-anchor ×3, missing-image ×2)` — the counts a writer scans for."""
        if not self.items:
            return "no warnings"
        parts = []
        for label, group in (("error", self.errors), ("warning", self.warnings)):
            if group:
                counts = Counter(d.code for d in group)
                detail = ", ".join(f"{code} ×{n}" for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
                parts.append(f"{len(group)} {label}{'s' if len(group) != 1 else ''} ({detail})")
        return ", ".join(parts)


class KbgenError(click.ClickException):
    """A user mistake that stops the command: printed as one clean line, exit code 1."""

    exit_code = 1


class BuildFailed(KbgenError):
    """Content errors were found; they have already been printed."""

    def __init__(self, count: int) -> None:
        super().__init__(f"build failed: {count} error{'s' if count != 1 else ''}; site was not changed")
