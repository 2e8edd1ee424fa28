"""What a link means, in words, and where it sits in its record: the one home of that wording.

A backlink says *that* a record refers to an entity; this module says what the entity does
there ("the role in words"), which quotes back it, which item holds it, and where it comes in
the record. The graph (`build_graph`), the exports, the read API and the pages all take the
wording from here:

- `item_facts`: the section, item, own words and quotes a `Backlink` is built with;
- `Links(graph)`: per graph, computed once on first use and shared by every export file and
  the API (`describe`, `item`, `role_entry`, `article_links`, `link_order`);
- `mention_words`: the words and quotes an entity page shows for a mention (bio entries
  written as a line, a publisher backed by its own quotes).
"""

from __future__ import annotations

from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from toolkit.models import Article, EntityBase, Provenance

if TYPE_CHECKING:
    from toolkit.link.graph import Backlink, Graph

__all__ = [
    "Links",
    "bio_words",
    "document_order",
    "item_at",
    "item_facts",
    "item_role",
    "mention_words",
]

#: The fields that say what an item is, in the order they are asked: an item's own words
#: first (the first four: what a backlink records), then a bio entry's degree or label.
_DESCRIBING = ("role", "text", "title", "description", "degree", "label_in_source")
_OWN_WORDS = _DESCRIBING[:4]


def _field(node: object, name: str) -> object:
    """`getattr(node, name, None)`, asking the model class first: a missing attribute makes
    pydantic raise and catch an AttributeError (a tenth of building the graph)."""
    fields = getattr(type(node), "model_fields", None)
    if fields is not None and name not in fields:
        return None
    return getattr(node, name, None)


def item_role(node: object) -> str:
    """The item's own words for what it is: its first text among role, text, title and
    description ("" when it has none)."""
    for attribute in _OWN_WORDS:
        value = _field(node, attribute)
        if isinstance(value, str):
            return value
    return ""


def item_facts(record: Article | EntityBase, pointer: str) -> tuple[str, str, str, tuple[str, ...]]:
    """(section, item id, role in words, quotes) for the item holding `pointer`: the item is
    the list entry at `/<section>/<index>`, or the record itself for any other pointer."""
    parts = pointer.strip("/").split("/")
    section = parts[0]
    node: object = record
    if len(parts) > 1 and parts[1].isdigit():
        node = getattr(record, section)[int(parts[1])]
        item = _field(node, "id") or parts[1]
    else:
        item = ""
    quotes = tuple(a.quote for a in node.evidence) if isinstance(node, Provenance) else ()
    return section, str(item), item_role(node), quotes


# --- walking a model by JSON pointer ----------------------------------------------------------


def document_order(record: BaseModel, pointer: str) -> tuple[int, ...]:
    """A sort key that puts JSON pointers into `record` in the order the record is written:
    fields in the order the format defines them, list items by index."""
    node: Any = record
    key: list[int] = []
    for part in pointer.strip("/").split("/") if pointer else []:
        if isinstance(node, BaseModel):
            fields = _field_positions(type(node))
            name = _field_name(type(node), part)
            key.append(fields.get(name, len(fields)))
            node = getattr(node, name, None)
        elif isinstance(node, list) and part.isdigit():
            key.append(int(part))
            node = node[int(part)] if int(part) < len(node) else None
        else:
            key.append(-1)
            node = None
    return tuple(key)


@cache
def _field_positions(model: type[BaseModel]) -> dict[str, int]:
    return {name: index for index, name in enumerate(model.model_fields)}


def item_at(record: BaseModel, pointer: str) -> tuple[BaseModel, str]:
    """The innermost model on the way to `pointer`, and its own JSON pointer."""
    node: Any = record
    found: tuple[BaseModel, str] = (record, "")
    walked = ""
    for part in pointer.strip("/").split("/"):
        walked += f"/{part}"
        if isinstance(node, list):
            node = node[int(part)] if part.isdigit() and int(part) < len(node) else None
        elif isinstance(node, BaseModel):
            node = getattr(node, _field_name(type(node), part), None)
        else:
            break
        if isinstance(node, BaseModel):
            found = (node, walked)
    return found


def _field_name(model: type[BaseModel], key: str) -> str:
    """The attribute behind a JSON key (the key itself unless it is an alias, like `$schema`)."""
    return _attributes(model).get(key, key)


