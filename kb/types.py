"""Small dataclasses passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kb.settings import EXTRACTIVE


@dataclass(frozen=True)
class Document:
    """One article as read from the corpus: `text` is what offsets point into."""

    doc_id: str  # path relative to the corpus, posix style
    title: str
    text: str
    content_hash: str
    kind: str  # a key of kb/ingest/loaders.py's READERS' kinds: "txt", "md", "html", "pdf", …
    pages: tuple[int, ...] = ()  # offset where each page (PDF) or slide (PPTX) starts


@dataclass(frozen=True)
class Chunk:
    """A passage of a document; `text == document.text[char_start:char_end]`."""

    chunk_id: str
    doc_id: str
    title: str
    section: str  # section path, " > " between levels
    text: str
    char_start: int
    char_end: int
    page: int = 0  # 1-based page or slide of a paged document, else 0
    kind: str = ""  # the document's kind, as in Document
    code_open: bool = False  # starts inside a code block (one too long for a chunk, cut at line ends)
    table_head: str = ""  # the header row of a table the chunk starts inside (text/tables.py)

    def head(self) -> str:
        return f"{self.title} > {self.section}" if self.section else self.title

    def embedding_text(self) -> str:
        """What gets embedded and BM25-indexed: the passage with its title and section."""
        return f"{self.head()}\n{self.text}"


@dataclass
class Hit:
    """A retrieved chunk and how it scored."""

    chunk: Chunk
    score: float  # fused score (hybrid: see kb/qa/retrieve.py), or the single retriever's
    similarity: float = 0.0  # cosine similarity of question and passage
    ranks: dict[str, int] = field(default_factory=dict)  # retriever name -> 1-based rank
    # stored answer-sentence vectors already fetched while retrieving (index among answer_spans)
    sentence_vectors: dict[int, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Span:
    """A supporting sentence and where it sits in the source document."""

    text: str
    char_start: int
    char_end: int
    score: float


@dataclass
class Citation:
    """A numbered passage that the answer cites."""

    n: int
    hit: Hit
    supporting: list[Span] = field(default_factory=list)


@dataclass
class Answer:
    """What `kb ask` returns."""

    question: str  # as asked
    text: str
    found: bool
    citations: list[Citation] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)  # every passage retrieved, best first
    mode: str = EXTRACTIVE
    note: str = ""  # e.g. why an LLM answer fell back to extractive
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # LLM: first_token_s, tokens, tokens_per_s
    searched: str = ""  # the question as searched: a follow-up with its context (kb/qa/followup.py)
