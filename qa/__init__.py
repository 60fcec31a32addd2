"""Answer questions from the index with cited passages."""
