"""Numbers and names in a text, and whether a sentence's figures sit next to the same names as in
the passages (a figure moved to the wrong subject does not).

A figure's context is its clause, cut at the neighbouring figures: "Django takes 6-8 weeks vs 8-12
for NestJS" binds 6-8 to Django and 8-12 to NestJS. Generated sentences are cut finely (at commas
and at words such as "and", "while"), passages at punctuation only, so a passage's context is the
larger one. A passage context without any name (as in "The default is 100") is widened to its
passage sentence and the one before, which usually names the subject.
"""

from __future__ import annotations

import re

from kb.text.tokens import tokenize

_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?(?:\s*[-\u2013\u2014]\s*\d(?:[\d,.]*\d)?)?")
_WORDS = {
    w: str(i) for i, w in enumerate("zero one two three four five six seven eight nine ten".split()) if i > 1
}
_NUMBER_WORD = re.compile(r"(?<!\bthe )\b(" + "|".join(_WORDS) + r")\b", re.I)
NAME = re.compile(r"(?<![\w.])[A-Za-z][\w.+#]*[\w+#]|(?<![\w.])[A-Za-z](?![\w])")
SENTENCE_CLAUSE = re.compile(
    r",(?!\d)|[;:\u2014]|\s-\s|\b(?:and|but|while|whereas|so|because|since|if|although|when|unless)\b", re.I
)
PASSAGE_CLAUSE = re.compile(r",(?!\d)|[;\u2014]|\s-\s")  # "90,000" is no clause break


def _normal(text: str) -> str:
    """Number words (two to ten, not after "the") as digits, "$90,000–$140,000" as one range."""
    text = _NUMBER_WORD.sub(lambda m: _WORDS[m.group(1).lower()], text)
    return re.sub(r"(\d)\s*[-\u2013\u2014]\s*\$", r"\1-", text)


def _key(number: str) -> str:
    return re.sub(r"\s*[-\u2013\u2014]\s*", "-", number.replace(",", ""))


def numbers(text: str) -> list[str]:
    """Numbers and ranges in a text, in order, separators and dashes normalised.

    >>> numbers("costs $90,000–$140,000/year, 6–8 weeks, 2.5x, five years, the two of them")
    ['90000-140000', '6-8', '2.5', '5']
    """
    return [_key(n) for n in _NUMBER.findall(_normal(text))]


def names(text: str, lead: bool = True) -> set[str]:
    """Lower-cased names: words with a capital, `_`, `.` or digits. A capital that only starts the
    text does not count when `lead` (the text starts a sentence).

    >>> sorted(names("Choosing Node.js for FastAPI/AWS apps, 2M+ CPU-heavy ones, uses max_connections."))
    ['aws', 'cpu', 'fastapi', 'max_connections', 'node.js']
    """
    out = set()
    for i, m in enumerate(NAME.finditer(re.sub(r"[/-]", " ", text))):
        w = m.group(0).rstrip(".")
        special = any(c in w for c in "_.+#") or any(c.isdigit() for c in w)
        if special or any(c.isupper() for c in (w[1:] if lead and i == 0 else w)):
            out.add(w.lower())
    return out


def has_name(name: str, text: str) -> bool:
    """Whether a (lower-cased) name occurs in a lower-cased text as a whole word."""
    return re.search(r"(?<![\w.])" + re.escape(name) + r"(?!\w)", text) is not None


def contexts(text: str, clauses: re.Pattern) -> list[tuple[str, str, bool]]:
    """(number, its context, whether the context starts the text) for each number: its clause,
    cut at the neighbouring numbers.

    >>> contexts("Django takes 6-8 weeks vs 8-12 for NestJS, and more.", PASSAGE_CLAUSE)
    [('6-8', 'Django takes  weeks vs ', True), ('8-12', ' weeks vs  for NestJS', False)]
    >>> contexts("Seniors cost $90,000–$140,000/year (US); juniors less.", PASSAGE_CLAUSE)
    [('90000-140000', 'Seniors cost $/year (US)', True)]
    """
    out = []
    for c, clause in enumerate(clauses.split(_normal(text))):
        found = list(_NUMBER.finditer(clause or ""))
        for k, m in enumerate(found):
            start = found[k - 1].end() if k else 0
            end = found[k + 1].start() if k + 1 < len(found) else len(clause)
            out.append((_key(m.group(0)), clause[start : m.start()] + clause[m.end() : end], c == k == 0))
    return out


def figures_bound(sentence: str, units: list[str]) -> bool:
    """Every number of the sentence is in a passage sentence, in a context holding the names that
    the sentence's context holds and one of its other words, if it has any.

    >>> units = ["A Django MVP takes 6-8 weeks vs 8-12 weeks for NestJS."]
    >>> figures_bound("It takes 6-8 weeks in Django.", units), figures_bound("NestJS takes 6-8 weeks", units)
    (True, False)
    >>> figures_bound("max_connections is 100 by default.", ["- max_connections:", "The default is 100."])
    True
    """
    found = [(i, n, ctx) for i, u in enumerate(units) for n, ctx, _ in contexts(u, PASSAGE_CLAUSE)]
    for number, ctx, lead in contexts(sentence, SENTENCE_CLAUSE):
        want = names(ctx, lead)
        words = set(tokenize(ctx)) - set(tokenize(" ".join(want)))
        options = [
            c if names(c) else f"{units[i - 1] if i else ''} {units[i]}" for i, n, c in found if n == number
        ]
        if not any(
            all(has_name(w, o.lower()) for w in want) and (not words or words & set(tokenize(o)))
            for o in options
        ):
            return False
    return True
