"""GFM autolinks (`https://…`, `www.…`, `name@example.com`) in time proportional to the text.

mdit-py-plugins' `gfm_autolink_plugin` (0.7) is quadratic on lines nobody writes but anybody can: at every `:` its
protocol rule searches the whole pending text with a regular expression and copies the rest of the paragraph
(a 200 KB line of `:` took 126 s, issue 17); its `www.` and e-mail rules copy the rest of the paragraph too, and its
trimming of trailing `)` recounts the parentheses of the whole link for each one. These rules decide exactly what
the plugin decides (its `_match` helpers do the matching) but look at the last few characters of the pending text
only, and hand the helpers the text up to the next space, cut at WINDOW characters: only a link that fills the
cut window is matched again on the whole run, and a match moves the parser past it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.gfm_autolink import _match
from mdit_py_plugins.gfm_autolink._match import check_prev, match_any_email

#: How much text a rule looks at first: a host name has at most 253 characters, an e-mail address 318.
WINDOW = 512

_SPACE = re.compile(r"[ \t\r\n\x00\x0b\x0c]")  # what ends a link (the plugin's `_isspace`)
_PROTOCOL_END = re.compile(r"(https?|mailto|xmpp)$")

Link = tuple[str, int]  # (URL, how many characters of the text it covers)


def gfm_autolink_plugin(md: MarkdownIt) -> None:
    """The plugin's three rules, under its names, with bounded look-ahead and look-back."""
    md.inline.add_terminator_char("w")
    md.inline.ruler.push("gfm_autolink_www", _www_rule)
    md.inline.ruler.push("gfm_autolink_protocol", _protocol_rule)
    md.inline.ruler.push("gfm_autolink_email", _email_rule)


def _matched(state: StateInline, start: int, match: Callable[[str], Link | None]) -> Link | None:
    """`match(text)` on the text from `start` up to and including the next space, cut at WINDOW characters.

    The helpers decide by then, unless a host name or address runs on past the cut (real ones are under 254
    characters). A link found in a cut window may go on, so it is matched again on the whole run, which the
    parser then moves past: each character is looked at a bounded number of times."""
    end = min(state.posMax, start + WINDOW)
    space = _SPACE.search(state.src, start, end)
    if space:
        return match(state.src[start:space.end()])
    result = match(state.src[start:end])
    if result is None or end == state.posMax:
        return result
    space = _SPACE.search(state.src, end, state.posMax)
    return match(state.src[start:space.end() if space else state.posMax])


def _www_rule(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    if state.linkLevel > 0 or not state.src.startswith("www.", pos) or pos + 4 > state.posMax:
        return False
    if state.pending:
        if not check_prev(state.pending[-1]):
            return False
    elif pos > 0 and not check_prev(state.src[pos - 1]):
        return False
    result = _matched(state, pos, _match_www)
    if result is None or silent:  # autolinks only when emitting tokens, as the plugin (its #160)
        return False
    url, length = result
    return _push_link(state, 0, length, url, state.src[pos:pos + length])


def _protocol_rule(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    if state.linkLevel > 0 or state.src[pos] != ":" or pos + 4 > state.posMax:
        return False
    found = _PROTOCOL_END.search(state.pending[-6:])  # the plugin searched all of it, at every `:`
    if found is None:
        return False
    proto = found.group(1)
    before = pos - len(proto)
    if before > 0 and not check_prev(state.src[before - 1]):
        return False
    if proto in ("mailto", "xmpp"):
        result = _matched(state, pos, lambda rest: match_any_email(proto + rest, len(proto) + 1, proto))
    else:
        result = _matched(state, pos, lambda rest: _match_http(proto + rest))
    if result is None or silent:
        return False
    url, length = result
    return _push_link(state, len(proto), length, url, state.src[before:before + length])


def _email_rule(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    if state.linkLevel > 0 or state.src[pos] != "@" or pos + 1 >= state.posMax:
        return False
    pending = state.pending
    local = len(pending)
    while local > 0 and pending[local - 1].isascii() and (pending[local - 1].isalnum() or pending[local - 1] in ".+-_"):
        local -= 1
    local_len = len(pending) - local
    before = pos - local_len
    if not local_len or (before > 0 and not check_prev(state.src[before - 1])):
        return False
    result = _matched(state, pos, lambda rest: _match_email_domain(pending[local:], rest))
    if result is None or silent:
        return False
    url, length = result
    return _push_link(state, local_len, length, url, url.removeprefix("mailto:"))


def _match_email_domain(local: str, rest: str) -> Link | None:
    """The plugin's bare-address rule from the `@` on: the domain has a dot, ends in a letter, digit or dot."""
    after_at = rest[1:]
    length = dots = 0
    for i, ch in enumerate(after_at):
        if ch.isascii() and ch.isalnum():
            pass
        elif ch == "@":
            return None
        elif ch == "." and i + 1 < len(after_at) and after_at[i + 1].isascii() and after_at[i + 1].isalnum():
            dots += 1
        elif ch != "-" and ch != "_":
            break
        length += 1
    if length == 0 or dots == 0:
        return None
    last = after_at[length - 1]
    if not (last.isascii() and last.isalnum()) and last != ".":
        return None
    address = local + "@" + after_at[:length]
    return "mailto:" + address, len(address)


def _push_link(state: StateInline, back: int, length: int, url: str, text: str) -> bool:
    """`<a>` for the `length` characters that start `back` characters before the parser, as the plugin writes it."""
    full_url = state.md.normalizeLink(url)
    if not state.md.validateLink(full_url):
        return False
    if back:
        state.pending = state.pending[:-back]
    token = state.push("link_open", "a", 1)
    token.attrs = {"href": full_url}
    token.markup = "autolink"
    token.info = "auto"
    token = state.push("text", "", 0)
    token.content = state.md.normalizeLinkText(text)
    token = state.push("link_close", "a", -1)
    token.markup = "autolink"
    token.info = "auto"
    state.pos += length - back
    return True


def _match_www(text: str) -> Link | None:
    """The plugin's `match_www`, with the linear trimming below."""
    end = _match._check_domain(text[4:], False)
    if end is None:
        return None
    end = _trim_end(text, _run_end(text, end + 4))
    return "http://" + text[:end], end


def _match_http(text: str) -> Link | None:
    """The plugin's `match_http`, with the linear trimming below."""
    prefix = 8 if text.startswith("https://") else 7 if text.startswith("http://") else 0
    if not prefix:
        return None
    end = _match._check_domain(text[prefix:], True)
    if end is None:
        return None
    end = _trim_end(text, _run_end(text, end + prefix))
    return text[:end], end


def _run_end(text: str, start: int) -> int:
    space = _SPACE.search(text, start)
    return space.start() if space else len(text)


def _trim_end(data: str, end: int) -> int:
    """The plugin's `_autolink_delim`: trailing punctuation, an `&entity;` and unbalanced `)` are not part of the
    link. Counted once, not again for each `)` (a link followed by 40,000 of them took 1 s in the plugin)."""
    lt = data.find("<", 0, end)
    if lt != -1:
        end = lt
    opening = closing = None
    while end > 0:
        last = data[end - 1]
        if last in _match._LINK_END_ASSORTMENT:
            end -= 1
        elif last == ";":
            start = end - 2
            while start > 0 and data[start].isalpha():
                start -= 1
            end = start if start < end - 2 and data[start] == "&" else end - 1
        elif last == ")":
            if opening is None:
                opening, closing = data.count("(", 0, end), data.count(")", 0, end)
            if closing <= opening:
                break
            end -= 1
            closing -= 1
        else:
            break
    return end
