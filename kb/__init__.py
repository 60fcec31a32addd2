"""kb: a local knowledge base that answers questions about a folder of documents, with cited passages."""
