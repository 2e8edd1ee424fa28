"""The record format's vocabulary, importable without pydantic (kept light for start-up).

Each table is the one home of its terms and of their words on the site: entity kinds with their
labels, ICD 203 terms with their probability bands, editorial bases. The tuples the schema and
the checks use are the tables' keys, in the tables' order (`schema/` lists them in that order).
`toolkit/models.py` spells the same terms as `Literal` types, which must be written out;
`tests/test_vocab.py` holds them, `mkdocs.yml`'s navigation and the JSON-LD types to these tables.
"""

from __future__ import annotations

__all__ = [
    "ACTOR_KINDS",
    "BASIS_LABELS",
    "EDITORIAL_BASES",
    "ENTITY_KINDS",
    "ICD203",
    "ICD203_BANDS",
    "ICD203_TERMS",
    "ID_PATTERN",
    "KIND_LABELS",
    "SCHEMA_VERSION",
]

SCHEMA_VERSION = "1.2.0"

#: Slug pattern. `(?!\n)` stops Python's `$` from accepting a trailing newline.
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$(?!\n)"

#: ICD 203 term → (the term in words, the probability band the standard gives it, in whole
#: per cent): the table of likelihood expressions in Intelligence Community Directive 203,
#: "Analytic Standards" (ODNI, 2 January 2015):
#: https://www.dni.gov/files/documents/ICD/ICD-203.pdf
ICD203_BANDS: dict[str, tuple[str, tuple[int, int]]] = {
    "almost-no-chance": ("almost no chance", (1, 5)),
    "very-unlikely": ("very unlikely", (5, 20)),
    "unlikely": ("unlikely", (20, 45)),
    "roughly-even-chance": ("roughly even chance", (45, 55)),
    "likely": ("likely", (55, 80)),
    "very-likely": ("very likely", (80, 95)),
    "almost-certain": ("almost certain", (95, 99)),
}
#: ICD 203 term → (the term in words, its band as the site prints it: "1–5 %").
ICD203: dict[str, tuple[str, str]] = {
    term: (words, f"{low}–{high} %") for term, (words, (low, high)) in ICD203_BANDS.items()
}
ICD203_TERMS = tuple(ICD203)

#: Entity kind → (singular, plural) for headings and labels.
KIND_LABELS: dict[str, tuple[str, str]] = {
    "person": ("Person", "People"),
    "state": ("State", "States"),
    "government": ("Government", "Governments"),
    "organization": ("Organization", "Organizations"),
    "armed-force": ("Armed force", "Armed forces"),
    "alliance": ("Alliance", "Alliances"),
    "weapon-system": ("Weapon system", "Weapon systems"),
    "place": ("Place", "Places"),
    "outlet": ("Outlet", "Outlets"),
    "event": ("Event", "Events"),
}
ENTITY_KINDS = tuple(KIND_LABELS)
#: Kinds that can act in an article (actors, event actors, scenario actors, attributions).
ACTOR_KINDS = ("person", "state", "government", "organization", "armed-force", "alliance")

#: Editorial basis → its words in a sentence ("Inferred from the source: …").
BASIS_LABELS: dict[str, str] = {
    "inferred-from-source": "inferred from the source",
    "external-source": "from an external source",
    "common-knowledge": "common knowledge",
    "contributor-judgement": "contributor's judgement",
}
EDITORIAL_BASES = tuple(BASIS_LABELS)
