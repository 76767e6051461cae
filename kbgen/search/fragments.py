"""Display fragments, put aside while the search export reads its records one at a time.

Each record's fragment (`format.Fragment`: title, URL, breadcrumb, section texts) is encoded as the export reads the
record and kept in a temporary file until the groups are made: a big site's display text is tens of megabytes, and
the export holds the postings already (issue 20).
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterator

from kbgen.search.format import Fragment, FragmentGroup, Section, encode_fragment
from kbgen.search.records import Record

#: Raw bytes of display text per fragment group (about 0.25 KB gzipped): one or two results' worth.
FRAGMENT_BYTES = 400


class Fragments:
    """Each record's fragment, encoded as it is read and put aside in a temporary file until the groups are made:
    a big site's display text is tens of megabytes, and the export holds the postings already."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="kbgen-fragments-")
        self._where: dict[int, tuple[int, int]] = {}  # article id → (offset, length) in the file
        self._size, self._count = 0, 0

    def add(self, doc: int, r: Record) -> None:
        encoded = encode_fragment(Fragment(r.url, r.title, list(r.breadcrumb),
                                           [Section(s.anchor, s.title, s.text) for s in r.sections]))
        self._where[doc] = (self._file.tell(), len(encoded))
        self._file.write(encoded)
        self._size += len(r.url) + len(r.title) + sum(len(s.title) + len(s.text) + 12 for s in r.sections) + 20
        self._count += 1

    def group_size(self) -> int:
        """Articles per fragment group, for about FRAGMENT_BYTES of display text each."""
        if not self._count:
            return 1
        return max(1, round(FRAGMENT_BYTES / (self._size / self._count)))

    def groups(self, ids: dict[str, int], group: int) -> Iterator[FragmentGroup]:
        """Every group, in order, each with its articles' encoded fragments; the file is gone afterwards."""
        members: dict[int, list[int]] = defaultdict(list)
        for doc in self._where:
            members[doc // group].append(doc)
        with self._file:
            for number in range((max(ids.values(), default=-1) // group) + 1):
                yield FragmentGroup(number, {doc: self._read(doc) for doc in members.get(number, ())})

    def _read(self, doc: int) -> bytes:
        offset, length = self._where[doc]
        self._file.seek(offset)
        return self._file.read(length)
