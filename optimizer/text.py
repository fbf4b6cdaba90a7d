"""Text that users wrote: normalised and checked at the boundary, shown safely on a terminal.

Three rules, each in one place:

- ``nfc``: every text read from a scenario is put in Unicode normal form C, so "Å" typed as one
  code point and "A" + combining ring are the same id (a reference in either form matches, and
  two ids that differ only in form are duplicates).
- ``control_character``: control characters (C0 except tab and line breaks, DEL, C1) have no
  place in ids, names or any other text of a scenario: a terminal acts on them (ESC starts a
  colour or cursor sequence) and a workbook cannot hold them. The readers reject them with the
  file, row and field.
- ``shown``: what goes to the rich console. Rich reads ``[...]`` as markup (``PS[/]MOD`` crashes
  it), and a control character that got this far is printed as an escape, never raw.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from rich.markup import escape

# Line breaks stay allowed: a description typed in a cell may run over several lines.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def nfc(text: str) -> str:
    """``text`` in Unicode normal form C (composed: "Å" is one code point)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _is_control(char: str) -> bool:
    code = ord(char)
    return (code < 0x20 or 0x7F <= code <= 0x9F) and char not in _ALLOWED_CONTROLS


def control_character(text: str) -> str | None:
    """Why ``text`` cannot be taken: its first control character and where it stands, or None.

    >>> control_character("skola\\x1b[31m")
    'contains a control character (ESC, U+001B) at position 6'
    """
    if text.isprintable():
        return None
    for position, char in enumerate(text, start=1):
        if _is_control(char):
            name = control_name(char)
            what = f"{name}, U+{ord(char):04X}" if name else f"U+{ord(char):04X}"
            return f"contains a control character ({what}) at position {position}"
    return None


_C0_NAMES = [
    "NUL",
    "SOH",
    "STX",
    "ETX",
    "EOT",
    "ENQ",
    "ACK",
    "BEL",
    "BS",
    "HT",
    "LF",
    "VT",
    "FF",
    "CR",
    "SO",
    "SI",
    "DLE",
    "DC1",
    "DC2",
    "DC3",
    "DC4",
    "NAK",
    "SYN",
    "ETB",
    "CAN",
    "EM",
    "SUB",
    "ESC",
    "FS",
    "GS",
    "RS",
    "US",
]


def control_name(char: str) -> str | None:
    """The short name of a control character (ESC, NUL, DEL); None for C1 characters, which
    have no short name that users know."""
    code = ord(char)
    if code < 0x20:
        return _C0_NAMES[code]
    return "DEL" if code == 0x7F else None


def visible(text: str) -> str:
    """Invisible characters (control codes, a stray byte-order mark, zero-width spaces) written
    as escapes (``\\x1b``): a terminal would act on them or drop them, and "field 'id' is not a
    known column" would then name a column that looks exactly like a known one."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def shown(value: object) -> str:
    """Any user-provided text (an id, a name, a variant, a path) as rich console markup that
    prints exactly that text: markup escaped, control characters as escapes."""
    return escape(visible(str(value)))


def shown_report(value: object) -> str:
    """``shown`` for a line or cell a report words itself (a closure, a diagnosis, a table of
    alternatives): its numbers carry the no-break space of Swedish thousands and percentages
    ("15 000 pe", "13,6 %"), which ``visible`` would print as "\\xa0". In a report a no-break
    space is the space it looks like, in a name as well."""
    return escape("\u00a0".join(visible(part) for part in str(value).split("\u00a0")))


def cell_safe(value: object) -> object:
    """Text a workbook cell can hold: control characters other than tab and line breaks written
    as escapes (openpyxl refuses them with IllegalCharacterError). The readers already reject
    them in scenario text; this keeps a report from failing on text that came another way."""
    if isinstance(value, str) and _CELL_ILLEGAL.search(value):
        return _CELL_ILLEGAL.sub(lambda match: repr(match.group())[1:-1], value)
    return value


_CELL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def printable_line(value: object) -> str:
    """Like ``shown`` for text printed with ``markup=False`` (only control characters escaped)."""
    return visible(str(value))


MAX_LISTED = 12  # known ids listed after an unknown one; more would bury the message


def unknown(what: str, value: str, known: set[str]) -> str:
    """``unknown district 'Centrun'; did you mean 'centrum'? (known: brunflo, centrum, …)``."""
    message = f"unknown {what} '{value}'"
    folded: dict[str, list[str]] = {}
    for k in sorted(known):
        folded.setdefault(k.casefold(), []).append(k)
    close = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=0.6)
    if close:
        message += f"; did you mean {' or '.join(repr(k) for k in folded[close[0]])}?"
    listed = sorted(known)
    if not listed:
        message += " (the scenario defines none)"
    else:
        more = f", … ({len(listed) - MAX_LISTED} more)" if len(listed) > MAX_LISTED else ""
        message += f" (known: {', '.join(listed[:MAX_LISTED])}{more})"
    return message
