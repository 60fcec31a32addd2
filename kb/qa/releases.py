"""Release notes: a passage under a version heading ("3.14.0", "[1.2.0] - 2023-01-01", "3.14.x
series") answers questions about releases, not how a feature works. A changelog names most
features in a line each ("Added unicode support to SlugField. #5231"), so it matched questions
better than the pages that explain them. Such passages are searched only for a question about
versions or changes. Measured: docs/design.md ("Retrieval").
"""

from __future__ import annotations

import re

from kb.types import Hit

_VERSION_HEADING = re.compile(
    r"^\W*(?:v|version\s*|release\s*)?\d+(?:\.(?:\d+|x))+[\w.-]*\W*(?:series)?(?:\s*[-–(/:,].*)?$",
    re.IGNORECASE,
)
_ABOUT_RELEASES = re.compile(
    r"\d+\.\d+|\b(?:versions?|releases?|released|release notes|changelog|what'?s new|new in|added in|"
    r"changed in|removed in|deprecated|deprecations?|since|upgrad\w*|history)\b",
    re.IGNORECASE,
)


def release_entry(section: str) -> bool:
    """Is a passage with this section path ("A > B") under a version heading?

    >>> [release_entry(s) for s in ("3.14.x series > 3.14.0", "[1.2.0] - 2023-01-01", "v2.1",
    ...  "23.0.1 (2023-02-17)", "8.1.2. Arbitrary Precision Numbers", "Upgrading", "")]
    [True, True, True, True, False, False, False]
    """
    return bool(section) and bool(_VERSION_HEADING.match(section.rsplit(" > ", 1)[-1]))


def about_releases(question: str) -> bool:
    """Does the question ask about versions or changes?

    >>> [about_releases(q) for q in ("What changed in 3.14?", "Which release added OpenAPI?",
    ...  "Is this deprecated?", "How do I add a field?")]
    [True, True, True, False]
    """
    return bool(_ABOUT_RELEASES.search(question))


def searched_passages(hits: list[Hit], question: str) -> list[Hit]:
    """The hits without release notes unless the question asks about releases (all of them when
    nothing else is left: a corpus that is only a changelog)."""
    if about_releases(question):
        return hits
    return [h for h in hits if not release_entry(h.chunk.section)] or hits
