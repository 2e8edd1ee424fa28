"""Validation: JSON syntax → JSON Schema → models → semantic checks, all findings together.

`run` validates records trees in one process, `split` in two (map/reduce), `records` runs
the file layers of each record, and `explain` words their findings. Only the public
functions are re-exported; importing them loads no pydantic and no jsonschema.
"""

from toolkit.validate.run import validate_corpus, validate_paths

__all__ = ["validate_corpus", "validate_paths"]
