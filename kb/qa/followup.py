"""Follow-up questions: what to search for, given the conversation's previous question.

Without an LLM, a rule over words. A question stands alone unless it points back ("it", "do
that", "after that"), leads in with "and" / "what about", has fewer than two content words, or
follows a statement ("My team writes TypeScript.").
Then a bare lead-in phrase ("And with NestJS?", "And an integer column?") replaces one word of the
previous question (after the same preposition, beside the same word, or the closest);
any other follow-up is searched with the previous question's content words after it. An LLM
mode rewrites the question instead (kb/qa/generated.py), kept only if `accepted_rewrite`.
Trade-off: the rule looks one question back and never reads the previous answer, so "it"
meaning a tool named only there is not resolved. Why and measured: docs/design.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from kb.text.tokens import tokenize

_WORD = re.compile(r"[\w][\w.+#'-]*[\w+#]|\w")
_POINTERS = frozenset(
    "it its itself they them their theirs those he him his she her ones former latter".split()
)
# "that" / "this" / "there" / "one" point back when they end a clause ("do that?", "in there"),
# follow a preposition or an auxiliary ("after that", "would that cost") or name the question's
# last word ("de-risk that decision?"); "rows that match are locked" is not
_END_POINTER = re.compile(
    r"\b(that|this|there|one|same|then)\b\s*(?:[?.!,;]|$)"
    r"|\b(?:after|before|with|for|from|like|than|about|of|on|in|into|to)\s+(?:that|this)\b"
    r"|\b(?:is|was|does|did|do|would|will|can|could|should|has|have)\s+(?:that|this)\b"
    r"|\b(?:that|this|these)\s+[a-z][\w-]*\s*[?.!]?\s*$",
    re.IGNORECASE,
)
_LEAD = re.compile(r"^\s*(and|also|or|but|so|then|what about|how about|what of|and what about)\b", re.I)
FUNCTION_WORDS = frozenset(
    """a an the and or but so then also of to in on at by for with from into about as than via
    over under after before during between through within without across per
    is are was were be been being do does did doing have has had can could should would will
    shall may might must what which who whom whose when where why how whether if not no yes
    i me my we us our you your it its itself they them their theirs this that these those there
    he him his she her one ones same such former latter
    very just only too really else instead way get gets got make makes need needs use used many much once
    please tell know like want""".split()
)
_ASKING = frozenset(
    "what which who whom whose when where why how is are was were do does did can could should would "
    "will has have".split()
)
_PREPOSITIONS = frozenset("with for on in at of to from by under over about".split())
Embed = Callable[[list[str]], np.ndarray]  # texts -> unit vectors, one row each
MIN_WORDS = 2  # a question with fewer content words cannot stand alone
MAX_LEAD_WORDS = 3  # a lead-in question this short names what changes, nothing more
MAX_REWRITE = 3  # an LLM rewrite longer than this many times both questions together is refused


def content_words(text: str) -> list[str]:
    """Words that carry meaning, as written, in order.

    >>> content_words("And what about a Node.js one?"), content_words("And in the US?")
    (['Node.js'], ['US'])
    """
    return [w for w in _WORD.findall(text) if w.lower() not in FUNCTION_WORDS or _acronym(w)]


def _acronym(word: str) -> bool:
    """An all-capitals word names something ("US", "OR"), even when its letters spell "us"."""
    return len(word) > 1 and word.isupper()


def stands_alone(question: str) -> bool:
    """Can the question be searched without the conversation?

    >>> [stands_alone(q) for q in ("Which index type suits full text search?", "And a bigint?",
    ...  "How do I restore it?", "Why not?", "What do I run after that to analyze?",
    ...  "Can a column default to the same row's values?", "Which rows that match are locked?",
    ...  "How can a team de-risk that decision?", "Over how many months?", "Where do nulls go then?")]
    [True, False, False, False, False, True, True, False, False, False]
    """
    words = [w.lower() for w in _WORD.findall(question)]
    if len(content_words(question)) < MIN_WORDS or _LEAD.match(question):
        return False
    return not (_POINTERS.intersection(words) or _END_POINTER.search(question))


def carry_over(
    question: str,
    previous: str,
    embed: Embed,
    known: frozenset[str] = frozenset(),
) -> str:
    """The follow-up searched with its context, by the rule in the module docstring.

    `previous` is the previous question as searched; `embed` gives unit vectors (the index's
    embedder): it picks which word a new one replaces. `known`: the embedding model's words
    (kb/index/embedder.py `vocabulary`); a lowercase word outside them is a name ("npm").
    """
    statement = "?" not in previous and len(content_words(previous)) >= MIN_WORDS  # context, not "Thanks."
    if not previous.strip() or stands_alone(question) and not statement:
        return question
    before = content_words(previous)
    seen = set(tokenize(" ".join(before)))
    new = [w for w in content_words(question) if not seen.issuperset(tokenize(w))]
    if _elliptical(question) and 0 < len(new) <= MAX_LEAD_WORDS and before:
        if (run := _name_run(question)) and (old := _name_run(previous)):  # "And Repeatable Read?"
            extra = [w for w in new if w not in run.split()]
            text = previous.replace(old, run, 1)
            return f"{text} ({' '.join(extra)})" if extra else text
        return _substituted(previous, before, new, _anchor(question, previous), embed, known)
    asked = {w.lower() for w in content_words(question)}
    kept = [w for w in before if w.lower() not in asked]
    return f"{question} ({' '.join(kept)})" if kept else question


def _elliptical(question: str) -> bool:
    """A lead-in and a bare phrase, with no question of its own: "And with NestJS?", "What about npm?"

    >>> [_elliptical(q) for q in ("And a bigint?", "And which ones orchestrate workflows?")]
    [True, False]
    """
    lead = _LEAD.match(question)
    rest = question[lead.end() :] if lead else ""
    return bool(lead) and not _ASKING.intersection(w.lower() for w in _WORD.findall(rest))


def _anchor(question: str, previous: str) -> tuple[str | None, str] | None:
    """(the follow-up's new word, if known, and the previous question's word it replaces): the word
    after the same preposition, or the word beside the same other word ("an integer column": "a
    smallint column").

    >>> _anchor("And with NestJS?", "How long does an MVP take with Django?")
    (None, 'Django')
    >>> _anchor("And an integer column?", "What is the largest number a smallint column can store?")
    ('integer', 'smallint')
    """
    rest = _WORD.findall(question[_LEAD.match(question).end() :])
    words = _WORD.findall(previous)
    lower = [w.lower() for w in words]
    if rest and rest[0].lower() in _PREPOSITIONS:
        after = [words[i + 1] for i, w in enumerate(lower[:-1]) if w == rest[0].lower()]
        if old := next((w for w in after if w.lower() not in FUNCTION_WORDS), None):
            return None, old
    stems = [_stem(w) for w in words]
    shared = {_stem(w) for w in rest if w.lower() not in FUNCTION_WORDS} & set(stems)
    for i, w in enumerate(rest):
        if w.lower() in FUNCTION_WORDS or _stem(w) in shared:
            continue
        for step in (1, -1):  # the word after it, then the word before it, in both questions
            if 0 <= i + step < len(rest) and _stem(rest[i + step]) in shared:
                j = stems.index(_stem(rest[i + step])) - step
                if 0 <= j < len(words) and lower[j] not in FUNCTION_WORDS and stems[j] not in shared:
                    return w, words[j]
    return None


def _stem(word: str) -> str:
    return "".join(tokenize(word)) or word.lower()


def _name_run(text: str) -> str | None:
    """The first run of two or more capitalised words after the first word: a name in words.

    >>> _name_run("What does Read Committed isolation guarantee?"), _name_run("And Repeatable Read?")
    ('Read Committed', 'Repeatable Read')
    """
    m = re.search(r"(?<=\s)[A-Z][\w.+#-]*(?:\s+[A-Z][\w.+#-]*)+", text)
    return m.group(0) if m else None


def _is_name(word: str, known: frozenset[str] = frozenset()) -> bool:
    """Capitalised, with a digit or a sign, or a word the model does not know, plural or not.

    >>> [_is_name(w, frozenset({"package", "query"})) for w in ("Python", "npm", "packages", "queries")]
    [True, True, False, False]
    """
    if word != word.lower() or any(not c.isalpha() for c in word):
        return True
    singular = {word, word[:-1], word[:-2], word[:-3] + "y"} if word.endswith("s") else {word}
    return bool(known) and not singular & known


def _substituted(
    previous: str,
    before: list[str],
    new: list[str],
    anchor: tuple[str | None, str] | None,
    embed: Embed,
    known: frozenset[str],
) -> str:
    """The previous question with one new word in place of an old one, the other new words after.

    The pair is the anchor if there is one (with its new word, when the anchor names it), else of
    the pairs of the same kind (names or plain words; names first) the one closest by the
    embedding model.
    """
    vectors = embed(before + new)
    sims = vectors[len(before) :] @ vectors[: len(before)].T  # new x old
    pairs = [(n, o) for n in range(len(new)) for o in range(len(before))]
    named = [_is_name(w, known) for w in new], [_is_name(w, known) for w in before]
    alike = [(n, o) for n, o in pairs if named[0][n] == named[1][o]]
    anchored = [(n, o) for n, o in pairs if anchor and before[o] == anchor[1] and anchor[0] in (None, new[n])]
    if not (anchored or alike):
        return f"{previous} ({' '.join(new)})"
    n, o = max(anchored or alike, key=lambda p: (named[0][p[0]], sims[p]))  # names first
    text = re.sub(rf"(?<![\w.]){re.escape(before[o])}(?!\w)", new[n], previous, count=1)
    extra = [w for i, w in enumerate(new) if i != n]
    return f"{text} ({' '.join(extra)})" if extra else text


def accepted_rewrite(rewrite: str, question: str, previous: str) -> str | None:
    """A model's standalone question, or None unless it is one line, a question, not too long, and
    keeps every content word of the follow-up (small models echo the previous turn instead).

    >>> accepted_rewrite(" How do I restore a pg_dump backup? ", "How do I restore it?", "What is pg_dump?")
    'How do I restore a pg_dump backup?'
    >>> [accepted_rewrite(r, "What does it cost?", "How long does a Django MVP take?") for r in
    ...  ("", "How long does a Django MVP take?", "A Django MVP costs EUR 3,000 [1].")]
    [None, None, None]
    """
    text = rewrite.strip().strip('"').strip()
    limit = MAX_REWRITE * (len(question) + len(previous))
    if not text.endswith("?") or "\n" in text or len(text) > limit:
        return None
    return text if set(tokenize(" ".join(content_words(question)))) <= set(tokenize(text)) else None
