"""The stored index: Chroma (store), BM25 (lexical), the embedders, and opening it for questions (reader)."""
