"""The read side: retrieve passages and write a cited answer (extractive or by a local LLM)."""
