"""The building blocks of every record model: field types (IDs, dates, URLs, texts), the strict
base model, and provenance (anchors, editorial bases, voice) that every claim carries."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from toolkit.format.vocab import ID_PATTERN

PARTIAL_DATE_PATTERN = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$(?!\n)"
URL_PATTERN = r"^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\s]*)?$(?!\n)"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$(?!\n)"
WIKIDATA_PATTERN = r"^Q[1-9][0-9]{0,11}$(?!\n)"

KIND_DOC = "What sort of entity this is; it selects the facts the record may carry."
FACTS_DOC = "Kind-specific facts, each with its evidence or editorial basis."
SCHEMA_REF_DOC = "Optional pointer to this schema, for editors; ignored by the toolkit."
VERSION_DOC = (
    "Version of the record format (semantic versioning) the record was written for; every 1.x "
    "version is accepted."
)

#: Every version a record may declare: a minor version adds to the format, so the newest
#: schema of a major version accepts each of its records (docs/versioning.md).
SchemaVersion = Literal["1.0.0", "1.1.0", "1.2.0"]


def text_field(max_length: int, description: str, examples: list[str]) -> Any:
    return Field(min_length=1, max_length=max_length, description=description, examples=examples)


class EntityReference:
    """Marks a field whose value is another entity's ID (`EntityRef`). Every such field has
    its row in `toolkit.format.relations` (the table's order is the pages' order); a test
    walks the models to keep the table complete. Pydantic ignores this metadata, so the
    published schema is the same for `EntityRef` and `EntityId`."""


def _entity_id() -> Any:
    return Field(
        pattern=ID_PATTERN,
        min_length=1,
        max_length=80,
        description="ID of an entity record (`records/entities/<id>.json`).",
        examples=["robert-farley"],
    )


#: A record's own ID, or an ID named for another reason than linking to an entity.
EntityId = Annotated[str, _entity_id()]
#: A reference to an entity: the link stage turns it into a link and its reverse.
EntityRef = Annotated[str, _entity_id(), EntityReference()]
LocalId = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        min_length=1,
        max_length=80,
        description="ID unique within this article (events, scenarios, assessments).",
        examples=["atacms-authorisation"],
    ),
]
PartialDate = Annotated[
    str,
    Field(
        pattern=PARTIAL_DATE_PATTERN,
        min_length=4,
        max_length=10,
        description="A date as precise as known: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.",
        examples=["2024-11-17", "2024-11", "2024"],
    ),
]
Url = Annotated[
    str,
    Field(
        pattern=URL_PATTERN,
        max_length=2000,
        json_schema_extra={"format": "uri"},
        description="An http(s) URL without user info, kept exactly as written.",
        examples=["https://www.19fortyfive.com/"],
    ),
]
Year = Annotated[
    int,
    Field(ge=1000, le=2999, description="A four-digit year.", examples=[2004]),
]
Role = Annotated[
    str,
    text_field(
        500, "What this entity does or is in this article, in a few words.", ["decision-maker"]
    ),
]
ShortText = Annotated[str, text_field(300, "A short label or title.", ["Grounded"])]
Text = Annotated[str, text_field(2000, "Free text (plain text, never Markup).", ["A sentence."])]


def _drop_null_from_optional(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Publish optional fields as "may be absent", not "may be null" (see StrictModel)."""
    nullable: frozenset[str] = getattr(model, "nullable_fields", frozenset())
    for name, prop in schema.get("properties", {}).items():
        if name in nullable or "anyOf" not in prop:
            continue
        branches = [b for b in prop["anyOf"] if b != {"type": "null"}]
        if len(branches) == len(prop["anyOf"]):
            continue
        rest = {k: v for k, v in prop.items() if k not in ("anyOf", "default")}
        if len(branches) == 1:
            prop.clear()
            prop.update({**branches[0], **rest})
        else:
            prop["anyOf"] = branches
            prop.pop("default", None)


