"""The one error family of kb. Edges (CLI, app.py) turn these into friendly text."""


class KbError(Exception):
    """Base class of every error kb raises on purpose."""


class ConfigError(KbError):
    """A setting has a value kb cannot use."""


class CorpusError(KbError):
    """The corpus folder is missing or has nothing to ingest."""


class IndexMissingError(KbError):
    """There is no index yet."""


class IndexOutdatedError(IndexMissingError):
    """The index was built by an older chunker: `kb ingest` brings it up to date."""


class IngestBusyError(KbError):
    """Another ingest holds this index's lock."""


class IndexWriteError(KbError):
    """Something kb keeps in the data folder cannot be written (read-only folder, full disk)."""


class ModelMismatchError(KbError):
    """The index was built with another embedding model."""


class StoreUnavailableError(KbError):
    """The vector store (e.g. a Chroma server) cannot be reached."""


class IndexDamagedError(KbError):
    """The embedded Chroma database cannot be read or written; `kb ingest --rebuild` remakes it."""


class ModelLoadError(KbError):
    """The embedding model cannot be loaded."""


class EvalFileError(KbError):
    """A golden-set file is malformed."""


class LLMUnavailableError(KbError):
    """An LLM answer mode was asked for but cannot run."""


class UploadError(KbError):
    """An uploaded file was refused; nothing was written."""


class HistoryError(KbError):
    """The saved conversations cannot be read or written."""
