"""Atom feeds (RFC 4287) of new and updated articles: the whole site's, and one per entity
(the articles that refer to it, authorship aside) and per author (the articles the person
wrote), under `toolkit.format.urls.FEEDS_PREFIX`.

Each feed holds the newest entries, newest first by (updated, descending; article ID). An
entry's ID is its article page's absolute URL, which stays as long as the article's ID does.
The dates come from `dates` (article ID → first published in Stratlas, last updated), made from
the repository's history; without them an article is dated by its source's publication date
(`YYYY[-MM[-DD]]` read as its first day, at midnight UTC), and without that too by `UNDATED`:
never by the build's clock, so the same graph gives the same bytes.

The XML is written by hand, small and deterministic: UTF-8 with a declaration, attributes in a
fixed order, every text escaped, characters XML 1.0 forbids dropped and white space runs made
one space (record text may hold anything the schema allows).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from xml.sax.saxutils import escape

from toolkit.format.urls import SITE_URL, feed_path, page_path
from toolkit.link import Graph
from toolkit.models import Article
from toolkit.text.excerpt import excerpt, normalized

__all__ = [
    "ATOM",
    "ENTRIES",
    "SUMMARY_CHARS",
    "UNDATED",
    "Dates",
    "feed",
    "iter_feeds",
]

#: Article ID → (first published in Stratlas, last updated), ISO 8601 in UTC.
Dates = Mapping[str, tuple[str, str]]

ATOM = "http://www.w3.org/2005/Atom"
#: Entries per feed: a reader polls a feed for what is new, and the rest is on the site and in
#: the JSON API. The whole site's feed holds more, as everything passes through it.
ENTRIES = {"site": 50, "entity": 20, "author": 20}
#: Characters of an entry's summary (its key points), cut at a word boundary.
SUMMARY_CHARS = 500
#: The date of an article neither the history nor its source dates: the Unix epoch.
UNDATED = "1970-01-01T00:00:00Z"
#: Named in each feed's title.
SITE_NAME = "Stratlas"
_RIGHTS = "Data CC BY 4.0 (Stratlas contributors); quoted sources remain their publishers'"
_ENTRY_CACHE = 4096  # entries kept rendered: an article is in the feed of each entity it names

#: What XML 1.0 allows (its `Char` production); everything else is dropped.
_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_QUOTE = {'"': "&quot;"}


def iter_feeds(
    graph: Graph, base_url: str = SITE_URL, dates: Dates | None = None
) -> Iterator[tuple[str, bytes]]:
    """Every feed as (path relative to the site root, bytes), one at a time: the whole site's
    (always, even empty), then for each entity that has articles its entity feed and, for a
    person with bylines, its author feed. An old (redirected) ID gets none.

    What is kept meanwhile is one date and one rank per article and a few thousand rendered
    entries (an entity's articles are read from its backlinks when its feed is made).
    """
    feeds = _Feeds(graph, base_url, dates)
    yield feed_path("site"), feeds.feed("site", "", feeds.newest(graph.articles, "site"))
    for entity_id in graph.backlinks:  # current IDs only: links point at the resolved ID
        for scope, ids in (
            ("entity", graph.articles_referring(entity_id)),
            ("author", graph.articles_authored(entity_id)),
        ):
            if ids:
                entries = feeds.newest(ids, scope)
                yield feed_path(scope, entity_id), feeds.feed(scope, entity_id, entries)


def feed(
    graph: Graph,
    scope: str,
    entity_id: str = "",
    base_url: str = SITE_URL,
    dates: Dates | None = None,
) -> bytes:
    """One feed (`iter_feeds` makes them all): `scope` is `site`, `entity` or `author`."""
    feeds = _Feeds(graph, base_url, dates)
    if scope == "site":
        ids = set(graph.articles)
    elif scope == "entity":
        ids = graph.articles_referring(entity_id)
    else:
        ids = graph.articles_authored(entity_id)
    return feeds.feed(scope, entity_id, feeds.newest(ids, scope))


class _Feeds:
    """What the feeds of one graph share: each article's dates and rank, rendered entries."""

    def __init__(self, graph: Graph, base_url: str, dates: Dates | None) -> None:
        self.graph = graph
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.dates = {
            a: _dates(article, (dates or {}).get(a)) for a, article in graph.articles.items()
        }
        # The feeds' order once for all: by ID, then (a stable sort) newest update first.
        order = sorted(sorted(self.dates), key=lambda a: self.dates[a][1], reverse=True)
        self.rank = {article_id: index for index, article_id in enumerate(order)}
        self.entry = lru_cache(maxsize=_ENTRY_CACHE)(self._entry)

    def newest(self, ids: Iterable[str], scope: str) -> list[str]:
        return heapq.nsmallest(ENTRIES[scope], ids, key=self.rank.__getitem__)

    def url(self, path: str) -> str:
        return self.base_url + path

    def feed(self, scope: str, entity_id: str, entries: list[str]) -> bytes:
        if scope == "site":
            title, page = f"{SITE_NAME}: new and updated articles", self.base_url
        else:
            name = self._name(entity_id)
            words = "articles mentioning" if scope == "entity" else "articles by"
            title, page = f"{SITE_NAME}: {words} {name}", self.url(page_path("entity", entity_id))
        url = self.url(feed_path(scope, entity_id))
        updated = self.dates[entries[0]][1] if entries else UNDATED
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>\n',
            f'<feed xmlns="{ATOM}">\n',
            _leaf("id", url),
            _leaf("title", title),
            _link("self", url, "application/atom+xml"),
            _link("alternate", page, "text/html"),
            _leaf("updated", updated),
            _leaf("rights", _RIGHTS),
            *map(self.entry, entries),
            "</feed>\n",
        ]
        return "".join(parts).encode("utf-8")

    def _name(self, entity_id: str) -> str:
        entity = self.graph.entities.get(self.graph.resolve(entity_id))
        return entity.name if entity is not None else entity_id

    def _entry(self, article_id: str) -> str:
        article = self.graph.articles[article_id]
        url = self.url(page_path("article", article_id))
        first, last = self.dates[article_id]
        parts = [
            "  <entry>\n",
            _leaf("id", url, 2),
            _leaf("title", article.source.title, 2),
            _link("alternate", url, "text/html", 2),
            _leaf("published", first, 2),
            _leaf("updated", last, 2),
            *(self._author(entity_id, name) for entity_id, name in self._bylines(article)),
        ]
        summary = _summary(article)
        if summary:
            parts.append(_leaf("summary", summary, 2, type="text"))
        parts.append("  </entry>\n")
        return "".join(parts)

    def _bylines(self, article: Article) -> list[tuple[str | None, str]]:
        """(entity ID or None, name) of each author; for an unsigned article its publisher,
        else the source's words for who wrote it, else "Unsigned" (Atom wants an author)."""
        people = [self.graph.resolve(author.person) for author in article.authors]
        if not people and article.source.publisher is not None:
            people = [self.graph.resolve(article.source.publisher.entity)]
        if people:
            return [(p if p in self.graph.entities else None, self._name(p)) for p in people]
        label = article.unsigned.label_in_source if article.unsigned else None
        return [(None, label or "Unsigned")]

    def _author(self, entity_id: str | None, name: str) -> str:
        uri = _leaf("uri", self.url(page_path("entity", entity_id)), 3) if entity_id else ""
        return f"    <author>\n{_leaf('name', name, 3)}{uri}    </author>\n"


