"""Pydantic models: the one source of truth for the shape of a Stratlas record.

`stratlas schema` generates `schema/*.schema.json` from these classes. The models are strict
(no coercion, unknown keys refused) so that they give the same verdict as the published schema.
Cross-record rules (references, quotes, dates) live in `checks.py`, not here.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator
from pydantic_core import PydanticCustomError

from toolkit.format.urls import SCHEMA_BASE_URL
from toolkit.format.vocab import (
    ACTOR_KINDS,
    ENTITY_KINDS,
    ICD203_TERMS,
    ID_PATTERN,
    SCHEMA_VERSION,
)

__all__ = [
    "ACTOR_KINDS",
    "ENTITY_KINDS",
    "ICD203_TERMS",
    "ID_PATTERN",
    "SCHEMA_BASE_URL",
    "SCHEMA_VERSION",
    "Anchor",
    "Article",
    "Entity",
    "entity_adapter",
]

PARTIAL_DATE_PATTERN = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$(?!\n)"
URL_PATTERN = r"^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\s]*)?$(?!\n)"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$(?!\n)"
WIKIDATA_PATTERN = r"^Q[1-9][0-9]{0,11}$(?!\n)"

_KIND_DOC = "What sort of entity this is; it selects the facts the record may carry."
_FACTS_DOC = "Kind-specific facts, each with its evidence or editorial basis."
_SCHEMA_REF_DOC = "Optional pointer to this schema, for editors; ignored by the toolkit."
_VERSION_DOC = "Version of the record format (semantic versioning)."


def _text(max_length: int, description: str, examples: list[str]) -> Any:
    return Field(min_length=1, max_length=max_length, description=description, examples=examples)


EntityId = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        min_length=1,
        max_length=80,
        description="ID of an entity record (`records/entities/<id>.json`).",
        examples=["robert-farley"],
    ),
]
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
    _text(500, "What this entity does or is in this article, in a few words.", ["decision-maker"]),
]
ShortText = Annotated[str, _text(300, "A short label or title.", ["Grounded"])]
Text = Annotated[str, _text(2000, "Free text (plain text, never Markup).", ["A sentence."])]


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
    note: str = _text(
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


class Voiced(Provenance):
    """A claim with a speaker: the author's own, or attributed to someone."""

    voice: Voice = Field(
        description="`author`: the author's own judgement; `attributed`: reported as someone "
        "else's (then `attributed_to` names them).",
        examples=["author"],
    )
    attributed_to: EntityId | None = Field(
        default=None, description="Who the claim is attributed to, when `voice` is `attributed`."
    )


class DateClaim(Provenance):
    """A date with its provenance; `label_in_source` keeps the source's wording."""

    value: PartialDate
    label_in_source: ShortText | None = Field(
        default=None, description="How the source words the date.", examples=["late summer"]
    )


# --- article --------------------------------------------------------------------------------


class Publisher(Provenance):
    entity: EntityId = Field(description="The outlet that published the article.")


class Source(StrictModel):
    """Bibliographic facts about the article; what the source does not state is absent or
    carries an editorial basis."""

    nullable_fields: ClassVar[frozenset[str]] = frozenset({"url", "published", "publisher"})
    title: str = _text(
        300,
        "The headline as published.",
        ["Biden’s ATACMS Long-Range Missiles Decision: Escalation or Strategic Necessity?"],
    )
    subtitles: list[ShortText] = Field(
        default_factory=list,
        max_length=20,
        description="Section headings or subtitles as published.",
        examples=[["Ukraine War Gets Hotter By the Second…or Peace?"]],
    )
    publisher: Publisher | None = Field(default=None, description="null when unknown.")
    url: Url | None = Field(
        default=None,
        description="The original's address; null when unknown.",
        examples=["https://www.19fortyfive.com/2024/11/example/"],
    )
    published: DateClaim | None = Field(
        default=None, description="Publication date; null when unknown."
    )
    language: str = Field(
        pattern=LANGUAGE_PATTERN,
        max_length=35,
        description="BCP 47 language tag of the source.",
        examples=["en"],
    )
    rights: str = _text(
        1000,
        "Who holds the rights to the source text and on what terms the snapshot is kept.",
        ["© the publisher; quoted for commentary and verification."],
    )


class Position(Provenance):
    role: str = _text(300, "The position as worded.", ["teaches security and diplomacy courses"])
    organization: EntityId | None = Field(default=None, description="Where the position is held.")
    since: Year | None = Field(default=None, description="Year the position began.")


