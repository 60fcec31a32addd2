"""Whether an existing index fits the configured model and this kb's chunker.

Both checks read the index info record (`Store.info()`) and raise a kb error that says what to
run; neither writes anything.
"""

from __future__ import annotations

from kb.errors import IndexOutdatedError, ModelMismatchError
from kb.text.chunker import CHUNKER_VERSION


def check_model(info: dict, model_id: str) -> None:
    """ModelMismatchError when the index was built with another embedding model than `model_id`.

    >>> check_model({}, "m"), check_model({"model": "m"}, "m")
    (None, None)
    """
    if info and info.get("model") != model_id:
        raise ModelMismatchError(
            f"the index was built with embedding model {info.get('model')!r} "
            f"({info.get('dim')} dims) but KB_EMBED_MODEL is {model_id!r}. Use the same model, "
            "or rebuild the index with the new one: `kb ingest --rebuild`"
        )


def check_chunker(info: dict) -> None:
    """IndexOutdatedError when an older chunker made the index (its sentence vectors follow other spans)."""
    if info.get("chunker") != CHUNKER_VERSION:
        raise IndexOutdatedError(
            f"the index was made by an older kb (chunker version {info.get('chunker')}, now "
            f"{CHUNKER_VERSION}), or its last ingest was interrupted: run `kb ingest` to update it"
        )
