"""Word tokens for BM25 and word-overlap checks: lower-cased, stop words dropped, Snowball-stemmed.

One tokenizer for every lexical comparison in kb (BM25, the answer's word weights, the LLM
grounding check), so a word matches the same way everywhere. English only.
"""

from __future__ import annotations

import re
from functools import cache

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
# Lucene's English stop words (EnglishAnalyzer), the list bm25s ships as STOPWORDS_EN
STOPWORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their then "
    "there these they this to was will with".split()
)


@cache
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop-worded, stemmed word tokens.

    >>> tokenize("The Node.js runtimes are running serverless functions")
    ['node', 'js', 'runtim', 'run', 'serverless', 'function']
    """
    words = [w for w in _TOKEN.findall(text.lower()) if w not in STOPWORDS]
    return _stemmer().stemWords(words)
