"""kb as LlamaIndex components (kb/llamaindex.py): retriever, query engine, tool, inside LlamaIndex's
own query engine and agent. Offline, with no OpenAI key: a reach for OpenAI would fail here."""

import asyncio
import re

import pytest
from llama_index.core.agent.workflow import ReActAgent
from llama_index.core.base.llms.types import CompletionResponse, LLMMetadata
from llama_index.core.llms.callbacks import llm_completion_callback
from llama_index.core.llms.custom import CustomLLM
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.tools import QueryEngineTool

from kb.llamaindex import KbQueryEngine, KbRetriever
from tests.conftest import DOC_A, DOC_B

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def no_openai(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def test_retriever_returns_kb_hits_as_nodes(real_index):
    nodes = KbRetriever(real_index, k=3).retrieve("What do senior Python developers cost in the US?")
    assert len(nodes) == 3 and nodes[0].score >= nodes[-1].score
    meta = nodes[0].node.metadata
    assert meta["doc_id"] == DOC_A and meta["title"].startswith("Python vs Node.js for SaaS")
    text = (real_index.settings.corpus_dir / DOC_A).read_text(encoding="utf-8")
    assert text[meta["char_start"] : meta["char_end"]] == nodes[0].node.get_content()


def test_query_engine_answers_with_sources_and_refuses(real_index):
    engine = KbQueryEngine(index=real_index)
    response = engine.query("Python for serverless?")
    assert "[1]" in str(response) and response.metadata["found"] is True
    assert response.source_nodes[0].node.metadata["doc_id"] == DOC_B
    refused = engine.query("Who won the 2022 FIFA World Cup?")
    assert refused.metadata["found"] is False and refused.source_nodes == []
    assert "do not cover" in str(refused)


def test_query_engine_tool_calls_kb(real_index):
    tool = QueryEngineTool.from_defaults(
        query_engine=KbQueryEngine(index=real_index), name="kb", description="Answers from the documents."
    )
    out = tool.call(input="How long does a Django MVP take?")
    assert "6-8 weeks" in out.content and out.raw_output.source_nodes


def test_llama_index_synthesizes_from_kb_passages_with_a_local_llm(real_index, gguf):
    from kb.qa.llama_cpp_llm import LlamaCppLLM

    llm = LlamaCppLLM(model_path=str(gguf), max_tokens=48, stop=["\n"])
    engine = RetrieverQueryEngine.from_args(KbRetriever(real_index, k=2), llm=llm)
    response = engine.query("What do senior Python developers cost in the US?")
    assert str(response).strip() and response.source_nodes[0].node.metadata["doc_id"] == DOC_A


class ReActScript(CustomLLM):
    """Plays the model's part in a ReAct loop: call the kb tool, then answer with what it returned.
    LlamaIndex's agent (prompting, parsing, tool calls) and kb are real."""

    prompts: list = []

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(is_chat_model=True, model_name="react-script")

    @llm_completion_callback()
    def complete(self, prompt, formatted=False, **kw):
        self.prompts.append(prompt)
        seen = re.findall(r"Observation: (.+)", prompt.split("## Current Conversation")[-1])
        if not seen:
            call = '{"input": "Python for serverless?"}'
            text = f"Thought: I need the documents.\nAction: kb\nAction Input: {call}"
        else:
            text = f"Thought: I can answer without using any more tools.\nAnswer: {seen[-1]}"
        return CompletionResponse(text=text)

    @llm_completion_callback()
    def stream_complete(self, prompt, formatted=False, **kw):
        response = self.complete(prompt)

        def gen():
            yield CompletionResponse(text=response.text, delta=response.text)

        return gen()


def test_an_agent_uses_kb_as_a_tool(real_index):
    tool = QueryEngineTool.from_defaults(
        query_engine=KbQueryEngine(index=real_index), name="kb", description="Answers from the documents."
    )
    script = ReActScript()
    agent = ReActAgent(tools=[tool], llm=script)
    result = asyncio.run(_run(agent, "Is Python good for serverless?"))
    assert "cold start" in str(result) and "[1]" in str(result)
    assert any("Tool Name: kb" in p and "Answers from the documents." in p for p in script.prompts)


async def _run(agent, question):
    return await agent.run(user_msg=question)
