"""One module per document format, each turning a file into kb's clean-text blocks."""
