"""Text rules: sections, sentences, chunks and word tokens (no I/O, no kb state)."""
