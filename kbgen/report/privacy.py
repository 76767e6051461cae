"""Personal data readers type into search boxes (emails, phone and card numbers) masked before anything is kept.

Masking happens as each event is read, so no later stage — counting, grouping, printing, writing a file — ever
sees the original text.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
#: A phone number: an optional +, then 7 or more digits with the usual separators between them.
_PHONE = re.compile(r"(?<![\w])\+?\d(?:[\s().-]*\d){6,}(?![\w])")
#: Any other run of 5 or more digits (card, account and order numbers); short numbers (error codes, years) stay.
_DIGITS = re.compile(r"\b\d{5,}")  # \b: the digits of a hex error code (0x80070005) are no account number


def mask(text: str) -> str:
    """`mail bob@example.com re 4111 1111 1111 1111` → `mail [email] re [number]`."""
    if "@" in text:
        text = _EMAIL.sub("[email]", text)
    if any(c.isdigit() for c in text):
        text = _PHONE.sub("[number]", text)
        text = _DIGITS.sub("[number]", text)
    return text
