"""kb inside LlamaIndex apps: a retriever of kb's hybrid hits and a query engine of kb's cited answers.

    from kb.llamaindex import KbQueryEngine, KbRetriever
    engine = KbQueryEngine.from_settings()            # kb's index, its defaults (KB_ variables)
    response = engine.query("Python for serverless?")  # str(response): the cited answer
    response.source_nodes                              # the cited passages, metadata included
    response.metadata["found"]                         # False: kb refused (the corpus does not say)

Both are ordinary LlamaIndex components: `QueryEngineTool.from_defaults(query_engine=engine)`
gives an agent a tool, and `RetrieverQueryEngine.from_args(KbRetriever(index), llm=...)` lets a
LlamaIndex synthesizer write from kb's passages. Nothing here reaches for OpenAI: pass `llm`.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.response.schema import Response
from llama_index.core.query_engine import CustomQueryEngine
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from kb.index.reader import Index, open_index
from kb.qa.ask import answer_to_dict, ask
from kb.qa.retrieve import retrieve
from kb.settings import Settings
from kb.types import Hit

METADATA = ("doc_id", "title", "section", "char_start", "char_end", "page")


def to_node(hit: Hit) -> NodeWithScore:
    """A kb hit as a LlamaIndex node: the passage text, kb's score, where it comes from."""
    c = hit.chunk
    metadata = {
        "doc_id": c.doc_id, "title": c.title, "section": c.section,
        "char_start": c.char_start, "char_end": c.char_end, "page": c.page or None,
    }  # fmt: skip
    node = TextNode(
        id_=c.chunk_id,
        text=c.text,
        metadata=metadata,
        excluded_embed_metadata_keys=list(METADATA),
        excluded_llm_metadata_keys=["char_start", "char_end", "doc_id"],
    )
    return NodeWithScore(node=node, score=hit.score)


class KbRetriever(BaseRetriever):
    """kb's retrieval (hybrid by default) over an open index, as a LlamaIndex retriever."""

    def __init__(self, index: Index, k: int | None = None, retriever: str | None = None) -> None:
        super().__init__()
        self.index, self.k, self.retriever = index, k, retriever

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        s, question = self.index.settings, query_bundle.query_str
        self.index.refresh()
        qvec = self.index.embedder.embed([question])[0]
        hits = retrieve(self.index, question, qvec, self.k or s.k, self.retriever or s.retriever)
        return [to_node(h) for h in hits]


class KbQueryEngine(CustomQueryEngine):
    """kb's cited answer (or refusal) as a LlamaIndex `Response`; `llm` (any LlamaIndex LLM) or
    `mode` (a backend name) has an LLM write it, checked against the passages as in `kb ask`."""

    index: Any
    mode: str | None = None
    llm: Any = None

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **kw: Any) -> KbQueryEngine:
        return cls(index=open_index(settings or Settings()), **kw)

    def custom_query(self, query_str: str) -> Response:
        answer = ask(self.index, query_str, mode=self.mode, llm=self.llm)
        meta = answer_to_dict(answer)
        meta.pop("question")
        return Response(
            response=answer.text,
            source_nodes=[to_node(c.hit) for c in answer.citations],
            metadata=meta,
        )
