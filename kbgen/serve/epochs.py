"""What open tabs are told after each rebuild: one `Update` per epoch, folded together for a tab that missed some."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Update:
    """What the open tabs learn about one epoch."""

    epoch: int
    reload: bool = False  # theme or config: styles and every page may differ, so tabs reload whole
    moved: dict[str, str] = field(default_factory=dict)  # old page URL → new one ("/a/b/")
    content: bool = False  # articles changed: what the search index holds may differ


def folded(history: Iterable[Update], current: Update, after: int) -> Update:
    """The epochs after `after` as one update, so a rename two saves ago is still followed; a tab that missed
    more epochs than `history` remembers reloads."""
    missed = [u for u in history if u.epoch > after]
    merged = Update(current.epoch, reload=len(missed) < current.epoch - after)
    for u in missed:
        merged.reload = merged.reload or u.reload
        merged.content = merged.content or u.content
        merged.moved = {old: u.moved.get(new, new) for old, new in merged.moved.items()}
        merged.moved.update({old: new for old, new in u.moved.items() if old not in merged.moved})
    return merged