class Degree(Provenance):
    degree: ShortText = Field(examples=["Ph.D."])
    institution: EntityId = Field(description="The awarding institution.")
    year: Year | None = None


class Book(Provenance):
    title: ShortText = Field(examples=["Grounded"])
    subtitle: ShortText | None = Field(
        default=None, examples=["The Case for Abolishing the United States Air Force"]
    )
    publisher: ShortText | None = Field(default=None, examples=["University Press of Kentucky"])
    year: Year | None = None


class OutletContribution(Provenance):
    outlet: EntityId = Field(description="An outlet the author has written for.")
    label_in_source: ShortText | None = Field(default=None, examples=["the Diplomat: APAC"])


class EditorialRole(Provenance):
    roles: list[ShortText] = Field(
        min_length=1,
        max_length=10,
        description="The roles as worded.",
        examples=[["founder", "senior editor"]],
    )
    outlet: EntityId = Field(description="The outlet or organization the roles are held at.")


class Bio(StrictModel):
    """The author bio as published with the article."""

    honorific: ShortText | None = Field(default=None, examples=["Dr."])
    honorific_evidence: Evidence = Field(default_factory=list)
    positions: list[Position] = Field(
        default_factory=list, max_length=50, description="Jobs and posts held."
    )
    education: list[Degree] = Field(
        default_factory=list, max_length=50, description="Degrees with institutions and years."
    )
    books: list[Book] = Field(default_factory=list, max_length=200, description="Books written.")
    outlets: list[OutletContribution] = Field(
        default_factory=list, max_length=200, description="Outlets contributed to."
    )
    editorial_roles: list[EditorialRole] = Field(
        default_factory=list,
        max_length=50,
        description="Founding and editing roles at outlets or organizations.",
    )


class Author(StrictModel):
    person: EntityId = Field(description="The author's person entity.")
    bio: Bio = Field(default_factory=Bio)


class Mention(Provenance):
    """An entity as it figures in this article."""

    entity: EntityId
    role: Role
    label_in_source: ShortText | None = Field(
        default=None,
        description="The source's own words for the entity, when it does not name it.",
        examples=["a new intermediate-range ballistic missile"],
    )
    identification: Editorial | None = Field(
        default=None,
        description="Why the unnamed thing in the source is this entity (set with "
        "`label_in_source` when the source does not name it).",
    )


class Capability(Provenance):
    text: Text


class WeaponSystemMention(Mention):
    stated_capabilities: list[Capability] = Field(
        default_factory=list,
        max_length=50,
        description="What the source says it can do.",
        examples=[[{"text": "carries at least six re-entry vehicles", "evidence": []}]],
    )


class KeyPoint(Voiced):
    text: Text
    mentions: list[EntityId] = Field(
        default_factory=list,
        max_length=100,
        description="Entities the key point names.",
        examples=[["joe-biden", "ukraine", "atacms"]],
    )


class Event(Provenance):
    id: LocalId
    date: DateClaim | None = Field(default=None, description="When it happened, if known.")
    description: Text
    actors: list[EntityId] = Field(
        default_factory=list,
        max_length=100,
        description="Entities that act in the event.",
        examples=[["joe-biden"]],
    )
    places: list[EntityId] = Field(
        default_factory=list,
        max_length=100,
        description="Where it happened.",
        examples=[["kursk-oblast"]],
    )
    weapon_systems: list[EntityId] = Field(
        default_factory=list,
        max_length=100,
        description="Weapon systems involved.",
        examples=[["atacms"]],
    )


Estimate = Literal[
    "almost-no-chance",
    "very-unlikely",
    "unlikely",
    "roughly-even-chance",
    "likely",
    "very-likely",
    "almost-certain",
]


class Likelihood(StrictModel):
    nullable_fields: ClassVar[frozenset[str]] = frozenset({"wording", "estimate"})
    wording: str | None = Field(
        min_length=1,
        max_length=500,
        description="The source's own hedge, verbatim; null when it gives none.",
        examples=["should pose no major problem"],
    )
    estimate: Estimate | None = Field(
        description="The ICD 203 term the wording supports; null when it supports none.",
        examples=["likely"],
    )


class Resolution(Provenance):
    status: Literal["open", "happened", "did-not-happen"] = Field(
        description="`open` until events settle it.", examples=["open"]
    )
    note: Text | None = None


