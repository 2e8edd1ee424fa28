"""The Python API for downstream code: `load_corpus(path)` → validated models and entity graph.

Example:
    >>> import toolkit
    >>> corpus = toolkit.load_corpus("tests/fixtures/corpus")
    >>> sorted(corpus.articles)
    ['strike-debate', 'winter-front']
    >>> corpus.entities["lancer"].name
    'Lancer'
    >>> corpus.articles_mentioning("lancer")
    ['strike-debate', 'winter-front']
    >>> [m.role for m in corpus.mentions("lancer") if m.relation == "weapon-system"]
    ['long-range missile cleared for use', 'strikes continue']

Invalid records raise `InvalidCorpusError`, which carries the findings:

    >>> try:
    ...     toolkit.load_corpus("path/to/broken/records")
    ... except toolkit.InvalidCorpusError as exc:
    ...     print(exc.findings[0].code)                    # doctest: +SKIP
    schema-required

The library never prints; the `stratlas` command is the only part that does.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import CorpusError, InvalidCorpusError

if TYPE_CHECKING:
    from toolkit.findings import Finding
    from toolkit.link import Backlink, Graph
    from toolkit.models import Article, EntityBase

__all__ = ["CorpusError", "InvalidCorpusError", "LoadedCorpus", "Mention", "load_corpus"]


@dataclass(frozen=True)
class Mention:
    """One place where an article refers to an entity, and what the entity does there.

    `relation` is the relation's name (e.g. `actor`, `weapon-system`, `scenario-actor`),
    `section` the part of the article (`actors`, `events`, `scenarios`, …), `item` the local ID
    or index of the item within that section, `role` the article's words for it (the same as
    in the exports), `quotes` the evidence that backs the item.
    """

    article: str
    entity: str
    relation: str
    section: str
    item: str
    role: str
    pointer: str
    quotes: tuple[str, ...] = ()


@dataclass
class LoadedCorpus:
    """A validated records tree: pydantic models plus the derived entity graph.

    Attributes:
        root: the records folder.
        articles: article ID → `toolkit.models.Article`, sorted by ID.
        entities: entity ID → entity model (a subclass of `toolkit.models.EntityBase`).
        redirects: old entity ID → current ID.
        graph: the `toolkit.link.Graph` (backlinks, co-mentions) the exports are built from.
        warnings: findings that did not stop loading.
    """

    root: Path
    graph: Graph
    warnings: list[Finding] = field(default_factory=list)

    @property
    def articles(self) -> dict[str, Article]:
        return self.graph.articles

    @property
    def entities(self) -> dict[str, EntityBase]:
        return self.graph.entities

    @property
    def redirects(self) -> dict[str, str]:
        return self.graph.redirects

    @property
    def backlinks(self) -> dict[str, list[Backlink]]:
        """Entity ID → every reference to it, from articles and from other entities' facts."""
        return self.graph.backlinks

    @property
    def co_mentions(self) -> dict[str, Counter[str]]:
        """Entity ID → how many articles name it together with each other entity."""
        return self.graph.co_mentions

    def resolve(self, entity_id: str) -> str:
        """The current ID of `entity_id`, following redirects."""
        return self.graph.resolve(entity_id)

    def mentions(self, entity_id: str | None = None) -> list[Mention]:
        """Article mentions (article × entity × relation × role), in record order.

        Example:
            >>> corpus = load_corpus("tests/fixtures/corpus")
            >>> sorted({m.article for m in corpus.mentions("anna-kessler")})
            ['strike-debate', 'winter-front']
        """
        from toolkit.export import describe_link, document_order

        wanted = None if entity_id is None else self.resolve(entity_id)
        found = []
        for target, links in self.graph.backlinks.items():
            if wanted is not None and target != wanted:
                continue
            for link in links:
                if link.source_kind != "article":
                    continue
                role, quotes = describe_link(self.graph, link)
                found.append(
                    Mention(
                        article=link.source,
                        entity=target,
                        relation=link.relation.name,
                        section=link.section,
                        item=link.item,
                        role=role,
                        pointer=link.pointer,
                        quotes=quotes,
                    )
                )
        articles = self.graph.articles
        return sorted(
            found,
            key=lambda m: (m.article, document_order(articles[m.article], m.pointer), m.entity),
        )

    def articles_mentioning(self, entity_id: str) -> list[str]:
        """IDs of the articles that refer to the entity, sorted."""
        return self.graph.articles_mentioning(self.resolve(entity_id))

    def co_mentioned(self, entity_id: str) -> list[tuple[str, int]]:
        """Entities named in the same articles, most shared articles first.

        Example:
            >>> load_corpus("tests/fixtures/corpus").co_mentioned("lancer")[0]
            ('anna-kessler', 2)
        """
        counter = self.graph.co_mentions.get(self.resolve(entity_id), Counter())
        return sorted(counter.items(), key=lambda pair: (-pair[1], pair[0]))


def load_corpus(path: str | os.PathLike[str] = "records", *, strict: bool = False) -> LoadedCorpus:
    """Load and validate the records folder at `path`; return its models and entity graph.

    `path` is a records folder (one holding `articles/` and `entities/`) or any path inside one.
    Raises `FileNotFoundError` when it does not exist, `CorpusError` when it is not in a records
    folder, and `InvalidCorpusError` (carrying the findings) when a record is invalid — or, with
    `strict=True`, when there is any warning.

    Example:
        >>> corpus = load_corpus("tests/fixtures/corpus")
        >>> corpus.articles["strike-debate"].source.title
        'The Lancer decision'
    """
    from toolkit.checks.redirects import load_redirects
    from toolkit.corpus import discover, find_records_root
    from toolkit.findings import Severity
    from toolkit.link import build_graph
    from toolkit.validate import validate_corpus

    given = Path(path)
    if not given.exists():
        raise FileNotFoundError(f"{given}: no such file or folder")
    root = find_records_root(given)
    if root is None:
        raise CorpusError(f"{given}: not inside a records folder (one with articles/ or entities/)")
    corpus = discover(root)
    findings = validate_corpus(corpus)
    failing = [f for f in findings if strict or f.severity is Severity.ERROR]
    if failing:
        raise InvalidCorpusError(root, failing)
    redirects, _ = load_redirects(corpus)
    graph = build_graph(corpus, redirects)
    warnings = [f for f in findings if f.severity is not Severity.ERROR]
    return LoadedCorpus(root=root, graph=graph, warnings=warnings)
