"""Text for the terminal, from the CLI: what a document or an answer may hold is shown, never obeyed."""

from __future__ import annotations

import json
import re
import textwrap

from kb.text.blocks import closed, code_spans, segments
from kb.text.sentences import prose_end

_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all control characters but tab, newline


def visible(text: str) -> str:
    """Text for a terminal: control characters shown as symbols, so escape sequences from a
    document cannot move the cursor, recolour or clear the screen.

    >>> visible("red \\x1b[31mX\\r\\n\\x9b2J")
    'red ␛[31mX\\n\\\\x9b2J'
    """
    text = text.replace("\r\n", "\n")
    return _UNPRINTABLE.sub(lambda m: _symbol(ord(m.group())), text)


def _symbol(code: int) -> str:
    return chr(0x2400 + code) if code < 0x20 else "␡" if code == 0x7F else f"\\x{code:02x}"


def as_json(obj, indent: int | None = None) -> str:
    """JSON with every control character escaped (json leaves U+007F-U+009F raw); same data."""
    text = json.dumps(obj, ensure_ascii=False, indent=indent)
    return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)


def passage(text: str, marks: list[tuple[int, int]] = (), code_open: bool = False) -> str:
    """A cited passage for the terminal: prose filled to 96 columns, code blocks as they are, the
    `marks` (offsets in the text: the supporting sentences) between » and «.

    >>> print(passage("Back up often. Use pg_dump.", [(15, 27)]))
        Back up often. »Use pg_dump.«
    >>> print(passage("Back up:\\n```\\npg_dump\\n```", [(0, 20)]))
        »Back up:«
        ```
        pg_dump
        ```

    >>> print(passage("To dump:\\n```\\npg_dump -Fc db > db.dump\\n  # custom\\n```\\nThen   restore."))
        To dump:
        ```
        pg_dump -Fc db > db.dump
          # custom
        ```
        Then restore.
    >>> print(passage("x = 1\\n```\\nThen restore.", code_open=True))  # cut from a long block
        ```
        x = 1
        ```
        Then restore.
    """
    code = code_spans(text, code_open)
    for a, b in sorted(marks, reverse=True):  # prose only: a mark never breaks a fence
        b = prose_end(text, a, b)  # a lead-in: marked up to its code
        if not any(s < b and a < e for s, e in code):
            text = f"{text[:a]}»{text[a:b]}«{text[b:]}"
    out = []
    for code, piece in segments(text, code_open):
        if code:
            out.append(textwrap.indent(closed(piece), "    ", lambda _: True))
        elif body := " ".join(piece.split()):
            out.append(textwrap.indent(textwrap.fill(body, 96), "    "))
    return "\n".join(out)
