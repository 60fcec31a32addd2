"""Table rows as kb's clean text writes them ("| a | b |"), and a row read with its table's header.

A row alone ("| smallint | 2 bytes | small-range integer | -32768 to +32767 |") says little about
which cell is what; embedded as "Name: smallint; Storage Size: 2 bytes; …" it is closer to the
questions it answers. The header is the table's first row, which may sit in an earlier chunk.
Trade-off: a table without a header row gets its first data row as labels.
"""

from __future__ import annotations


def cells(line: str) -> list[str] | None:
    """The cells of a table row, or None when the line is no row.

    >>> cells("| a | b c |"), cells("a | b")
    (['a', 'b c'], None)
    """
    line = line.strip()
    if len(line) < 2 or not (line.startswith("|") and line.endswith("|")):
        return None
    return [c.strip() for c in line[1:-1].split("|")]


def _line(text: str, pos: int) -> tuple[int, str]:
    """Where the line holding offset `pos` starts, and the line."""
    start, end = text.rfind("\n", 0, pos) + 1, text.find("\n", pos)
    return start, text[start : len(text) if end < 0 else end]


def header_for(text: str, pos: int, before: str = "") -> str:
    """The header of the table whose row holds offset `pos`: its first row, when that is an earlier
    line of `text`, or `before` (the header of a table `text` starts inside) when the table runs
    back to the start of `text`; "" for the header row itself and for a line that is no row.

    >>> t = "Types:\\n| Name | Size |\\n| int | 4 |\\n| bigint | 8 |"
    >>> header_for(t, t.index("| bigint")), header_for(t, t.index("| Name")), header_for(t, 0)
    ('| Name | Size |', '', '')
    >>> header_for("| int | 4 |\\n| bigint | 8 |", 12, before="| Name | Size |")
    '| Name | Size |'
    """
    start, line = _line(text, pos)
    if cells(line) is None:
        return ""
    first, header = start, line
    while first > 0 and cells((up := _line(text, first - 1))[1]) is not None:
        first, header = up
    if first == 0 and before:
        return before
    return "" if first == start else header


def labelled(header: str, row: str) -> str:
    """A row as "label: cell; …" by its header's cells; the row as it is when they do not pair up.

    >>> labelled("| Name | Size |", "| bigint | 8 bytes |")
    'Name: bigint; Size: 8 bytes'
    >>> labelled("| Name | Size |", "| a | b | c |"), labelled("", "| a |")
    ('| a | b | c |', '| a |')
    """
    heads, values = cells(header), cells(row)
    if not heads or not values or len(heads) != len(values) or heads == values:
        return row
    return "; ".join(f"{h}: {v}" if h else v for h, v in zip(heads, values) if v)
