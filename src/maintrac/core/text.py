"""Text from people: what counts as blank, and trimming.

"Whitespace" is JSON Schema's (ECMA-262's ``\\s``), the same set the contract's
not-blank pattern uses, so the API and the service agree on what a blank field is.
Python's own ``str.strip()`` also strips the ASCII separators U+001C..U+001F, which the
contract allows: trimming with it could empty a string the schema accepted.
"""

from __future__ import annotations

from typing import Final

WHITESPACE: Final = (
    "\t\n\v\f\r \u00a0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)

#: The contract's pattern for "not blank": a character outside WHITESPACE, and no U+0000
#: anywhere (which the server refuses in every string).
NOT_BLANK_PATTERN: Final = (
    "^[^\\u0000]*"
    "[^\\u0000\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a"
    "\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]"
    "[^\\u0000]*$"
)
#: The contract's pattern for a string that may be blank: no U+0000.
NO_NUL_PATTERN: Final = "^[^\\u0000]*$"


def tidy(text: str) -> str:
    """``text`` without leading and trailing whitespace."""
    return text.strip(WHITESPACE)
