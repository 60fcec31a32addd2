"""Turn the articles of a corpus folder into embedded, cited chunks in Chroma."""