class Scenario(Voiced):
    id: LocalId
    title: ShortText
    conditions: list[Text] = Field(
        default_factory=list,
        max_length=50,
        description="What has to be true for the scenario to unfold.",
        examples=[["Trump wants to send a conciliatory message to Putin"]],
    )
    outcomes: list[Text] = Field(
        min_length=1,
        max_length=50,
        description="What would follow.",
        examples=[["The ATACMS decision is reversed"]],
    )
    actors: list[EntityId] = Field(
        default_factory=list,
        max_length=100,
        description="Who would act in it.",
        examples=[["donald-trump"]],
    )
    timeframe: ShortText | None = Field(default=None, examples=["once Trump reassumes office"])
    likelihood: Likelihood = Field(description="How likely the source thinks it is.")
    resolution: Resolution = Field(description="Whether it has happened, for later scoring.")


class Assessment(Voiced):
    id: LocalId
    text: Text
    subjects: list[EntityId] = Field(
        min_length=1,
        max_length=100,
        description="The entities the judgement is about.",
        examples=[["oreshnik"]],
    )
    stance: Literal["supportive", "critical", "sceptical", "neutral", "mixed"] = Field(
        description="The judgement's direction towards its subjects.", examples=["sceptical"]
    )


class Article(StrictModel):
    """An analysis article: source, authors and everything it names or argues."""

    model_config = ConfigDict(title="Stratlas article record")
    schema_ref: str | None = Field(
        default=None,
        alias="$schema",
        max_length=500,
        description=_SCHEMA_REF_DOC,
        examples=["../../schema/article.schema.json"],
    )
    id: EntityId = Field(description="The article's ID; equals the file's stem.")
    schema_version: Literal["1.0.0"] = Field(description=_VERSION_DOC)
    source: Source = Field(description="Bibliographic facts about the article.")
    authors: list[Author] = Field(
        min_length=1, max_length=20, description="Who wrote it, with the bio as published."
    )
    key_points: list[KeyPoint] = Field(
        default_factory=list, max_length=100, description="The article's key points."
    )
    actors: list[Mention] = Field(
        default_factory=list,
        max_length=500,
        description="People, states, governments, organizations, armed forces and alliances "
        "the article names, with what each does in it.",
    )
    weapon_systems: list[WeaponSystemMention] = Field(
        default_factory=list,
        max_length=500,
        description="Weapon systems the article names, with their stated capabilities.",
    )
    places: list[Mention] = Field(
        default_factory=list, max_length=500, description="Places the article names."
    )
    events: list[Event] = Field(
        default_factory=list, max_length=500, description="Events the article reports."
    )
    scenarios: list[Scenario] = Field(
        default_factory=list, max_length=100, description="The futures the article weighs."
    )
    assessments: list[Assessment] = Field(
        default_factory=list,
        max_length=200,
        description="Judgements the article makes, the author's own or attributed.",
    )


# --- entities -------------------------------------------------------------------------------


class Fact(Provenance):
    """A fact about an entity: quotes from an article's snapshot, or an editorial basis."""

    article: EntityId | None = Field(
        default=None, description="The article whose snapshot the evidence quotes."
    )


class TextFact(Fact):
    value: ShortText


class RefFact(Fact):
    value: EntityId


class Identifiers(StrictModel):
    wikidata: str | None = Field(
        default=None,
        pattern=WIKIDATA_PATTERN,
        max_length=13,
        description="The Wikidata item (QID) for this entity.",
        examples=["Q7184"],
    )


class EntityBase(StrictModel):
    schema_ref: str | None = Field(
        default=None,
        alias="$schema",
        max_length=500,
        description=_SCHEMA_REF_DOC,
        examples=["../../schema/entity.schema.json"],
    )
    id: EntityId = Field(description="The entity's ID; equals the file's stem.")
    schema_version: Literal["1.0.0"] = Field(description=_VERSION_DOC)
    name: ShortText = Field(description="The usual English name.", examples=["ATACMS"])
    aliases: list[ShortText] = Field(
        default_factory=list,
        max_length=50,
        description="Other names it goes by (matched in source snapshots).",
        examples=[["Army Tactical Missile System"]],
    )
    description: Text
    disambiguation: Text | None = Field(
        default=None,
        description="Required when another entity shares a name or alias: how to tell them apart.",
    )
    identifiers: Identifiers = Field(
        default_factory=Identifiers, description="Identifiers in other databases."
    )


