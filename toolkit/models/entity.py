"""Entity records of the ten kinds, their facts, and the redirect of an old ID
(`schema/entity.schema.json` is generated from the `Entity` union)."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from toolkit.models.fields import (
    FACTS_DOC,
    KIND_DOC,
    SCHEMA_REF_DOC,
    VERSION_DOC,
    WIKIDATA_PATTERN,
    EntityId,
    EntityRef,
    PartialDate,
    Provenance,
    SchemaVersion,
    ShortText,
    StrictModel,
    Text,
)


class Fact(Provenance):
    """A fact about an entity: quotes from an article's snapshot, or an editorial basis."""

    article: EntityId | None = Field(
        default=None, description="The article whose snapshot the evidence quotes."
    )


class TextFact(Fact):
    value: ShortText


class RefFact(Fact):
    value: EntityRef


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
        description=SCHEMA_REF_DOC,
        examples=["../../schema/entity.schema.json"],
    )
    id: EntityId = Field(description="The entity's ID; equals the file's stem.")
    schema_version: SchemaVersion = Field(description=VERSION_DOC, examples=["1.2.0"])
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
    kind: Literal["person"] = Field(description=KIND_DOC)
    facts: PersonFacts = Field(default_factory=PersonFacts, description=FACTS_DOC)


class StateFacts(StrictModel):
    iso_code: TextFact | None = Field(default=None, description="ISO 3166-1 alpha-2 code.")
    capital: RefFact | None = Field(default=None, description="The capital city (a place).")


class State(EntityBase):
    kind: Literal["state"] = Field(description=KIND_DOC)
    facts: StateFacts = Field(default_factory=StateFacts, description=FACTS_DOC)


class StateBoundFacts(StrictModel):
    state: RefFact | None = Field(default=None, description="The state this body belongs to.")


class Government(EntityBase):
    kind: Literal["government"] = Field(description=KIND_DOC)
    facts: StateBoundFacts = Field(default_factory=StateBoundFacts, description=FACTS_DOC)


class ArmedForce(EntityBase):
    kind: Literal["armed-force"] = Field(description=KIND_DOC)
    facts: StateBoundFacts = Field(default_factory=StateBoundFacts, description=FACTS_DOC)


class OrganizationFacts(StrictModel):
    organization_type: TextFact | None = Field(
        default=None, description="What sort of organization, e.g. university, party."
    )
    country: RefFact | None = Field(default=None, description="The state where it is based.")
    parent: RefFact | None = Field(default=None, description="The body it is part of.")


class Organization(EntityBase):
    kind: Literal["organization"] = Field(description=KIND_DOC)
    facts: OrganizationFacts = Field(default_factory=OrganizationFacts, description=FACTS_DOC)


class AllianceFacts(StrictModel):
    founded: TextFact | None = Field(default=None, description="When it was founded.")


class Alliance(EntityBase):
    kind: Literal["alliance"] = Field(description=KIND_DOC)
    facts: AllianceFacts = Field(default_factory=AllianceFacts, description=FACTS_DOC)


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
    kind: Literal["weapon-system"] = Field(description=KIND_DOC)
    facts: WeaponSystemFacts = Field(default_factory=WeaponSystemFacts, description=FACTS_DOC)


class PlaceFacts(StrictModel):
    place_type: TextFact | None = Field(
        default=None, description="What sort of place, e.g. region, city."
    )
    located_in: RefFact | None = Field(default=None, description="The place or state it lies in.")


class Place(EntityBase):
    kind: Literal["place"] = Field(description=KIND_DOC)
    facts: PlaceFacts = Field(default_factory=PlaceFacts, description=FACTS_DOC)


class OutletFacts(StrictModel):
    outlet_type: TextFact | None = Field(
        default=None, description="What sort of outlet, e.g. magazine, blog."
    )
    website: TextFact | None = Field(default=None, description="Its web address.")


class Outlet(EntityBase):
    kind: Literal["outlet"] = Field(description=KIND_DOC)
    facts: OutletFacts = Field(default_factory=OutletFacts, description=FACTS_DOC)


class DateFact(Fact):
    value: PartialDate


class EventFacts(StrictModel):
    date: DateFact | None = Field(
        default=None, description="When it happened, as precisely as the accounts agree."
    )


class EventEntity(EntityBase):
    """An event several articles may report (since 1.1): each article's `events` entry that
    names it is one account, with its own date, description and evidence."""

    kind: Literal["event"] = Field(description=KIND_DOC)
    facts: EventFacts = Field(default_factory=EventFacts, description=FACTS_DOC)


Entity = Annotated[
    Person
    | State
    | Government
    | ArmedForce
    | Organization
    | Alliance
    | WeaponSystem
    | Place
    | Outlet
    | EventEntity,
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
