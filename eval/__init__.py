"""The eval suite: a golden set of questions, metrics, and the `kb eval` runner."""
