"""Code blocks → HTML: Pygments' lexers, and spans with Pygments' CSS classes written by a loop of our own.

The HTML is byte for byte what Pygments' `HtmlFormatter(nowrap=True)` writes (a test compares the two on every
code block of the shared corpora), but that formatter passes each line through nested generators and was a sixth
of highlighting a code-heavy site; a code block here is one pass over its tokens.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

from kbgen.markdown import fastlex


def lexer_for(lang: str) -> Lexer | None:
    """The lexer of a fence's language (`js`, `python`…), None when Pygments knows no such language."""
    return _lexer(lang.lower())


@lru_cache(maxsize=256)
def _lexer(lang: str) -> Lexer | None:
    try:
        return get_lexer_by_name(lang, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


#: The HTML of code blocks highlighted lately, by (lexer class, code), up to `_MEMO_CHARS` characters of HTML: the
#: live preview renders an article again on every save, and most of its code blocks have not changed.
_MEMO: OrderedDict[tuple[type, str], str] = OrderedDict()
_MEMO_CHARS = 4_000_000
_memo_size = 0


def highlight(code: str, lexer: Lexer) -> str:
    """`spans(code, lexer)`, from the memo when this process highlighted the same code in the same language
    lately."""
    global _memo_size
    key = (type(lexer), code)  # every lexer is made with the same options (`_lexer`)
    html = _MEMO.get(key)
    if html is not None:
        _MEMO.move_to_end(key)
        return html
    html = spans(code, lexer)
    _MEMO[key] = html
    _memo_size += len(html)
    while _memo_size > _MEMO_CHARS:
        _memo_size -= len(_MEMO.popitem(last=False)[1])
    return html


def spans(code: str, lexer: Lexer) -> str:
    """`code` as HTML spans: `<span class="k">const</span> x…`, each line's spans closed before its newline."""
    out: list[str] = []
    push = out.append
    opener = _OPENERS
    open_span = ""  # the opening tag of the span now open on this line ("" none)
    line_has_text = False
    fastlex.read(lexer, len(code))
    for ttype, value in lexer.get_tokens(code):
        span = opener.get(ttype)
        if span is None:
            span = opener[ttype] = _opening_tag(ttype)
        if "&" in value or "<" in value or ">" in value:
            value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if "\n" in value:
            *whole_lines, value = value.split("\n")
            for part in whole_lines:
                if part and open_span != span:
                    if open_span:
                        push("</span>")
                    push(span)
                    open_span = span
                push(part)
                if open_span:
                    push("</span>")
                push("\n")
                open_span = ""
            line_has_text = False
        if value:
            if open_span != span:
                if open_span:
                    push("</span>")
                push(span)
                open_span = span
            push(value)
            line_has_text = True
    if line_has_text:
        if open_span:
            push("</span>")
        push("\n")
    return "".join(out)


#: Token type → its opening tag, filled as types are met.
_OPENERS: dict[tuple, str] = {}


def _opening_tag(ttype) -> str:
    """`<span class="nb">`; a type Pygments has no short name for gets its nearest ancestor's name with the rest
    spelt out (`nb-Magic`), after the names of the standard types above it, as Pygments does."""
    classes = _class_of(ttype)
    while ttype not in STANDARD_TYPES:
        ttype = ttype.parent
        classes = f"{_class_of(ttype)} {classes}"
    return f'<span class="{classes}">' if classes else ""


def _class_of(ttype) -> str:
    name = STANDARD_TYPES.get(ttype)
    if name is not None:
        return name
    suffix = ""
    while name is None:
        suffix = f"-{ttype[-1]}{suffix}"
        ttype = ttype.parent
        name = STANDARD_TYPES.get(ttype)
    return name + suffix
