"""Stratlas toolkit: validate, link and publish records of security analysis.

The downstream Python API is `load_corpus` (see `toolkit.api`); importing the package stays
cheap — models, validators and exporters load only when used, and the API itself on first
use of one of its names (every `stratlas` command starts by importing this package).

Example:
    >>> import toolkit
    >>> corpus = toolkit.load_corpus("tests/fixtures/corpus")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.api import CorpusError, InvalidCorpusError, LoadedCorpus, Mention, load_corpus

__all__ = ["CorpusError", "InvalidCorpusError", "LoadedCorpus", "Mention", "load_corpus"]


def __getattr__(name: str) -> Any:
    # PEP 562: `toolkit.load_corpus` and `from toolkit import load_corpus` import the API here.
    if name in __all__:
        from toolkit import api

        return getattr(api, name)
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
