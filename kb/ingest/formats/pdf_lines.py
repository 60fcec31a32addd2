"""A PDF page's lines as pypdf reads them, with what their fonts tell: which lines are code.

pypdf's `visitor_text` gives each run of text its font, size and position. A line set in a
typewriter face (by name, or the font's FixedPitch flag) is code, also when it ends in a comment
set in the text face; a footnote's mark (small digits raised after a word) is left out; ligature
glyphs and TeX's separate accents become letters. Trade-off: a font that is monospaced but named
otherwise and not flagged reads as prose.
"""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st"})  # fmt: skip
# TeX sets an accent as its own glyph before the letter: pypdf reads "M¨oller", "d´ej`a"
_ACCENTS = {"\u00a8": "\u0308", "\u00b4": "\u0301", "\u02c6": "\u0302", "\u02dc": "\u0303",
            "\u00b8": "\u0327", "\u02d8": "\u0306", "\u02c7": "\u030c", "\u02da": "\u030a"}  # fmt: skip
_SPACING_ACCENT = re.compile(f"([{''.join(_ACCENTS)}])([A-Za-z])")


def glyphs_to_letters(line: str) -> str:
    """Ligature glyphs as their letters and a TeX accent joined to its letter, so words match.

    >>> glyphs_to_letters("Font con\ufb01guration \ufb01les by Niels M\u00a8oller")
    'Font configuration files by Niels Möller'
    """
    line = line.translate(_LIGATURES)
    return _SPACING_ACCENT.sub(lambda m: unicodedata.normalize("NFC", m[2] + _ACCENTS[m[1]]), line)


# typewriter faces by name (TeX's cmtt, Latin Modern Mono, Courier, DejaVu Sans Mono …); a
# font may instead say so in its descriptor's FixedPitch flag, which TeX's Type 1 fonts do not set
_MONO_NAME = re.compile(r"mono|courier|consol|menlo|inconsolata|typewriter|cmtt|cmsltt|cmitt|sftt|lmtt", re.I)


def monospace(font) -> bool:
    """Whether a pypdf font dictionary is a typewriter face."""
    if not font:
        return False
    if _MONO_NAME.search(str(font.get("/BaseFont", ""))):
        return True
    desc = font.get("/FontDescriptor")
    if desc is None and "/DescendantFonts" in font:
        desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
    return bool(desc is not None and int(desc.get_object().get("/Flags", 0)) & 1)


_COMMENT = ("#", "//", "--", ";", "%", "/*")  # what a code comment set in the text face follows


def typewritten(runs: list[tuple[str, bool]]) -> bool:
    """Whether a line, as runs of (text, in a typewriter face), is code: typewriter throughout, or
    up to a comment whose words are set in the text face (Texinfo's "x <- 1 # sets x").

    >>> typewritten([("x <- 1 #", True), (" sets x", False)]), typewritten([("Use", False), (" x", True)])
    (True, False)
    """
    seen = ""
    for text, mono in runs:
        if text.strip() and not mono:
            return bool(seen.strip()) and seen.rstrip().endswith(_COMMENT)
        seen += text
    return bool(seen.strip())


def footnote_mark(text: str, size: float, y: float, before: tuple[str, float, float]) -> bool:
    """Whether a run is a footnote's mark in the text: digits or a dagger set smaller than the run
    before it (its text, size and baseline) and raised above it, after a word ("… to it²"), not
    after a number (an exponent: "2³²").

    >>> footnote_mark("2", 7.0, 609.2, ("to it", 10.9, 605.2))
    True
    >>> footnote_mark("32", 7.0, 609.2, ("2", 10.9, 605.2)), footnote_mark("2", 10.9, 605, ("it", 10.9, 605))
    (False, False)
    """
    text0, size0, y0 = before
    after_word = text0.rstrip()[-1:].isalpha() or text0.rstrip()[-1:] in ".,;:)"
    return bool(_MARK.fullmatch(text.strip())) and after_word and size < 0.8 * size0 and y > y0 + 0.15 * size0


_MARK = re.compile(r"\d{1,2}|[*†‡§]")


INDENT = 20  # points right of the line before at which a typewriter line is indented (code)


def page_lines(page) -> list[tuple[str, bool, bool]]:
    """A page's non-empty lines, each with whether it is code (`typewritten`) and whether it is
    indented: `INDENT` points right of the line before, or led by spaces (as pypdf writes the
    indent of a listing). Footnote marks in the text are left out."""
    lines: list[list[tuple[str, bool, float]]] = [[]]
    faces: dict[str, bool] = {}  # by font name
    last = [("", 0.0, 0.0)]  # (text, size, baseline) of the run before

    def visit(text, cm, tm, font, size):
        name = str(font.get("/BaseFont", "")) if font else ""
        if name not in faces:
            faces[name] = monospace(font)
        scale = abs(tm[3] * cm[3]) or 1.0
        here = (size * scale, tm[5] * cm[3] + cm[5])
        if text.strip() and footnote_mark(text, *here, last[0]):
            return
        if text.strip():
            last[0] = (text, *here)
        x = tm[4] * cm[0] + cm[4]
        for k, part in enumerate(text.split("\n")):
            if k:
                lines.append([])
            lines[-1].append((part, faces[name], x))

    page.extract_text(visitor_text=visit)
    out, x0 = [], None
    for runs in lines:
        text = glyphs_to_letters("".join(t for t, _, _ in runs))
        if not text.strip():
            continue
        x = next(x for t, _, x in runs if t.strip())
        indented = text.startswith("  ") or x0 is not None and x > x0 + INDENT
        out.append((text, typewritten([(t, mono) for t, mono, _ in runs]), indented))
        x0 = x
    return out