class PersonFacts(StrictModel):
    nationality: RefFact | None = Field(
        default=None, description="The state the person is a national of."
    )
    occupation: TextFact | None = Field(
        default=None, description="What the person does for a living."
    )


class Person(EntityBase):
    kind: Literal["person"] = Field(description=_KIND_DOC)
    facts: PersonFacts = Field(default_factory=PersonFacts, description=_FACTS_DOC)


class StateFacts(StrictModel):
    iso_code: TextFact | None = Field(default=None, description="ISO 3166-1 alpha-2 code.")
    capital: RefFact | None = Field(default=None, description="The capital city (a place).")


class State(EntityBase):
    kind: Literal["state"] = Field(description=_KIND_DOC)
    facts: StateFacts = Field(default_factory=StateFacts, description=_FACTS_DOC)


class StateBoundFacts(StrictModel):
    state: RefFact | None = Field(default=None, description="The state this body belongs to.")


class Government(EntityBase):
    kind: Literal["government"] = Field(description=_KIND_DOC)
    facts: StateBoundFacts = Field(default_factory=StateBoundFacts, description=_FACTS_DOC)


class ArmedForce(EntityBase):
    kind: Literal["armed-force"] = Field(description=_KIND_DOC)
    facts: StateBoundFacts = Field(default_factory=StateBoundFacts, description=_FACTS_DOC)


class OrganizationFacts(StrictModel):
    organization_type: TextFact | None = Field(
        default=None, description="What sort of organization, e.g. university, party."
    )
    country: RefFact | None = Field(default=None, description="The state where it is based.")
    parent: RefFact | None = Field(default=None, description="The body it is part of.")


class Organization(EntityBase):
    kind: Literal["organization"] = Field(description=_KIND_DOC)
    facts: OrganizationFacts = Field(default_factory=OrganizationFacts, description=_FACTS_DOC)


class AllianceFacts(StrictModel):
    founded: TextFact | None = Field(default=None, description="When it was founded.")


class Alliance(EntityBase):
    kind: Literal["alliance"] = Field(description=_KIND_DOC)
    facts: AllianceFacts = Field(default_factory=AllianceFacts, description=_FACTS_DOC)


class WeaponSystemFacts(StrictModel):
    weapon_class: TextFact | None = Field(
        default=None, description="The class of weapon, e.g. ballistic missile."
    )
    range_class: TextFact | None = Field(default=None, description="Range class, e.g. SRBM, IRBM.")
    origin_state: RefFact | None = Field(
        default=None, description="The state that developed or makes it."
    )
    manufacturer: TextFact | None = Field(default=None, description="Who makes it.")


class WeaponSystem(EntityBase):
    kind: Literal["weapon-system"] = Field(description=_KIND_DOC)
    facts: WeaponSystemFacts = Field(default_factory=WeaponSystemFacts, description=_FACTS_DOC)


class PlaceFacts(StrictModel):
    place_type: TextFact | None = Field(
        default=None, description="What sort of place, e.g. region, city."
    )
    located_in: RefFact | None = Field(default=None, description="The place or state it lies in.")


class Place(EntityBase):
    kind: Literal["place"] = Field(description=_KIND_DOC)
    facts: PlaceFacts = Field(default_factory=PlaceFacts, description=_FACTS_DOC)


class OutletFacts(StrictModel):
    outlet_type: TextFact | None = Field(
        default=None, description="What sort of outlet, e.g. magazine, blog."
    )
    website: TextFact | None = Field(default=None, description="Its web address.")


class Outlet(EntityBase):
    kind: Literal["outlet"] = Field(description=_KIND_DOC)
    facts: OutletFacts = Field(default_factory=OutletFacts, description=_FACTS_DOC)


Entity = Annotated[
    Person
    | State
    | Government
    | ArmedForce
    | Organization
    | Alliance
    | WeaponSystem
    | Place
    | Outlet,
    Field(discriminator="kind"),
]


@cache
def entity_adapter() -> TypeAdapter[EntityBase]:
    """Validates an entity record of any kind (built once: building it takes milliseconds)."""
    return TypeAdapter(Entity)


# --- redirects ------------------------------------------------------------------------------


class Redirect(StrictModel):
    """An old ID that now lives on under another (records/redirects.json)."""

    to: EntityId = Field(description="The ID the old one was merged into.")
    reason: Text = Field(description="Why the IDs were merged.")
    date: PartialDate | None = Field(default=None, description="When the merge happened.")
