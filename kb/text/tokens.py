"""Word tokens for BM25 and word-overlap checks: lower-cased, stop words dropped, Snowball-stemmed.

One tokenizer for every lexical comparison in kb (BM25, the answer's word weights, the LLM
grounding check), so a word matches the same way everywhere. English only.
"""

from __future__ import annotations

import re
from functools import cache

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


@cache
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@cache
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop-worded, stemmed word tokens.

    >>> tokenize("The Node.js runtimes are running serverless functions")
    ['node', 'js', 'runtim', 'run', 'serverless', 'function']
    """
    words = [w for w in _TOKEN.findall(text.lower()) if w not in _stopwords()]
    return _stemmer().stemWords(words)