def _dates(article: Article, known: tuple[str, str] | None) -> tuple[str, str]:
    """(published, updated) of an article's entry, each `YYYY-MM-DDTHH:MM:SSZ`."""
    if known is not None:
        return _instant(known[0]), _instant(known[1])
    claim = article.source.published
    if claim is None:
        return UNDATED, UNDATED
    year, month, day = [*claim.value.split("-"), "01", "01"][:3]
    day_one = f"{year}-{month}-{day}T00:00:00Z"
    return day_one, day_one


def _instant(value: str) -> str:
    """An ISO 8601 date and time (naive ones read as UTC) as `YYYY-MM-DDTHH:MM:SSZ` in UTC,
    which sorts as it reads. A malformed one raises `ValueError`."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    # isoformat, not strftime: it writes a year before 1000 with four digits, as Atom wants.
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def _summary(article: Article) -> str:
    """The key points (or, without any, the subtitles), cut at a word boundary."""
    texts = [point.text for point in article.key_points] or article.source.subtitles
    return excerpt(_clean(" ".join(texts)), SUMMARY_CHARS).text if texts else ""


def _clean(text: str) -> str:
    """Record text as one XML-safe line: forbidden characters dropped, white space normalized."""
    return normalized(_FORBIDDEN.sub("", text))


def _leaf(name: str, text: str, depth: int = 1, **attributes: str) -> str:
    attrs = "".join(f' {key}="{escape(value, _QUOTE)}"' for key, value in attributes.items())
    return f"{'  ' * depth}<{name}{attrs}>{escape(_clean(text))}</{name}>\n"


def _link(rel: str, href: str, media: str, depth: int = 1) -> str:
    href = escape(_clean(href), _QUOTE)
    return f'{"  " * depth}<link rel="{rel}" type="{media}" href="{href}"/>\n'