@cache
def _attributes(model: type[BaseModel]) -> dict[str, str]:
    """JSON key → attribute, for every field of `model`."""
    found = {name: name for name in model.model_fields}
    for name, info in model.model_fields.items():
        if info.alias and info.alias not in found:
            found[info.alias] = name
    return found


# --- the pages' wording -----------------------------------------------------------------------


def bio_words(node: Any) -> str:
    """A bio entry in words, as one line (the article page lays bios out itself)."""
    if hasattr(node, "degree"):
        return f"{node.degree}" + (f", {node.year}" if node.year else "")
    if hasattr(node, "roles"):
        return ", ".join(node.roles)
    if hasattr(node, "outlet"):
        return f"contributor ({node.label_in_source})" if node.label_in_source else "contributor"
    role = str(getattr(node, "role", ""))
    since = getattr(node, "since", None)
    return f"{role}, since {since}" if since else role


def mention_words(article: Article, link: Backlink) -> tuple[str, tuple[str, ...]]:
    """The words and quotes an entity page shows for an article's mention of it: the item's
    own words, a bio entry as a line (`bio_words`), a publisher backed by its own quotes."""
    parts = link.pointer.strip("/").split("/")
    text, quotes = link.role, link.quotes
    if parts[0] == "authors" and len(parts) > 4:
        node: Any = item_at(article, "/" + "/".join(parts[:5]))[0]
        text, quotes = bio_words(node), tuple(a.quote for a in node.evidence)
    elif parts[0] == "source" and article.source.publisher is not None:
        quotes = tuple(a.quote for a in article.source.publisher.evidence)
    return text, quotes


# --- per graph ----------------------------------------------------------------------------------


class Links:
    """What the exports and the API derive from one graph's backlinks, each piece computed
    once, on first use (a graph is not changed after `build_graph`, so nothing goes stale).
    Callers must not change what comes back."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    @cached_property
    def article_links(self) -> dict[str, list[tuple[str, Backlink]]]:
        """Article ID → (entity ID, backlink) for every reference it makes, in document order."""
        found: dict[str, list[tuple[str, Backlink]]] = {}
        for entity_id, links in self.graph.backlinks.items():
            for link in links:
                if link.source_kind == "article":
                    found.setdefault(link.source, []).append((entity_id, link))
        for article_id, pairs in found.items():
            article = self.graph.articles[article_id]
            pairs.sort(key=lambda pair: (document_order(article, pair[1].pointer), pair[0]))
        return dict(sorted(found.items()))

    @cached_property
    def link_order(self) -> dict[Backlink, int]:
        """Each article backlink's place in its article, in document order (`article_links`)."""
        return {
            link: index
            for pairs in self.article_links.values()
            for index, (_, link) in enumerate(pairs)
        }

    # What follows is made again on each call: kept for every backlink (600,000 at 10,000
    # articles), it took most of a gigabyte, for a few seconds saved.

    def item(self, link: Backlink) -> tuple[BaseModel, str]:
        """`item_at` for the record a backlink comes from."""
        graph = self.graph
        records: dict[str, Any] = (
            graph.articles if link.source_kind == "article" else graph.entities
        )
        return item_at(records[link.source], link.pointer)

    def describe(self, link: Backlink) -> tuple[str, tuple[str, ...]]:
        """The role in words and the quotes for a backlink, looking at the innermost item when
        the graph gives none (an author's bio entries: the position held, the degree, …)."""
        role, quotes = link.role, link.quotes
        if link.source_kind == "entity":
            role = link.relation.label  # a fact: its name says it all
        if role and quotes:
            return role, quotes
        graph = self.graph
        record: Article | EntityBase | None = (
            graph.articles.get(link.source)
            if link.source_kind == "article"
            else graph.entities.get(link.source)
        )
        node = self.item(link)[0] if record is not None else None
        if not role:
            for attribute in _DESCRIBING:
                value = _field(node, attribute)
                if isinstance(value, str) and value:
                    role = value
                    break
            else:
                role = link.relation.label
        if not quotes and isinstance(node, Provenance):
            quotes = tuple(anchor.quote for anchor in node.evidence)
        return role, quotes

    def role_entry(self, link: Backlink) -> dict[str, Any]:
        """A backlink as the entity and article documents list it."""
        role, quotes = self.describe(link)
        return {
            "relation": link.relation.name,
            "label": link.relation.label,
            "section": link.section,
            "item": link.item,
            "role": role,
            "pointer": link.pointer,
            "quotes": list(quotes),
        }
