"""Collections: more than one corpus folder, each with its own index, in one data folder.

The default collection is the settings' own (`KB_COLLECTION`, `KB_CORPUS_DIR`); others are
registered by name in `collections.json` in the data folder (the chat's sidebar, or by hand).
A collection's index lives beside the others, in Chroma collections and a BM25 folder named
after it (kb/layout.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from kb.errors import ConfigError, IndexWriteError
from kb.settings import Settings


def _file(settings: Settings) -> Path:
    return Path(settings.data_dir) / "collections.json"


def registered(settings: Settings) -> dict[str, Path]:
    """Every collection by name, the default one first, each with its corpus folder."""
    path, found = _file(settings), {}
    if path.is_file():
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ConfigError(f"{path}: not a readable collections file ({e})") from e
    return {settings.collection: Path(settings.corpus_dir)} | {
        name: Path(folder) for name, folder in sorted(found.items()) if name != settings.collection
    }


def choose(settings: Settings, name: str | None) -> Settings:
    """The settings of a collection, by name (None: the default one)."""
    if name is None or name == settings.collection:
        return settings
    known = registered(settings)
    if name not in known:
        raise ConfigError(f"no collection {name!r} (known: {', '.join(known)}); add it in the chat")
    return settings.model_copy(update={"collection": name, "corpus_dir": known[name]})


def add(settings: Settings, name: str, corpus: Path) -> Settings:
    """Register a collection over an existing corpus folder; its settings."""
    try:
        Settings.model_validate({**settings.model_dump(), "collection": name})
    except ValidationError as e:
        raise ConfigError(f"collection name {name!r}: {e.errors()[0]['msg']}") from e
    corpus = Path(corpus).expanduser().resolve()
    if not corpus.is_dir():
        raise ConfigError(f"corpus folder {corpus} does not exist")
    if name in registered(settings):
        raise ConfigError(f"a collection named {name!r} already exists")
    _save(settings, {**_others(settings), name: str(corpus)})
    return choose(settings, name)


def remove(settings: Settings, name: str) -> None:
    """Forget a registered collection (its corpus folder is left alone)."""
    others = _others(settings)
    if name not in others:
        raise ConfigError(f"{name!r} is not a registered collection (the default one stays)")
    del others[name]
    _save(settings, others)


def _others(settings: Settings) -> dict[str, str]:
    return {n: str(p) for n, p in registered(settings).items() if n != settings.collection}


def _save(settings: Settings, collections: dict[str, str]) -> None:
    path = _file(settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(collections, indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError as e:
        raise IndexWriteError(f"cannot write {path}: {e.strerror or e}") from e
