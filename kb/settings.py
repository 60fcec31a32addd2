"""The one settings object. Every field can be set with a `KB_` environment variable."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "all-MiniLM-L6-v2"
EXTRACTIVE = "extractive"  # the answer mode that needs no LLM


class RetrieverName(StrEnum):
    """The retrievers (kb.qa.retrieve implements each)."""

    HYBRID = "hybrid"
    DENSE = "dense"
    BM25 = "bm25"
    RRF = "rrf"


class LLMBackend(StrEnum):
    """The LLM answer modes (kb.qa.llm implements each)."""

    LLAMA_CPP = "llama-cpp"
    OLLAMA = "ollama"
    OPENAI = "openai"


class PromptStyle(StrEnum):
    """How an LLM is prompted: chat messages (instruct models) or a completion prompt (base models)."""

    AUTO = "auto"  # servers: chat; an in-process GGUF: chat if it carries a chat template
    CHAT = "chat"
    COMPLETION = "completion"


class Settings(BaseSettings):
    """kb's configuration; pass it explicitly to whatever needs it."""

    model_config = SettingsConfigDict(env_prefix="KB_", extra="ignore")

    corpus_dir: Path = Field(Path("corpus"), description="Folder of articles to ingest.")
    data_dir: Path = Field(Path(".kb"), description="Where the embedded index and BM25 live.")
    embed_model: str = Field(
        DEFAULT_MODEL,
        description="sentence-transformers model: the packaged default, a local path, or a name.",
    )
    embed_precision: Literal["auto", "float32", "bfloat16"] = Field(
        "auto",
        description="Ingest's encoder arithmetic: auto = bfloat16 where the CPU has it (AMX, "
        "AVX-512 BF16) and its vectors match float32's, else float32.",
    )
    query_onnx: bool = Field(
        True, description="Embed questions with the ONNX export made by ingest (no torch import)."
    )
    collection: str = Field("kb", description="Prefix of the Chroma collections.")
    chroma_host: str | None = Field(None, description="Chroma server host; unset = embedded.")
    chroma_port: int = Field(8000, description="Chroma server port.")
    chunk_size: int = Field(700, ge=100, le=4000, description="Target chunk size in characters.")
    chunk_overlap: int = Field(120, ge=0, description="Overlap between chunks in characters.")
    batch_size: int = Field(32, ge=1, description="Embedding batch size.")
    commit_every: int = Field(
        256, ge=1, description="Chunks embedded between commits: lower loses less work to a crash."
    )
    sentence_vectors: bool = Field(
        True, description="Store answer-sentence vectors at ingest: slower ingest, much faster answers."
    )
    corpus_links_outside: bool = Field(
        False, description="Follow symbolic links that point outside the corpus folder."
    )
    max_file_mb: float = Field(20.0, gt=0, description="Larger files are skipped with a warning.")
    k: int = Field(5, ge=1, le=50, description="Passages retrieved per question.")
    retriever: RetrieverName = Field(RetrieverName.HYBRID, description="hybrid, dense, bm25 or rrf.")
    min_score: float = Field(0.38, description="Best sentence/question similarity below which kb refuses.")
    answer_sentences: int = Field(3, ge=1, le=10, description="Sentences in an extractive answer.")
    answer_words: int = Field(
        60, ge=10, description="Words an extractive answer may reach; its best sentence is always kept."
    )
    llm: LLMBackend | None = Field(
        None, description="Write answers with a local LLM: llama-cpp, ollama, openai."
    )
    llm_model_path: Path | None = Field(
        None, description="GGUF file for llama-cpp (default: packaged Gemma)."
    )
    llm_base_url: str | None = Field(None, description="Server URL for ollama/openai backends.")
    llm_model: str = Field("gemma3", description="Model name sent to ollama/openai servers.")
    llm_api_key: str | None = Field(None, description="Bearer key for openai-compatible servers.")
    llm_prompt: PromptStyle = Field(
        PromptStyle.AUTO, description="auto, chat (instruct models) or completion (base models)."
    )
    llm_context: int = Field(4096, ge=512, description="Context window asked of the LLM, in tokens.")
    llm_max_tokens: int = Field(200, ge=8, le=2048, description="Most tokens an LLM answer may use.")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds before an LLM answer is abandoned.")
    llm_threads: int = Field(2, ge=1, description="CPU threads for llama-cpp.")
    admin_token: SecretStr | None = Field(
        None,
        description="Unlocks the chat's changes (upload, delete, ingest) when it listens on a network.",
    )
    eval_dir: Path = Field(
        Path("eval/results"), description="Where kb eval writes and the chat's Eval page reads."
    )

    @field_validator("collection")
    @classmethod
    def _collection_name(cls, v: str) -> str:
        if not (1 <= len(v) <= 50) or not v.replace("_", "").replace("-", "").isalnum():
            raise ValueError("KB_COLLECTION must be 1-50 letters, digits, '-' or '_'")
        return v

    @model_validator(mode="after")
    def _overlap_below_size(self) -> Settings:
        if self.chunk_overlap >= self.chunk_size:
            raise ValueError("KB_CHUNK_OVERLAP must be smaller than KB_CHUNK_SIZE")
        return self
