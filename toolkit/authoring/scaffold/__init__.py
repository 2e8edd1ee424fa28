"""Draft records from an article's text (`stratlas new article|entity`).

A draft is a record the schema accepts but validation still fails, on purpose: wherever the
scaffold could not read what a record needs, it leaves a placeholder that the `draft-incomplete`
check reports with what to complete. The placeholders (the convention `find_placeholders`
recognises, and CONTRIBUTING.md explains):

- text that starts with ``TODO:`` — the rest says what to write there;
- an entity ID that starts with ``todo-`` — the rest is a slug of the name to look up or create;
- the address ``https://todo.invalid/…`` — the original's address is still to be given.

What the scaffold reads from the text (the 19FortyFive syndication layout, and the same shapes
elsewhere): the headline, a "Key Points:" block, subtitles, an "About the Author" paragraph,
and the names and aliases of registered entities; from the sentences, the one that best
supports each mention, states named as places, stated capabilities, events from explicit dates
and the voice of key points. Everything it fills carries an evidence anchor that resolves in
the stored snapshot.

The modules, in reading order: `known` (the registered entities, name lookup, new-ID checks),
`layout` (cleaning, parts, sentences, anchors), `mentions` (entity names in the text, key
points), `bio` (the author's bio), `evidence` (sentences scored as evidence, places),
`claims` (voice, dates, capabilities read from a sentence), `propose` (the proposals made from
them), `draft` (the records assembled, and written). This module only re-exports; it does no
work of its own.
"""

from toolkit.authoring.scaffold.draft import (
    ArticleDraft,
    EntityDraft,
    draft_article,
    draft_entity,
    write_article_draft,
    write_entity_draft,
)
from toolkit.authoring.scaffold.known import KnownEntity, known_entities
from toolkit.authoring.scaffold.layout import clean_article_text
from toolkit.errors import ScaffoldError
from toolkit.format.placeholders import (
    PLACEHOLDER_ID_PREFIX,
    PLACEHOLDER_URL,
    TODO,
    find_placeholders,
)

__all__ = [
    "PLACEHOLDER_ID_PREFIX",
    "PLACEHOLDER_URL",
    "TODO",
    "ArticleDraft",
    "EntityDraft",
    "KnownEntity",
    "ScaffoldError",
    "clean_article_text",
    "draft_article",
    "draft_entity",
    "find_placeholders",
    "known_entities",
    "write_article_draft",
    "write_entity_draft",
]
