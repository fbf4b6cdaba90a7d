"""Refuse deeply nested TOML and JSON before a recursive parser sees it.

``tomllib`` and ``json`` parse nested arrays and tables by recursion: a file of ten thousand
``[`` ends in a ``RecursionError`` traceback (and anything that walks the result afterwards,
a deep copy or pydantic, would fail the same way). No scenario or plan needs more than a few
levels, so the depth is counted first, outside strings and comments, and a file nested deeper
than ``MAX_NESTING`` is refused with a message instead.
"""

from __future__ import annotations

import json
import tomllib
from typing import Any

# scenario.toml needs about 4 levels (variants.high.settings.services[1].demand_rates); a
# plan.json 3. Python's default recursion limit is 1000, and parsers use several frames a level.
MAX_NESTING = 64


class NestingError(ValueError):
    """The text is nested deeper than ``MAX_NESTING``."""


def nesting_depth(text: str, comments: bool = False) -> int:
    """The deepest nesting of ``[`` and ``{`` in TOML or JSON text, outside strings (and, with
    ``comments``, outside ``#`` comments). Unbalanced text is left to the parser to report."""
    depth = deepest = 0
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char == "#" and comments:
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif char in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else char
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                # only basic ("…") strings have escapes; literal ('…') strings do not
                i += 2 if text[i] == "\\" and quote[0] == '"' else 1
            i += len(quote)
            continue
        i += 1
    return deepest


def _check(text: str, comments: bool) -> None:
    depth = nesting_depth(text, comments)
    if depth > MAX_NESTING:
        raise NestingError(
            f"is nested {depth} levels deep; at most {MAX_NESTING} levels of [ ] and {{ }} are read"
        )


def loads_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads`` for text of bounded nesting: ``NestingError`` when it is too deep."""
    _check(text, comments=True)
    try:
        return tomllib.loads(text)
    except RecursionError:  # a parser frame count we did not foresee: still a message
        raise NestingError("is nested too deeply to be read") from None


def loads_json(text: str) -> Any:
    """``json.loads`` for text of bounded nesting: ``NestingError`` when it is too deep."""
    _check(text, comments=False)
    try:
        return json.loads(text)
    except RecursionError:
        raise NestingError("is nested too deeply to be read") from None
