"""The article record: its source, authors and bios, key points, mentions, events, scenarios and
assessments (`schema/article.schema.json` is generated from `Article`).

Over 300 lines since schema 1.2 (resolution sources and dates): the record's models read
together; the scenario and its resolution (`Likelihood`, `UrlSource`, `ArticleSource`,
`Resolution`, `Scenario`) are the next piece to move out, to a module of their own."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import ConfigDict, Field

from toolkit.models.author import Author
from toolkit.models.fields import (
    LANGUAGE_PATTERN,
    SCHEMA_REF_DOC,
    VERSION_DOC,
    Attribution,
    DateClaim,
    Editorial,
    EntityId,
    EntityRef,
    LocalId,
    PartialDate,
    Provenance,
    Role,
    SchemaVersion,
    ShortText,
    StrictModel,
    Text,
    Url,
    Voiced,
    text_field,
)


class Publisher(Provenance):
    entity: EntityRef = Field(description="The outlet that published the article.")


class Source(StrictModel):
    """Bibliographic facts about the article; what the source does not state is absent or
    carries an editorial basis."""

    nullable_fields: ClassVar[frozenset[str]] = frozenset({"url", "published", "publisher"})
    title: str = text_field(
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
    rights: str = text_field(
        1000,
        "Who holds the rights to the source text and on what terms the snapshot is kept.",
        ["© the publisher; quoted for commentary and verification."],
    )


class Mention(Provenance):
    """An entity as it figures in this article."""

    entity: EntityRef
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


class Capability(Attribution):
    """A capability the source states; `voice` says whether the author states it or reports
    someone's claim (absent: the author's, as before 1.1)."""

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
    mentions: list[EntityRef] = Field(
        default_factory=list,
        max_length=100,
        description="Entities the key point names.",
        examples=[["joe-biden", "ukraine", "atacms"]],
    )


class Event(Provenance):
    id: LocalId
    event: EntityRef | None = Field(
        default=None,
        description="The event entity this account reports, shared by every article that "
        "reports the same event (since 1.1).",
        examples=["oreshnik-strike-on-dnipro"],
    )
    date: DateClaim | None = Field(default=None, description="When it happened, if known.")
    description: Text
    actors: list[EntityRef] = Field(
        default_factory=list,
        max_length=100,
        description="Entities that act in the event.",
        examples=[["joe-biden"]],
    )
    places: list[EntityRef] = Field(
        default_factory=list,
        max_length=100,
        description="Where it happened.",
        examples=[["kursk-oblast"]],
    )
    weapon_systems: list[EntityRef] = Field(
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


class UrlSource(StrictModel):
    """A page that shows how the scenario resolved, and what it shows."""

    model_config = ConfigDict(title="Resolution source: a URL")
    url: Url = Field(description="The page that shows the outcome.")
    basis: str = text_field(
        1000,
        "What the page shows, in words.",
        ["The White House transcript of the inauguration, 20 January 2025."],
    )


class ArticleSource(StrictModel):
    """A later article of the corpus that reports how the scenario resolved."""

    model_config = ConfigDict(title="Resolution source: a later article")
    article: EntityId = Field(
        description="ID of an article of the corpus published on or after the scenario's.",
        examples=["trump-takes-office"],
    )
    quote: str = Field(
        min_length=1,
        max_length=2000,
        description="The later article's words, verbatim (checked against its snapshot).",
        examples=["Trump was sworn in on 20 January"],
    )


def _one_of(schema: dict[str, Any]) -> None:
    """Publish the item union as `oneOf`: the two shapes share no key, so exactly one
    matches, and a downstream tool can tell which by its required keys."""
    items = schema.get("items", {})
    if "anyOf" in items:
        items["oneOf"] = items.pop("anyOf")


class Resolution(Provenance):
    """Whether the scenario happened, and on what basis: `sources` (since 1.2), quotes of
    the article itself (`evidence`) or an `editorial` basis."""

    status: Literal["open", "happened", "did-not-happen"] = Field(
        description="`open` until events settle it.", examples=["open"]
    )
    note: Text | None = None
    resolved_on: PartialDate | None = Field(
        default=None,
        description="When events settled it, as precise as known (since 1.2; required with a "
        "status other than `open` in a 1.2 record).",
        examples=["2025-01-20"],
    )
    sources: list[UrlSource | ArticleSource] = Field(
        default_factory=list,
        max_length=20,
        description="What shows the outcome (since 1.2): each either `{url, basis}` (a page "
        "and what it shows) or `{article, quote}` (a later article of the corpus and its "
        "words, verbatim).",
        examples=[[{"url": "https://www.whitehouse.gov/", "basis": "The inauguration."}]],
        json_schema_extra=_one_of,
    )


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
    actors: list[EntityRef] = Field(
        default_factory=list,
        max_length=100,
        description="Who would act in it.",
        examples=[["donald-trump"]],
    )
    timeframe: ShortText | None = Field(default=None, examples=["once Trump reassumes office"])
    due: PartialDate | None = Field(
        default=None,
        description="The latest date by which the scenario should have played out, as precise "
        "as known, read from the timeframe by the contributor (since 1.2).",
        examples=["2025-01"],
    )
    likelihood: Likelihood = Field(description="How likely the source thinks it is.")
    resolution: Resolution = Field(description="Whether it has happened, for later scoring.")


class Assessment(Voiced):
    id: LocalId
    text: Text
    subjects: list[EntityRef] = Field(
        min_length=1,
        max_length=100,
        description="The entities the judgement is about.",
        examples=[["oreshnik"]],
    )
    stance: Literal["supportive", "critical", "sceptical", "neutral", "mixed"] = Field(
        description="The judgement's direction towards its subjects.", examples=["sceptical"]
    )


class Unsigned(Provenance):
    """The article carries no byline (`authors` is then empty): the source's own wording for
    who wrote it, if any, with its evidence or an editorial basis."""

    model_config = ConfigDict(title="Unsigned article")
    label_in_source: ShortText | None = Field(
        default=None,
        description="The source's own words in place of a byline, verbatim.",
        examples=["Staff report"],
    )


class Article(StrictModel):
    """An analysis article: source, authors and everything it names or argues."""

    model_config = ConfigDict(title="Stratlas article record")
    schema_ref: str | None = Field(
        default=None,
        alias="$schema",
        max_length=500,
        description=SCHEMA_REF_DOC,
        examples=["../../schema/article.schema.json"],
    )
    id: EntityId = Field(description="The article's ID; equals the file's stem.")
    schema_version: SchemaVersion = Field(description=VERSION_DOC, examples=["1.2.0"])
    source: Source = Field(description="Bibliographic facts about the article.")
    authors: list[Author] = Field(
        max_length=20,
        description="Who wrote it, with the bio as published; `[]` when the article carries "
        "no byline, with `unsigned` set.",
    )
    unsigned: Unsigned | None = Field(
        default=None,
        description="Set when the article carries no byline (then `authors` is `[]`; since 1.1).",
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
