"""kb: a local knowledge base that answers questions about a folder of articles, with cited passages."""
