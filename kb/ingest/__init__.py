"""The write side: read corpus files, chunk, embed and store them incrementally."""