class StrictModel(BaseModel):
    """Base: unknown keys refused, no type coercion, null only where it carries meaning."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        regex_engine="python-re",
        json_schema_extra=_drop_null_from_optional,
    )
    #: Fields where an explicit `null` means something ("not stated"); elsewhere omit the key.
    nullable_fields: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _refuse_null(cls, data: Any) -> Any:
        # `None in values()` runs in C: most objects hold no null, and this runs for each one.
        if isinstance(data, dict) and None in data.values():
            for key, value in data.items():
                if value is None and key in cls.model_fields and key not in cls.nullable_fields:
                    raise PydanticCustomError(
                        "null_not_allowed",
                        "'{field}' may not be null: leave the key out instead",
                        {"field": key},
                    )
        return data


# --- provenance -----------------------------------------------------------------------------


class Anchor(StrictModel):
    """A W3C Web Annotation TextQuoteSelector into the article's source snapshot."""

    model_config = ConfigDict(title="Evidence anchor")
    quote: str = Field(
        min_length=1,
        max_length=2000,
        description="The exact words of the source (white space and typographic quotes are "
        "normalised before matching).",
        examples=["it is in no way a game changer"],
    )
    prefix: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Text just before the quote, to tell apart repeated quotes.",
        examples=["This missile was visually impressive and "],
    )
    suffix: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Text just after the quote, to tell apart repeated quotes.",
        examples=[" for the balance of capabilities"],
    )
    start: int | None = Field(
        default=None,
        ge=0,
        le=10_000_000,
        description="Offset of the quote's first code point in the NFC-normalised snapshot.",
        examples=[120],
    )
    end: int | None = Field(
        default=None,
        ge=0,
        le=10_000_000,
        description="Offset just past the quote's last code point (exclusive).",
        examples=[151],
    )


Evidence = Annotated[
    list[Anchor],
    Field(
        max_length=50,
        description="Quotes from the source snapshot that back this claim.",
        examples=[[{"quote": "it is in no way a game changer"}]],
    ),
]

EditorialBasis = Literal[
    "inferred-from-source", "external-source", "common-knowledge", "contributor-judgement"
]


class Editorial(StrictModel):
    """Marks a fact the source does not state, with the reason it is given anyway."""

    model_config = ConfigDict(title="Editorial addition")
    basis: EditorialBasis = Field(
        description="Why the fact is given although the source does not state it.",
        examples=["inferred-from-source"],
    )
    note: str = text_field(
        2000,
        "How the fact was established, in a sentence or two.",
        ["The article discusses the strike of 21 November 2024 as recent."],
    )
    url: Url | None = Field(default=None, description="Where the fact can be checked.")


class Provenance(StrictModel):
    """A claim: backed by quotes from the source, or marked as an editorial addition."""

    evidence: Evidence = Field(default_factory=list)
    editorial: Editorial | None = Field(
        default=None, description="Set when the source does not state this; says on what basis."
    )


Voice = Literal["author", "attributed"]
VOICE_DOC = (
    "`author`: the author's own judgement; `attributed`: reported as someone else's (then "
    "`attributed_to` or `attributed_group` says whose)."
)


class AttributedGroup(StrictModel):
    """Speakers the source describes without naming them ("most analysts", "American
    officials"): its own words, and the entity the group belongs to when there is one."""

    model_config = ConfigDict(title="Described group")
    label_in_source: ShortText = Field(
        description="The source's words for the group, verbatim (checked against the snapshot).",
        examples=["American officials"],
    )
    entity: EntityRef | None = Field(
        default=None,
        description="The entity the group belongs to, when the source says (e.g. a state for "
        "its officials).",
        examples=["united-states"],
    )


class Attribution(Provenance):
    """Who makes a claim: the author, or someone the claim is attributed to: a named entity or
    a described group (at most one). `voice` is optional here (absent: the author's, as before
    1.1) and required on `Voiced`; declared first so that the canonical key order of 1.0
    records (`voice` before `attributed_to`) is kept."""

    voice: Voice | None = Field(default=None, description=VOICE_DOC, examples=["attributed"])
    attributed_to: EntityRef | None = Field(
        default=None,
        description="The entity the claim is attributed to, when `voice` is `attributed` and "
        "the source names the speaker.",
    )
    attributed_group: AttributedGroup | None = Field(
        default=None,
        description="The group the claim is attributed to, when `voice` is `attributed` and the "
        "source describes its speakers without naming them (since 1.1).",
    )


class Voiced(Attribution):
    """A claim with a speaker: the author's own, or attributed to someone."""

    voice: Voice = Field(description=VOICE_DOC, examples=["author"])


class DateClaim(Provenance):
    """A date with its provenance; `label_in_source` keeps the source's wording."""

    value: PartialDate = Field(
        description="The date as precise as known; with `earliest`/`latest`, the narrowest "
        "partial date that holds both."
    )
    label_in_source: ShortText | None = Field(
        default=None, description="How the source words the date.", examples=["late summer"]
    )
    earliest: PartialDate | None = Field(
        default=None,
        description="The earliest the date can be, when it is known only to lie between two "
        "dates (within `value`; since 1.1).",
        examples=["2024-11-18"],
    )
    latest: PartialDate | None = Field(
        default=None,
        description="The latest the date can be (within `value`; since 1.1).",
        examples=["2024-11-22"],
    )
