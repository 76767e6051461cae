"""The built-in category icons (`icon: billing` in `_category.yml`): small line drawings made here, drawn in the
text colour (`currentColor`), so they follow the theme's colours and dark mode without a file per site."""

from __future__ import annotations

from markupsafe import Markup

#: Name → the drawing inside a 24×24 box, strokes only.
BUILT_IN: dict[str, str] = {
    "account": '<circle cx="12" cy="8" r="4"/><path d="M4 20c1.5-4 4.5-6 8-6s6.5 2 8 6"/>',
    "billing": '<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M3 10h18M7 15h4"/>',
    "contact": '<path d="M4 5h16v11H9l-5 4z"/><path d="M8 9h8M8 12h5"/>',
    "download": '<path d="M12 4v11M7 10l5 5 5-5M5 20h14"/>',
    "guide": '<path d="M4 19a2 2 0 0 1 2-2h13V3H6a2 2 0 0 0-2 2z"/><path d="M4 19a2 2 0 0 0 2 2h13v-4M8 7h7"/>',
    "question": '<circle cx="12" cy="12" r="9"/><path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7v.5"/>'
                '<path d="M12 17.5v.01"/>',
    "security": '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V8a4 4 0 0 1 8 0v3M12 15v2"/>',
    "settings": '<path d="M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1"/><circle cx="15" cy="6" r="2"/>'
                '<circle cx="9" cy="12" r="2"/><circle cx="17" cy="18" r="2"/>',
    "shipping": '<path d="M3 7l9-4 9 4v10l-9 4-9-4z"/><path d="M3 7l9 4 9-4M12 11v10"/>',
    "start": '<path d="M5 21V4M5 4h12l-2.5 4 2.5 4H5"/>',
}


def icon_svg(name: str | None) -> Markup | None:
    """The inline SVG of a built-in icon, or None when `name` is not one."""
    drawing = BUILT_IN.get((name or "").strip().lower())
    if drawing is None:
        return None
    return Markup('<svg class="card-icon" viewBox="0 0 24 24" width="32" height="32" aria-hidden="true" '
                  'fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" '
                  f'stroke-linejoin="round">{drawing}</svg>')


def looks_like_a_name(icon: str) -> bool:
    """`billng`: a word meant as a built-in icon's name (an emoji or other text is shown as it is)."""
    return icon.isascii() and icon.replace("-", "").isalnum() and icon[:1].isalpha()
