"""An article's authors and their bios as published with it: positions, degrees, books, outlets
and editorial roles, each claim with its evidence."""

from __future__ import annotations

from pydantic import Field

from toolkit.models.fields import (
    EntityRef,
    Evidence,
    Provenance,
    ShortText,
    StrictModel,
    Year,
    text_field,
)


class Position(Provenance):
    role: str = text_field(
        300, "The position as worded.", ["teaches security and diplomacy courses"]
    )
    organization: EntityRef | None = Field(default=None, description="Where the position is held.")
    since: Year | None = Field(default=None, description="Year the position began.")


class Degree(Provenance):
    degree: ShortText = Field(examples=["Ph.D."])
    institution: EntityRef = Field(description="The awarding institution.")
    year: Year | None = None


class Book(Provenance):
    title: ShortText = Field(examples=["Grounded"])
    subtitle: ShortText | None = Field(
        default=None, examples=["The Case for Abolishing the United States Air Force"]
    )
    publisher: ShortText | None = Field(default=None, examples=["University Press of Kentucky"])
    year: Year | None = None


class OutletContribution(Provenance):
    outlet: EntityRef = Field(description="An outlet the author has written for.")
    label_in_source: ShortText | None = Field(default=None, examples=["the Diplomat: APAC"])


class EditorialRole(Provenance):
    roles: list[ShortText] = Field(
        min_length=1,
        max_length=10,
        description="The roles as worded.",
        examples=[["founder", "senior editor"]],
    )
    outlet: EntityRef = Field(description="The outlet or organization the roles are held at.")


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
    person: EntityRef = Field(description="The author's person entity.")
    bio: Bio = Field(default_factory=Bio)
