"""The HTTP edge: the signed media endpoint (same rules as api/: parse, call a use case,
answer)."""
