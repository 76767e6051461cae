"""Personal data readers type into search boxes (emails, phone, card and bank account numbers) masked before
anything is kept.

Masking happens as each event is read, in every field that carries reader text (the search, and the page address
of clicks and votes, which a hand-made request can fill with anything), so no later stage — counting, grouping,
printing, writing a file — ever sees the original text.
"""

from __future__ import annotations

import re

#: An address, also one without a dot in its domain (`bob@localhost`, `root@intranet`).
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*", re.UNICODE)
#: A hexadecimal code (`0x80070005`): its digits are no account number, so it is left as it is.
_HEX = re.compile(r"(\b0[xX][0-9A-Fa-f]+\b)")
#: A phone number: an optional +, then 7 or more digits with the usual separators between them.
_PHONE = re.compile(r"(?<![\w])\+?\d(?:[\s().-]*\d){6,}(?![\w])")
#: Any other run of 5 or more digits (card, account and order numbers); short numbers (error codes, years) stay.
_DIGITS = re.compile(r"\b\d{5,}")
#: A card-length number (12 or more digits, spaces or dashes between them) also when glued to letters
#: (`card4111111111111111`); shorter runs glued to letters are product codes readers search for (`KB5034441`).
_CARD = re.compile(r"\d(?:[ -]?\d){11,}")
#: Something shaped like an IBAN (two letters, two check digits, 11 to 30 letters and digits, in groups of four
#: or not); only one whose check digits are right is masked (ISO 13616 mod 97), so ordinary words stay.
_IBAN = re.compile(r"\b[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,30}\b")


def mask(text: str) -> str:
    """`mail bob@example.com re 4111 1111 1111 1111` → `mail [email] re [number]`."""
    if "@" in text:
        text = _EMAIL.sub("[email]", text)
    if any(c.isdigit() for c in text):
        text = _IBAN.sub(_iban_or_text, text)
        parts = _HEX.split(text)  # odd items are the hex codes
        text = "".join(part if i % 2 else _DIGITS.sub("[number]", _PHONE.sub("[number]", _CARD.sub("[number]", part)))
                       for i, part in enumerate(parts))
    return text


def _iban_or_text(m: re.Match) -> str:
    """The longest start of the match (whole groups of four, or all of it) that is a valid IBAN, masked."""
    found = m.group(0)
    words = found.split(" ")
    for end in range(len(words), 0, -1):
        candidate = "".join(words[:end])
        if 15 <= len(candidate) <= 34 and _iban_valid(candidate):
            return "[iban]" + (" " + " ".join(words[end:]) if end < len(words) else "")
    return found


def _iban_valid(iban: str) -> bool:
    """ISO 13616: the country and check digits moved to the end, letters as 10–35, the number mod 97 is 1."""
    moved = (iban[4:] + iban[:4]).upper()
    if not moved.isalnum() or not moved.isascii():
        return False
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1
