"""Reader text made harmless for every place the report goes: a terminal, a file, a spreadsheet (issue 18).

Searches come from anyone on the internet. A query holding `ESC[2J` cleared the owner's screen when the report was
printed, and one starting with `=HYPERLINK(…)` ran as a formula when the CSV was opened. Control characters become
visible symbols in every format (the report's data is neutralised once, before any format is written); CSV cells
that a spreadsheet would read as a formula get a leading apostrophe (OWASP, "CSV Injection").
"""

from __future__ import annotations

from typing import Any

#: C0 controls show as their Unicode "control pictures" (ESC → ␛), DEL as ␡; C1 controls (0x9B is a one-byte
#: CSI on some terminals), line and paragraph separators and the bidirectional overrides that reorder what a
#: terminal shows ("Trojan Source", CVE-2021-42574) as the replacement character.
_VISIBLE = {**{c: 0x2400 + c for c in range(0x20)}, 0x7F: 0x2421,
            **{c: 0xFFFD for c in (*range(0x80, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F),
                                   *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}}

#: What a spreadsheet reads as the start of a formula (or of a cell it shifts, for tab and carriage return).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str) -> str:
    """`text` with every control character shown as a symbol: nothing in it can drive a terminal."""
    return text.translate(_VISIBLE)


def neutralised(value: Any) -> Any:
    """The report's data (nested dicts, lists, text, numbers) with every text `printable`."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable(k) if isinstance(k, str) else k: neutralised(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [neutralised(v) for v in value]
    return value


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: `=SUM(A1)` → `'=SUM(A1)`; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
