"""What of other articles the page being rendered shows: noted by the template views while it renders, so a rebuild
knows which edits can change the page (`kbgen.render.fingerprints`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kbgen.content.model import Article

BODY, DATE, DATES = "body", "date", "dates"  # what a page read of an article; DATES: every date of a language

Read = tuple[str, str]  # (article's source path, or a language's code for DATES; what was read)

_reads: ContextVar[set[Read] | None] = ContextVar("kbgen_page_reads", default=None)


def note_read(article: Article, what: str) -> None:
    """Say that the page being rendered shows `what` (BODY or DATE) of `article` (a no-op outside a build)."""
    reads = _reads.get()
    if reads is not None:
        reads.add((article.rel, what))


@contextmanager
def noting(reads: set[Read]) -> Iterator[set[Read]]:
    """Collect into `reads` what the page rendered inside the block reads."""
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)
