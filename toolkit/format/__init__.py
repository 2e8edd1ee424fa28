"""The record format as plain data: vocabularies, IDs, placeholders, relations, the schema's
shape, JSON pointers and URLs. Never imports pydantic (the fast path loads it)."""
