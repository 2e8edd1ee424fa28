"""Stratlas toolkit: validate, link and publish records of security analysis.

The downstream Python API is `load_corpus` (see `toolkit.api`); importing the package stays
cheap — models, validators and exporters load only when used.

Example:
    >>> import toolkit
    >>> corpus = toolkit.load_corpus("tests/fixtures/corpus")  # doctest: +SKIP
"""

from toolkit.api import CorpusError, InvalidCorpusError, LoadedCorpus, Mention, load_corpus

__all__ = ["CorpusError", "InvalidCorpusError", "LoadedCorpus", "Mention", "load_corpus"]
