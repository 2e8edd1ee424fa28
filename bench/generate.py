#!/usr/bin/env python3
"""Seeded generator of realistic synthetic Stratlas corpora, for the benchmarks (issue 7).

    python bench/generate.py --articles 1000 --seed 1 --out bench/out/corpus-1000
    python bench/generate.py --articles 1000 --seed 1 --broken-percent 1 --out bench/out/broken

writes OUT/articles/*.json, OUT/entities/*.json and OUT/sources/*.txt (plus OUT/corpus.json, a
manifest the validator ignores). What makes the corpus realistic and valid:

- an entity pool of about N/2 + 50 entities of every kind (people, states, governments, armed
  forces, organizations, alliances, weapon systems, places, outlets), each with kind-specific
  facts, some backed by quotes from an article, the rest with an editorial basis;
- articles pick their entities with a Zipf distribution, weight 1/rank^s within each kind
  (`--zipf`, default 1: the most-mentioned entities are in most articles, the median one in
  about ten), and every entity is referenced by at least one article;
- each article is about 25 KB of canonical JSON (`stratlas fmt` leaves it as it is), like the
  seed record: key points, actors, weapon systems with stated capabilities, places, events with
  partial dates, scenarios with hedged wording and ICD 203 estimates, assessments in the
  author's voice or attributed, and an author bio;
- each article has a generated source snapshot in which every evidence quote occurs exactly
  once, and which names only entities that the article references (so `stratlas validate
  --strict` reports nothing): entity names are built from invented words that belong to one
  entity each (a government's or an armed force's name holds its state's, so articles that
  name one reference the state too), and no two entities share a name or an alias.

`--broken-percent P` then corrupts P % of the record files in varied ways (JSON syntax, a typo'd
reference, a misquote, an unknown field, a wrong type, an impossible date, an unknown kind), so
validation has errors to report. The same arguments always give the same bytes.

The generator needs only the standard library (orjson, when installed, makes it faster) and
does not import the toolkit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - the standard library does the same, slower
    orjson = None  # type: ignore[assignment]

__all__ = ["GENERATOR_VERSION", "MARKER", "GenerationResult", "generate", "main"]

#: Bump when the output for given arguments changes (run.py regenerates cached corpora then).
GENERATOR_VERSION = "1"
#: File that marks a folder as made by this generator: only such folders are ever replaced.
MARKER = ".stratlas-bench-corpus"
MANIFEST = "corpus.json"

#: s in weight = 1 / rank**s; 1.0 makes the most-mentioned entity of a kind (the "Russia" of
#: the corpus) appear in most articles, as in real coverage of one war.
ZIPF_EXPONENT = 1.0
SCHEMA_VERSION = "1.0.0"
ARTICLE_SCHEMA = "../../schema/article.schema.json"
ENTITY_SCHEMA = "../../schema/entity.schema.json"


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


# --- vocabulary -------------------------------------------------------------------------------
# Every word of every phrase below is "English": invented name words are checked against it, so
# an entity's name can never turn up in an article that does not reference the entity.

GIVEN_NAMES_F = _split(
    "Mirela|Anna|Sofia|Elena|Irina|Katarina|Nadia|Lena|Marta|Olga|Vera|Helena|Clara|Ingrid|"
    "Teresa|Julia|Daria|Alina|Petra|Simone|Laura|Maria|Eva|Nina|Rosa|Agnes|Leila|Amira|"
    "Yasmin|Hana|Mei|Akiko|Priya|Ana|Lucia|Beatriz|Camille|Margot|Freya|Astrid|Greta|Ilse|"
    "Zofia|Jana"
)
GIVEN_NAMES_M = _split(
    "Anton|Lukas|Pavel|Viktor|Marek|Tomas|Andrei|Dmitri|Stefan|Jonas|Erik|Henrik|Matteo|"
    "Paolo|Karl|Felix|Oskar|Jan|Adam|Robert|Daniel|Samuel|David|Michael|Thomas|Martin|Hugo|"
    "Leon|Ivan|Omar|Tariq|Karim|Hassan|Rahul|Kenji|Hiroshi|Diego|Mateo|Rafael|Luis|Bruno|"
    "Emil|Nikolai"
)

SUBJECTS = _split(
    "security studies|international relations|military history|strategic studies|"
    "arms control|diplomacy and statecraft|defence economics|political science|"
    "conflict resolution|nuclear policy"
)
POSITION_STYLES = (
    ("has taught {subject} at the {org} since {year}", "teaches {subject}"),
    ("has been a senior fellow at the {org} since {year}", "senior fellow"),
    ("has directed the {subject} programme at the {org} since {year}", "programme director"),
    ("has lectured in {subject} at the {org} since {year}", "lecturer in {subject}"),
    ("has held a research chair in {subject} at the {org} since {year}", "research chair"),
)
DEGREES = (("BA", "MA", "Ph.D."), ("BS", "MPhil", "Ph.D."), ("BA", "MSc", "DPhil"))
BOOK_WORDS_A = _split(
    "Iron|Paper|Distant|Fragile|Silent|Broken|Long|Hidden|Burning|Narrow|Cold|Open|Last|"
    "Quiet|Hollow"
)
BOOK_WORDS_B = _split(
    "Frontiers|Alliances|Shields|Ladders|Bargains|Harbours|Arsenals|Borders|Corridors|"
    "Horizons|Deterrents|Bridges|Ramparts|Signals"
)
BOOK_SUBTITLES = _split(
    "Deterrence and Its Discontents|Coercion in the Age of Precision Weapons|"
    "How Small States Survive Great-Power Rivalry|"
    "Sanctions, Blockades and the Economics of War|"
    "Escalation and Restraint in Modern Conflict|The Politics of Military Aid|"
    "Air Power and the Limits of Coercion|Maritime Strategy for a Crowded Century|"
    "Alliances under Strain|Intelligence, Surprise and Strategic Failure"
)
EDITORIAL_ROLES = (
    ("founder", "senior editor"),
    ("contributing editor",),
    ("co-founder", "managing editor"),
    ("editor at large",),
)

ACTOR_VERBS = _split(
    "has pressed for|is quietly weighing|has signalled support for|remains deeply wary of|"
    "has lobbied hard for|has publicly rejected|appears ready to accept|"
    "has long argued for|continues to push for|has refused to rule out|"
    "is preparing the ground for|has grown impatient with|has openly questioned|"
    "has tied further support to|is betting heavily on|has tried to slow down|"
    "has moved to block"
)
POLICY_ADJECTIVES = _split(
    "phased|limited|sweeping|conditional|temporary|permanent|coordinated|unilateral|"
    "negotiated|covert|expanded|renewed|reciprocal|open-ended|targeted|partial"
)
POLICY_NOUNS = _split(
    "withdrawal of heavy artillery|ceasefire|sanctions package|arms embargo|"
    "security guarantee|troop rotation|air-defence umbrella|grain corridor|"
    "prisoner exchange|naval blockade|intelligence-sharing arrangement|border demarcation|"
    "energy deal|training mission|reconstruction fund|maritime patrol|no-fly zone|"
    "mobilisation drive|peace conference|missile deployment|debt moratorium|"
    "weapons transfer"
)
POLICY_PHRASES = _split(
    "along the eastern frontier|in the disputed border districts|"
    "across the northern corridor|before the winter sets in|over the coming months|"
    "under international supervision|in exchange for sanctions relief|"
    "without consulting partners|despite objections from allies|"
    "as a hedge against escalation|at the next round of talks|in the coastal provinces|"
    "ahead of the spring campaign season|while the front remains fluid"
)
QUALIFIERS = (
    "",
    "",
    "",
    ", despite mounting domestic pressure",
    ", after months of hesitation",
    ", according to several officials",
    ", a shift few observers expected",
    ", at least for now",
    ", if only on paper",
    ", with little to show for it so far",
)
ROLE_TEMPLATES = _split(
    "party to the debate over {policy}|weighs {policy}|key voice on {policy}|"
    "central party to the dispute over {policy}|decision-maker on {policy}"
)

MILITARY_VERBS = _split(
    "has shifted reserves towards|has dug in around|has stepped up drone attacks near|"
    "has lost ground near|has reinforced its positions around|"
    "is short of artillery shells near|has launched probing attacks near|"
    "has rotated exhausted brigades out of"
)

MILITARY_EVENTS = (
    (
        "launched a wave of strikes on",
        ("fuel depots", "rail junctions", "air bases", "command posts", "ammunition stores"),
    ),
    ("held large-scale exercises with", ("armoured units", "naval forces", "airborne troops")),
    (
        "began a counter-offensive against",
        ("forward positions", "supply lines", "artillery batteries", "logistics hubs"),
    ),
    ("pulled back", ("two brigades", "its naval patrols", "its forward units")),
    ("shot down", ("a wave of attack drones", "two cruise missiles", "a reconnaissance aircraft")),
)
POLITICAL_EVENTS = (
    (
        "signed a framework agreement on",
        ("joint air defence", "arms production", "border security", "energy transit"),
    ),
    (
        "announced a new package of",
        ("military aid", "economic sanctions", "export controls", "loan guarantees"),
    ),
    (
        "opened talks on",
        ("a ceasefire", "prisoner exchanges", "grain shipments", "the return of deportees"),
    ),
    ("recalled", ("an ambassador", "a negotiating team", "an observer mission")),
    ("called for", ("an emergency summit", "a humanitarian pause", "new elections")),
)
MONTHS = _split(
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
SEASONS = (("early", 1, 4), ("late", 9, 12), ("mid-", 5, 8))

WEAPON_CLASSES = (
    ("ballistic missile", "short-range ballistic missile"),
    ("cruise missile", "long-range cruise missile"),
    ("air-defence system", "medium-range air-defence system"),
    ("main battle tank", "main battle tank"),
    ("multiple rocket launcher", "multiple rocket launcher"),
    ("loitering munition", "loitering munition"),
    ("fighter aircraft", "multirole fighter aircraft"),
    ("attack drone", "long-range attack drone"),
    ("self-propelled howitzer", "self-propelled howitzer"),
    ("anti-ship missile", "coastal anti-ship missile"),
    ("hypersonic missile", "intermediate-range hypersonic missile"),
)
RANGE_CLASSES = (
    "short-range (under 300 km)",
    "medium-range (300 to 1,000 km)",
    "intermediate-range (1,000 to 5,500 km)",
    "tactical (under 100 km)",
)
CAPABILITIES = (
    ("can strike targets up to {n} kilometres away", "a range of up to {n} km", (80, 2500)),
    ("carries a warhead of about {n} kilograms", "a warhead of about {n} kg", (90, 900)),
    (
        "can be fired from mobile launchers and reloaded in under {n} minutes",
        "fired from mobile launchers, reloaded in under {n} minutes",
        (5, 45),
    ),
    (
        "flies at speeds of more than Mach {n}",
        "flies faster than Mach {n}",
        (2, 11),
    ),
    (
        "can hug the terrain at altitudes as low as {n} metres",
        "terrain-following flight down to {n} m",
        (15, 90),
    ),
    (
        "can carry up to {n} independent re-entry vehicles",
        "up to {n} independent re-entry vehicles",
        (2, 9),
    ),
    (
        "is said to land within {n} metres of its aim point",
        "accuracy of about {n} m",
        (3, 60),
    ),
    (
        "can track up to {n} aircraft at once",
        "tracks up to {n} aircraft at once",
        (12, 160),
    ),
)
WEAPON_VERBS = _split(
    "has begun to field the|is pressing for more deliveries of the|"
    "has quietly received the first batch of the|is struggling to keep the|"
    "has promised to supply the|has moved additional batteries of the"
)
WEAPON_TAILS = _split(
    "to the front|into service this year|in working order|within range of the border|"
    "to forward bases|despite export restrictions"
)
PLACE_SENTENCES = _split(
    "Fighting around {place} has intensified{q}.|"
    "{place} has become a logistics hub for the whole front{q}.|"
    "The roads out of {place} are now within artillery range{q}.|"
    "Officials fear that {place} will be the next target{q}.|"
    "Much of {place} has been without power for weeks{q}.|"
    "The front line now runs a few kilometres from {place}{q}.|"
    "Refugees from {place} have crowded into the neighbouring towns{q}.|"
    "Control of {place} would open the way to the coast{q}."
)
PLACE_ROLES = _split(
    "scene of heavy fighting|logistics hub behind the front|town within artillery range|"
    "possible next target|area cut off from power|place near the front line|"
    "source of refugees|gateway to the coast"
)
PLACE_TYPES = (
    ("city", "{core}"),
    ("port city", "{core}"),
    ("region", "{core} Oblast"),
    ("province", "{core} Province"),
    ("river valley", "{core} Valley"),
    ("strait", "{core} Strait"),
    ("peninsula", "{core} Peninsula"),
)

HEDGES = (
    ("is almost certain to", "almost-certain"),
    ("will almost certainly", "almost-certain"),
    ("is very likely to", "very-likely"),
    ("is likely to", "likely"),
    ("will probably", "likely"),
    ("is as likely as not to", "roughly-even-chance"),
    ("is unlikely to", "unlikely"),
    ("is very unlikely to", "very-unlikely"),
    ("will almost certainly not", "almost-no-chance"),
    ("could", None),
    ("may", None),
    ("might yet", None),
    ("would", None),
)
SCENARIO_CONDITIONS = _split(
    "the talks stall again|sanctions are eased|Western aid dries up|"
    "the front line stabilises|energy prices keep rising|the winter proves harsh|"
    "a new government takes office|the air-defence shortage deepens|"
    "the grain corridor closes|mobilisation falls short of its targets|"
    "the ceasefire talks collapse|the border incidents continue"
)
SCENARIO_OUTCOMES = (
    ("seek a ceasefire along the current lines", "a ceasefire along the current lines"),
    ("expand the strikes deep into enemy territory", "strikes deep into enemy territory"),
    ("reopen talks on a prisoner exchange", "renewed talks on a prisoner exchange"),
    ("request additional air-defence systems", "requests for more air-defence systems"),
    ("announce a partial mobilisation", "a partial mobilisation"),
    ("pull back from the disputed districts", "a pullback from the disputed districts"),
    ("move to lift the sanctions", "moves to lift the sanctions"),
    ("deploy additional troops to the border", "more troops on the border"),
    ("break off diplomatic relations", "a break in diplomatic relations"),
    ("accept international monitors", "international monitors on the ground"),
)
TIMEFRAMES = _split(
    "before the end of the year|within the next six months|by next spring|"
    "once the new government takes office|over the winter|in the coming weeks|"
    "before the summit"
)
OPENERS = (
    ("In short,", "neutral"),
    ("Put simply,", "neutral"),
    ("On balance,", "mixed"),
    ("It seems clear that", "neutral"),
    ("There is little doubt that", "critical"),
    ("It would be a mistake to assume that", "sceptical"),
    ("The record so far suggests that", "neutral"),
    ("To be fair,", "supportive"),
    ("Few would dispute that", "supportive"),
    ("It is far from obvious that", "sceptical"),
)
JUDGEMENTS = {
    "supportive": (
        "has handled the crisis with unusual skill",
        "deserves more credit than is usually given",
        "has kept commitments when it mattered",
        "has shown real restraint under pressure",
    ),
    "critical": (
        "has badly misjudged the mood among partners",
        "has squandered an early advantage",
        "has made the escalation worse, not better",
        "has no coherent plan for what comes next",
    ),
    "sceptical": (
        "will get much out of the negotiations",
        "can sustain the current pace for long",
        "understands the risks involved",
        "has as much leverage as is claimed",
    ),
    "neutral": (
        "faces a difficult set of trade-offs",
        "is constrained more by politics than by capability",
        "is playing for time",
        "is watching the battlefield more than the talks",
    ),
    "mixed": (
        "has made real gains, but at a steep cost",
        "has won the argument at home but not abroad",
        "is stronger on paper than in the field",
        "has bought time without buying security",
    ),
}
JUDGEMENT_TAILS = (
    "",
    " in this war",
    " so far",
    " this year",
    " on the ground",
    " at the negotiating table",
    " in the eyes of the neighbours",
)
SPEECH_VERBS = _split("has argued|has warned|has insisted|has claimed|has suggested")
KEY_POINT_TEMPLATES = _split(
    "{a} and {b} are drifting apart over {noun}, and the gap is widening.|"
    "Pressure from {a} has pushed {b} towards {noun} sooner than expected.|"
    "{a} is counting on {noun} to change the balance against {b}.|"
    "The dispute between {a} and {b} over {noun} could reshape the region.|"
    "{a} faces a choice between {noun} and a longer war with {b}."
)
TOPIC_NOUNS = _split(
    "a negotiated settlement|long-range strikes|the future of the alliance|"
    "the supply of air defences|sanctions on energy exports|"
    "the status of the border districts|the next phase of the war|military aid|"
    "the freedom of navigation"
)
TITLE_TEMPLATES = _split(
    "{a}’s {thing} Decision: Escalation or Strategic Necessity?|"
    "Why {a} Is Losing Patience With {b}|Can {a} Hold {place}?|"
    "{a} and the Limits of {concept}|What the Fight for {place} Means for {a}|"
    "{a}, {b} and the Coming {concept} Crisis|The {place} Front: {concept} or Stalemate?|"
    "Is {a} Ready for a Long War With {b}?"
)
TITLE_THINGS = _split("Missile|Sanctions|Ceasefire|Mobilisation|Blockade|Aid|Border")
TITLE_CONCEPTS = _split(
    "Deterrence|Escalation|Coercion|Restraint|Alliance|Attrition|Diplomacy|Airpower"
)
SUBTITLE_TEMPLATES = _split(
    "The War Gets Hotter by the Week…or Peace?|What Comes Next|A Dangerous Winter Ahead|"
    "The View from the Capitals|Counting the Cost|No Easy Way Out"
)
FILLERS = _split(
    "Every escalation in this war has had a political purpose.|"
    "None of this is entirely new.|The numbers tell only part of the story.|"
    "Timing matters as much as substance here.|History offers few comforting precedents.|"
    "The costs of waiting are rising.|Both sides continue to suffer grievous harm.|"
    "The diplomatic calendar is unusually crowded.|"
    "Much depends on what happens over the winter.|"
    "There is nothing new under the sun, apart from the weapons.|"
    "Public opinion has been remarkably stable.|"
    "Logistics, not bravery, will decide the outcome."
)
ASIDES = _split(
    ", as one official put it|, by most accounts|, as things stand|, for better or worse|"
    ", in one form or another|, to put it mildly|, on current evidence|"
    ", for the time being|, whatever the official line|, as far as anyone can tell|"
    ", it seems|, once again"
)
RIGHTS = (
    "© the author and the original publisher. The snapshot is kept only to verify the quotes in "
    "this record and is not republished; short quotations are used for commentary and "
    "verification."
)
OPEN_NOTE = (
    "Open: not scored in this record; a later contribution can set the status with its source."
)

ORG_TYPES = (
    # (organization_type, name template, alias template or "", education/position use)
    ("university", "University of {core}", "{core} University", "academic"),
    (
        "graduate school of international affairs",
        "{core} School of International Affairs",
        "{core} School",
        "academic",
    ),
    ("think tank", "{core} Institute for Strategic Studies", "{core} Institute", "academic"),
    ("think tank", "{core} Centre for Security Policy", "", "academic"),
    ("political party", "{core} Party", "", "other"),
    ("defence company", "{core} Aerospace", "", "other"),
    ("foundation", "{core} Foundation", "", "other"),
    ("international organization", "{core} Commission", "", "other"),
)
ALLIANCE_TYPES = ("{core} Pact", "{core} Treaty Organization", "{core} Defence Community")
OUTLET_TYPES = (
    ("online magazine", "The {core} Review"),
    ("news site", "{core} Monitor"),
    ("journal", "{core} Quarterly"),
    ("blog", "{core} Dispatch"),
    ("weekly magazine", "The {core} Weekly"),
)
PERSON_ROLES = (
    ("president", "President"),
    ("prime minister", "Prime Minister"),
    ("defence minister", "Minister"),
    ("foreign minister", "Minister"),
    ("general", "General"),
    ("opposition leader", ""),
    ("envoy", "Ambassador"),
    ("senator", "Senator"),
)
STATE_SUFFIXES = (
    ("ia", "ian"),
    ("a", "an"),
    ("istan", "istani"),
    ("land", "lander"),
    ("ovia", "ovian"),
    ("eria", "erian"),
)

ONSETS = _split("b|br|d|dr|f|g|gr|h|k|kr|l|m|n|p|r|s|sk|st|t|tr|v|z|ch|sh|zh|j")
VOWELS = _split("a|e|i|o|u|a|e|o|ai|ei|ou")
CODAS = ["", "", "", "n", "r", "s", "l", "k", "v", "m", "nd", "rt", "sh", "st"]


def _vocabulary() -> set[str]:
    words: set[str] = set()

    def add(value: Any) -> None:
        if isinstance(value, str):
            words.update(w.lower() for w in re.findall(r"[A-Za-z]+", value))
        elif isinstance(value, dict):
            for item in value.values():
                add(item)
        elif isinstance(value, Iterable):
            for item in value:
                add(item)

    for name, value in globals().items():
        if name.isupper() and name not in ("ONSETS", "VOWELS", "CODAS"):
            add(value)
    add("About the Author Authors Dr He She received his her from in and the of is also a an")
    add("contributed to has written for This article first appeared Published Key Points")
    add("author books including most recently PhD MPhil DPhil MSc Mach km kg")
    return words


# --- helpers ----------------------------------------------------------------------------------

_TYPOGRAPHIC = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "\u00a0": " "}
)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """As toolkit.text.quotes.normalise: NFC, straight quotes, one space for any white space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_TYPOGRAPHIC))


def slugify(text: str, limit: int = 80) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or "record"


RESERVED = {
    "index",
    "search",
    "assets",
    "404",
    "sitemap",
    "api",
    "schema",
    "tags",
    "articles",
    "entities",
    "javascripts",
    "stylesheets",
    "con",
    "nul",
    "aux",
    "prn",
} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}


def _article_weight(rng: random.Random) -> float:
    return min(1.8, max(0.55, rng.lognormvariate(0.0, 0.28)))


def _a(word: str) -> str:
    return "an" if word[0] in "aeio" or word.startswith("und") else "a"


def _join(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


# --- entities ---------------------------------------------------------------------------------


@dataclass
class Entity:
    id: str
    kind: str
    name: str
    aliases: list[str]
    rank: int = 0
    #: kind-specific extras: adjective, state, org use, gender, role title, …
    extra: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    disambiguation: str | None = None
    wikidata: str | None = None


class Namer:
    """Invented words, each used by one entity only, and unique IDs, names and aliases."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken_words = _vocabulary() | {n.lower() for n in GIVEN_NAMES_F + GIVEN_NAMES_M}
        self.names: set[str] = set()
        self.ids: set[str] = set(RESERVED)
        self.codes: set[str] = set()

    def word(self, syllables: int | None = None) -> str:
        for _ in range(1000):
            count = syllables or self.rng.choice((2, 2, 2, 3))
            codas = CODAS if count == 2 else ("",)
            parts = [
                self.rng.choice(ONSETS) + self.rng.choice(VOWELS) + self.rng.choice(codas)
                for _ in range(count)
            ]
            word = "".join(parts)
            if not 4 <= len(word) <= 9 or word in self.taken_words:
                continue
            self.taken_words.add(word)
            return word.capitalize()
        raise RuntimeError("ran out of invented words")

    def reserve(self, word: str) -> bool:
        if word.lower() in self.taken_words:
            return False
        self.taken_words.add(word.lower())
        return True

    def claim(self, *names: str) -> bool:
        keys = [" ".join(unicodedata.normalize("NFKC", n).casefold().split()) for n in names]
        if len(set(keys)) != len(keys) or any(k in self.names for k in keys):
            return False
        self.names.update(keys)
        return True

    def new_id(self, text: str) -> str:
        candidate, n = slugify(text), 2
        while candidate in self.ids:
            suffix = f"-{n}"
            candidate = slugify(text, 80 - len(suffix)) + suffix
            n += 1
        self.ids.add(candidate)
        return candidate

    def code(self) -> str:
        for _ in range(1000):
            letters = "".join(self.rng.choice("ABCDEFGHKLMNPRSTVZ") for _ in range(2))
            code = f"{letters}-{self.rng.randint(2, 99)}"
            if code not in self.codes:
                self.codes.add(code)
                return code
        raise RuntimeError("ran out of weapon codes")

    def acronym(self, name: str) -> str | None:
        letters = "".join(w[0] for w in name.split() if w[0].isupper())
        if len(letters) < 3 or letters.lower() in self.taken_words:
            return None
        self.taken_words.add(letters.lower())
        return letters


def _kind_counts(pool: int) -> dict[str, int]:
    shares = {
        "person": 0.30,
        "state": 0.08,
        "government": 0.05,
        "armed-force": 0.05,
        "organization": 0.17,
        "alliance": 0.03,
        "weapon-system": 0.12,
        "place": 0.12,
        "outlet": 0.08,
    }
    counts = {kind: max(2, round(pool * share)) for kind, share in shares.items()}
    counts["government"] = min(counts["government"], counts["state"])
    counts["armed-force"] = min(counts["armed-force"], counts["state"])
    return counts


def _editorial(basis: str, note: str) -> dict[str, Any]:
    return {"basis": basis, "note": note}


def _text_fact(value: str, note: str, basis: str = "common-knowledge") -> dict[str, Any]:
    return {"editorial": _editorial(basis, note), "value": value}


def build_pool(rng: random.Random, namer: Namer, size: int) -> list[Entity]:
    counts = _kind_counts(size)
    pool: list[Entity] = []

    def add(kind: str, name: str, aliases: list[str], **extra: Any) -> Entity | None:
        aliases = [a for a in aliases if a]
        if not namer.claim(name, *aliases):
            return None
        entity = Entity(namer.new_id(name), kind, name, aliases, extra=dict(extra))
        pool.append(entity)
        return entity

    states: list[Entity] = []
    while len(states) < counts["state"]:
        core = namer.word()
        suffix, adjective_suffix = rng.choice(STATE_SUFFIXES)
        stem = core[:-1] if core[-1] in "aeiou" else core
        name, adjective = stem + suffix, stem + adjective_suffix
        if not (namer.reserve(name) and namer.reserve(adjective)):
            continue
        state = add("state", name, [f"Republic of {name}"], adjective=adjective)
        if state:
            state.description = (
                f"Invented state in the benchmark corpus; its people are {adjective}s."
            )
            state.facts["iso_code"] = _text_fact(
                (name[0] + name[-1]).upper(), f"Invented two-letter code of {name}."
            )
            states.append(state)

    for state in states[: counts["government"]]:
        adjective = state.extra["adjective"]
        gov = add("government", f"Government of {state.name}", [f"{adjective} government"])
        if gov:
            gov.extra["state"] = state.id
            gov.description = f"The national government of {state.name}."
            gov.facts["state"] = _text_fact(state.id, f"The national government of {state.name}.")
    for state in states[-counts["armed-force"] :]:
        adjective = state.extra["adjective"]
        force = add("armed-force", f"{adjective} Armed Forces", [f"Armed Forces of {state.name}"])
        if force:
            force.extra["state"] = state.id
            force.description = f"The military of {state.name}."
            force.facts["state"] = _text_fact(
                state.id, f"The national armed forces of {state.name}."
            )

    places: list[Entity] = []
    while len(places) < counts["place"]:
        core = namer.word()
        place_type, template = rng.choice(PLACE_TYPES)
        name = template.format(core=core)
        aliases = [f"{core} region"] if place_type in ("region", "province") else []
        place = add("place", name, aliases, place_type=place_type)
        if place:
            state = rng.choice(states)
            place.description = f"Invented {place_type} in {state.name}."
            place.facts["place_type"] = _text_fact(place_type, f"{name} is a {place_type}.")
            place.facts["located_in"] = _text_fact(state.id, f"{name} lies in {state.name}.")
            places.append(place)
    for state in states:
        cities = [
            p
            for p in places
            if p.facts["located_in"]["value"] == state.id and p.extra["place_type"] == "city"
        ]
        if cities:
            state.facts["capital"] = _text_fact(
                cities[0].id, f"{cities[0].name} is the capital of {state.name}."
            )

    count = 0
    while count < counts["person"]:
        female = rng.random() < 0.45
        given = rng.choice(GIVEN_NAMES_F if female else GIVEN_NAMES_M)
        surname = namer.word()
        analyst = count % 3 == 0
        role, title = ("analyst", "Dr.") if analyst else rng.choice(PERSON_ROLES)
        name = f"{given} {surname}"
        aliases = [f"{title} {surname}"] if title else []
        if rng.random() < 0.4:
            aliases.append(f"{given[0]}. {surname}")
        person = add(
            "person", name, aliases, female=female, surname=surname, role=role, analyst=analyst
        )
        if person is None:
            continue
        count += 1
        state = rng.choice(states)
        person.extra["state"] = state.id
        person.description = (
            f"Invented {state.extra['adjective']} {role} in the benchmark corpus."
            if not analyst
            else f"Invented scholar of {rng.choice(SUBJECTS)} who writes on military affairs."
        )
        person.facts["nationality"] = _text_fact(state.id, f"{name} is a citizen of {state.name}.")
        if not analyst:
            person.facts["occupation"] = _text_fact(role, f"{name} is known as a {role}.")

    count = 0
    while count < counts["organization"]:
        org_type, template, alias, use = ORG_TYPES[count % len(ORG_TYPES)]
        core = namer.word()
        name = template.format(core=core)
        aliases = [alias.format(core=core)] if alias else []
        acronym = namer.acronym(name) if rng.random() < 0.3 else None
        if acronym:
            aliases.append(acronym)
        org = add("organization", name, aliases, use=use, org_type=org_type)
        if org is None:
            continue
        count += 1
        state = rng.choice(states)
        org.description = f"Invented {org_type} based in {state.name}."
        org.facts["organization_type"] = _text_fact(org_type, f"{name} is a {org_type}.")
        org.facts["country"] = _text_fact(state.id, f"{name} is based in {state.name}.")

    count = 0
    while count < counts["alliance"]:
        name = rng.choice(ALLIANCE_TYPES).format(core=namer.word())
        acronym = namer.acronym(name)
        alliance = add("alliance", name, [acronym] if acronym else [])
        if alliance is None:
            continue
        count += 1
        year = rng.randint(1948, 2015)
        alliance.description = f"Invented military alliance founded in {year}."
        alliance.facts["founded"] = _text_fact(str(year), f"{name} was founded in {year}.")

    count = 0
    while count < counts["weapon-system"]:
        core = namer.word()
        code = namer.code()
        weapon_class, long_class = rng.choice(WEAPON_CLASSES)
        weapon = add("weapon-system", core, [code, f"{code} {core}"], weapon_class=long_class)
        if weapon is None:
            continue
        count += 1
        state = rng.choice(states)
        maker = namer.word()
        weapon.description = f"Invented {long_class} made in {state.name}."
        weapon.facts["weapon_class"] = _text_fact(weapon_class, f"The {core} is a {long_class}.")
        if "missile" in weapon_class:
            weapon.facts["range_class"] = _text_fact(
                rng.choice(RANGE_CLASSES), f"Published range figures for the {core}."
            )
        weapon.facts["origin_state"] = _text_fact(state.id, f"The {core} is made in {state.name}.")
        weapon.facts["manufacturer"] = _text_fact(
            f"{maker} Dynamics", f"The {core} is built by {maker} Dynamics."
        )

    count = 0
    while count < counts["outlet"]:
        outlet_type, template = rng.choice(OUTLET_TYPES)
        core = namer.word()
        name = template.format(core=core)
        outlet = add("outlet", name, [f"{core.lower()}.com"], outlet_type=outlet_type)
        if outlet is None:
            continue
        count += 1
        outlet.description = f"Invented {outlet_type} on defence and foreign policy."
        outlet.facts["outlet_type"] = _text_fact(outlet_type, f"{name} is a {outlet_type}.")
        outlet.facts["website"] = _text_fact(
            f"https://www.{core.lower()}.com/", "The outlet's home page."
        )

    for entity in pool:
        if rng.random() < 0.15:
            entity.wikidata = f"Q{rng.randint(100, 99_999_999)}"
    # Zipf ranks: a random order over the whole pool.
    order = list(range(len(pool)))
    rng.shuffle(order)
    for rank, index in enumerate(order, start=1):
        pool[index].rank = rank
    return pool


class ZipfPicker:
    """Weighted choice (1 / rank^s) among entities of a group."""

    def __init__(
        self, rng: random.Random, entities: list[Entity], exponent: float = ZIPF_EXPONENT
    ) -> None:
        self.rng = rng
        self.entities = sorted(entities, key=lambda e: e.rank)
        weights = [1.0 / (e.rank**exponent) for e in self.entities]
        self.cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def pick(self, count: int, exclude: Iterable[str] = ()) -> list[Entity]:
        chosen: dict[str, Entity] = {}
        skip = set(exclude)
        count = min(count, len(self.entities) - len(skip & {e.id for e in self.entities}))
        tries = 0
        while len(chosen) < count and tries < count * 50:
            tries += 1
            entity = self.rng.choices(self.entities, cum_weights=self.cumulative)[0]
            if entity.id not in skip and entity.id not in chosen:
                chosen[entity.id] = entity
        return list(chosen.values())


# --- article plans ----------------------------------------------------------------------------


@dataclass
class Profile:
    """An author's bio, the same in every article they write."""

    person: Entity
    honorific: str | None
    position: tuple[str, str, Entity, int]  # (sentence part, role, organization, since)
    education: list[tuple[str, Entity, int]]
    books: list[tuple[str, str | None, str, int]]
    outlets: list[Entity]
    editorial: tuple[tuple[str, ...], Entity] | None
    first_article: str | None = None


@dataclass
class Plan:
    weight: float
    authors: list[Entity]
    publisher: Entity
    actors: list[Entity]
    weapons: list[Entity]
    places: list[Entity]
    id: str = ""


class Planner:
    def __init__(
        self, rng: random.Random, namer: Namer, pool: list[Entity], zipf: float = ZIPF_EXPONENT
    ) -> None:
        self.rng = rng
        self.namer = namer
        self.pool = pool
        self.by_id = {e.id: e for e in pool}
        by_kind: dict[str, list[Entity]] = {}
        for entity in pool:
            by_kind.setdefault(entity.kind, []).append(entity)
        self.by_kind = by_kind
        persons = by_kind["person"]
        orgs = by_kind["organization"]
        self.pick = {kind: ZipfPicker(rng, members, zipf) for kind, members in by_kind.items()}
        self.figures = ZipfPicker(rng, [p for p in persons if not p.extra["analyst"]], zipf)
        self.analysts = ZipfPicker(rng, [p for p in persons if p.extra["analyst"]], zipf)
        self.academic = ZipfPicker(rng, [o for o in orgs if o.extra["use"] == "academic"], zipf)
        self.universities = ZipfPicker(
            rng, [o for o in orgs if o.extra["org_type"] == "university"] or orgs, zipf
        )
        self.profiles: dict[str, Profile] = {}

    def profile(self, person: Entity) -> Profile:
        if person.id in self.profiles:
            return self.profiles[person.id]
        rng = self.rng
        phd = rng.random() < 0.75
        degrees = rng.choice(DEGREES)
        first_year = rng.randint(1975, 2008)
        education = [(degrees[0], self.universities.pick(1)[0], first_year)]
        if phd:
            education.append(
                (degrees[2], self.universities.pick(1)[0], first_year + rng.randint(4, 9))
            )
        elif rng.random() < 0.5:
            education.append(
                (degrees[1], self.universities.pick(1)[0], first_year + rng.randint(1, 4))
            )
        style, role = rng.choice(POSITION_STYLES)
        subject = rng.choice(SUBJECTS)
        org = self.academic.pick(1)[0]
        since = min(2024, education[-1][2] + rng.randint(1, 12))
        position = (
            style.format(subject=subject, org=org.name, year=since),
            role.format(subject=subject),
            org,
            since,
        )
        books = []
        year = education[-1][2]
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
            year = min(2024, year + rng.randint(2, 6))
            title = f"{rng.choice(BOOK_WORDS_A)} {rng.choice(BOOK_WORDS_B)}"
            subtitle = rng.choice(BOOK_SUBTITLES) if rng.random() < 0.7 else None
            press = f"{rng.choice(('University Press of', 'Press of'))} {self.namer.word()}"
            books.append((title, subtitle, press, year))
        outlets = self.pick["outlet"].pick(rng.choice((1, 2, 2, 3, 3, 4)))
        editorial = None
        if rng.random() < 0.35:
            editorial = (rng.choice(EDITORIAL_ROLES), self.pick["outlet"].pick(1)[0])
        profile = Profile(
            person,
            "Dr." if phd else None,
            position,
            education,
            books,
            outlets,
            editorial,
        )
        self.profiles[person.id] = profile
        return profile

    def actor(self, exclude: set[str]) -> Entity | None:
        kind = self.rng.choices(
            ("person", "state", "government", "armed-force", "organization", "alliance"),
            weights=(0.34, 0.26, 0.12, 0.1, 0.1, 0.08),
        )[0]
        picker = self.figures if kind == "person" else self.pick[kind]
        found = picker.pick(1, exclude)
        return found[0] if found else None

    def plan(self) -> Plan:
        rng = self.rng
        weight = _article_weight(rng)
        authors = self.analysts.pick(2 if rng.random() < 0.1 else 1)
        for author in authors:
            self.profile(author)
        publisher = self.pick["outlet"].pick(1)[0]
        taken = {a.id for a in authors}
        actors: list[Entity] = []
        for _ in range(max(3, round(8.5 * weight))):
            actor = self.actor(taken)
            if actor:
                actors.append(actor)
                taken.add(actor.id)
        weapons = self.pick["weapon-system"].pick(min(8, round(2.4 * weight)))
        places = self.pick["place"].pick(max(1, min(10, round(3.2 * weight))))
        plan = Plan(weight, authors, publisher, actors, weapons, places)
        self.couple(plan)
        return plan

    def couple(self, plan: Plan) -> None:
        """Names like "Government of X" name the state X too: reference it as well."""
        ids = {a.id for a in plan.actors}
        for actor in list(plan.actors):
            state = (
                actor.extra.get("state") if actor.kind in ("government", "armed-force") else None
            )
            if state and state not in ids:
                plan.actors.append(self.by_id[state])
                ids.add(state)

    def referenced(self, plans: list[Plan]) -> set[str]:
        used: set[str] = set()
        for plan in plans:
            used.update(e.id for e in (*plan.authors, plan.publisher, *plan.actors))
            used.update(e.id for e in (*plan.weapons, *plan.places))
            for author in plan.authors:
                profile = self.profiles[author.id]
                used.add(profile.position[2].id)
                used.update(e.id for _, e, _ in profile.education)
                used.update(e.id for e in profile.outlets)
                if profile.editorial:
                    used.add(profile.editorial[1].id)
        return used

    def patch(self, plans: list[Plan]) -> None:
        """Give every entity nobody picked one article that references it."""
        used = self.referenced(plans)
        for entity in self.pool:
            if entity.id in used:
                continue
            plan = plans[self.rng.randrange(len(plans))]
            if entity.kind == "weapon-system":
                plan.weapons.append(entity)
            elif entity.kind == "place":
                plan.places.append(entity)
            elif entity.kind == "outlet":
                self.profiles[plan.authors[0].id].outlets.append(entity)
            elif entity.id not in {a.id for a in plan.authors}:
                plan.actors.append(entity)
                self.couple(plan)
            used.add(entity.id)


# --- article text and record ------------------------------------------------------------------


class Snapshot:
    """The source text being written, with checks that keep every quote unique."""

    def __init__(self) -> None:
        self.sentences: list[str] = []
        self.normalised: list[str] = []
        self.anchors: list[tuple[dict[str, str], str]] = []

    def fits(self, sentence: str) -> bool:
        norm = normalise(sentence)
        return all(norm not in other and other not in norm for other in self.normalised)

    def claim(self, sentence: str) -> None:
        self.sentences.append(sentence)
        self.normalised.append(normalise(sentence))

    def anchor(self, quote: str, sentence: str) -> dict[str, str]:
        """An evidence anchor quoting part of `sentence` (the whole sentence if ambiguous)."""
        anchor = {"quote": quote}
        self.anchors.append((anchor, sentence))
        return anchor

    def finish(self, text: str) -> None:
        norm = normalise(text)
        for anchor, sentence in self.anchors:
            if not _unique(norm, normalise(anchor["quote"]).strip()):
                anchor["quote"] = sentence
                if not _unique(norm, normalise(sentence).strip()):
                    raise RuntimeError(f"quote not unique in its snapshot: {sentence!r}")


def _unique(text: str, needle: str) -> bool:
    first = text.find(needle)
    return first != -1 and text.find(needle, first + 1) == -1


class ArticleWriter:
    def __init__(
        self, rng: random.Random, plan: Plan, planner: Planner, published: dt.date
    ) -> None:
        self.rng = rng
        self.plan = plan
        self.planner = planner
        self.published_date = published
        self.id = ""  # from the title, once there is one
        #: per author: (name with honorific, bio sentences, degree phrases)
        self.bio_sentences: dict[str, tuple[str, list[str], list[str]]] = {}
        self.snap = Snapshot()
        self.local_ids: set[str] = set()

    # sentences ---------------------------------------------------------------------------
    def sentence(self, make: Any, tries: int = 40) -> Any:
        """Call `make()` → (sentence, *payload) until the sentence is new to this snapshot;
        the payload holds parts of the sentence (never all of it)."""
        for attempt in range(tries * 2):
            sentence, *payload = make()
            if attempt >= tries:  # the same words again: say it a little differently
                sentence = sentence[:-1] + self.rng.choice(ASIDES) + sentence[-1]
            if self.snap.fits(sentence):
                self.snap.claim(sentence)
                return (sentence, *payload)
        raise RuntimeError(f"could not write a new sentence like {sentence!r}")

    def local_id(self, text: str) -> str:
        base = slugify(text, 60)
        candidate, n = base, 2
        while candidate in self.local_ids:
            candidate = f"{base}-{n}"
            n += 1
        self.local_ids.add(candidate)
        return candidate

    def name(self, entity: Entity) -> str:
        """How the text names an entity: mostly the name, sometimes an alias."""
        aliases = [a for a in entity.aliases if not a.endswith(".com") and len(a) > 3]
        if entity.kind == "weapon-system":
            return f"the {entity.name}" if self.rng.random() < 0.7 else entity.aliases[0]
        named = self.rng.choice(aliases) if aliases and self.rng.random() < 0.2 else entity.name
        if named.startswith(("Republic of", "Armed Forces of")) or (
            entity.kind in ("organization", "alliance", "armed-force", "government", "outlet")
            and not named.startswith("The")
            and not named.isupper()
        ):
            return f"the {named}"
        return named

    @staticmethod
    def cap(text: str) -> str:
        return text[0].upper() + text[1:]

    def policy(self) -> tuple[str, str, str]:
        return (
            self.rng.choice(POLICY_ADJECTIVES),
            self.rng.choice(POLICY_NOUNS),
            self.rng.choice(POLICY_PHRASES),
        )

    def actor_sentence(self, entity: Entity) -> tuple[str, str, str]:
        rng = self.rng

        def make() -> tuple[str, str, str]:
            subject = self.name(entity)
            if entity.kind == "armed-force" and self.plan.places and rng.random() < 0.5:
                place = rng.choice(self.plan.places)
                clause = f"{subject} {rng.choice(MILITARY_VERBS)} {place.name}"
                role = f"fighting near {place.name}"
                return self.cap(clause) + f"{rng.choice(QUALIFIERS)}.", self.cap(clause), role
            adj, noun, phrase = self.policy()
            policy = f"{_a(adj)} {adj} {noun}"
            clause = f"{subject} {rng.choice(ACTOR_VERBS)} {policy}"
            sentence = f"{clause} {phrase}{rng.choice(QUALIFIERS)}."
            role = rng.choice(ROLE_TEMPLATES).format(policy=policy)
            return self.cap(sentence), self.cap(clause), role

        return self.sentence(make)  # type: ignore[no-any-return]

    # sections ----------------------------------------------------------------------------
    def write(self) -> tuple[dict[str, Any], str]:
        rng, plan = self.rng, self.plan
        body: list[str] = []  # sentences of the article body, in order of writing
        mentioned = list(plan.actors)
        states = [a for a in plan.actors if a.kind == "state"]
        a = plan.actors[0]
        b = plan.actors[1] if len(plan.actors) > 1 else plan.actors[0]
        place = plan.places[0] if plan.places else None
        title = ""
        while not title or not self.snap.fits(title):
            template = rng.choice(TITLE_TEMPLATES)
            if "{place}" in template and place is None:
                continue
            title = template.format(
                a=a.name,
                b=b.name,
                place=place.name if place else "",
                thing=rng.choice(TITLE_THINGS),
                concept=rng.choice(TITLE_CONCEPTS),
            )
        self.snap.claim(title)
        self.id = self.planner.namer.new_id(title)
        subtitle = rng.choice(SUBTITLE_TEMPLATES)
        while not self.snap.fits(subtitle):
            subtitle += " Again"
        self.snap.claim(subtitle)

        key_points = [self.key_point(mentioned) for _ in range(rng.randint(3, 5))]
        actors = [self.actor(entity, body) for entity in plan.actors]
        weapons = [self.weapon(entity, body) for entity in plan.weapons]
        places = [self.place(entity, body) for entity in plan.places]
        places += [self.state_place(entity, body) for entity in states[: rng.randint(0, 2)]]
        events = [self.event(body) for _ in range(max(2, min(12, round(5 * plan.weight))))]
        scenarios = [self.scenario(body) for _ in range(max(1, min(10, round(3.5 * plan.weight))))]
        assessments = [
            self.assessment(body) for _ in range(max(2, min(20, round(8.5 * plan.weight))))
        ]
        for _ in range(rng.randint(2, 5)):
            filler = rng.choice(FILLERS)
            if self.snap.fits(filler):
                self.snap.claim(filler)
                body.append(filler)

        published, dateline = self.published()
        publisher, credit = self.publisher()
        bios = [self.bio(author) for author in plan.authors]

        # Assemble the snapshot: key points, title, body paragraphs, subtitle, more, bio.
        rng.shuffle(body)
        paragraphs = []
        index = 0
        while index < len(body):
            size = rng.randint(3, 6)
            paragraphs.append(" ".join(body[index : index + size]))
            index += size
        middle = max(1, len(paragraphs) * 2 // 3)
        lines = ["Key Points: " + key_points[0][0]] + ["-" + k[0] for k in key_points[1:]]
        lines.append(title)
        if dateline:
            lines.append(dateline)
        lines += [*paragraphs[:middle], subtitle, *paragraphs[middle:]]
        for heading, text in bios:
            lines += [heading, text]
        if credit:
            lines.append(credit)
        text = "\n".join(lines) + "\n"
        authors = [self.author_record(author) for author in plan.authors]
        self.snap.finish(text)
        record: dict[str, Any] = {
            "$schema": ARTICLE_SCHEMA,
            "id": self.id,
            "schema_version": SCHEMA_VERSION,
            "source": {
                "title": title,
                "subtitles": [subtitle],
                "publisher": publisher,
                "url": f"https://www.{plan.publisher.aliases[0]}/"
                f"{published['value'][:4]}/{self.id}/"
                if rng.random() < 0.8
                else None,
                "published": published,
                "language": "en",
                "rights": RIGHTS,
            },
            "authors": authors,
            "key_points": [k[1] for k in key_points],
            "actors": actors,
            "weapon_systems": weapons,
            "places": places,
            "events": events,
            "scenarios": scenarios,
            "assessments": assessments,
        }
        return _prune(record), text

    def key_point(self, mentioned: list[Entity]) -> tuple[str, dict[str, Any]]:
        rng = self.rng

        def make() -> tuple[str, list[Entity]]:
            a, b = rng.sample(mentioned, 2) if len(mentioned) > 1 else (mentioned[0],) * 2
            sentence = rng.choice(KEY_POINT_TEMPLATES).format(
                a=self.name(a), b=self.name(b), noun=rng.choice(TOPIC_NOUNS)
            )
            return self.cap(sentence), [a, b]

        sentence, entities = self.sentence(make)
        ids = list(dict.fromkeys(e.id for e in entities))
        return sentence, {
            "evidence": [self.snap.anchor(sentence, sentence)],
            "voice": "author",
            "text": sentence,
            "mentions": ids,
        }

    def actor(self, entity: Entity, body: list[str]) -> dict[str, Any]:
        rng = self.rng
        evidence, roles = [], []
        label = identification = None
        if entity.kind in ("government", "armed-force") and rng.random() < 0.25:
            state = self.planner.by_id[entity.extra["state"]]
            label = f"{state.extra['adjective']} " + (
                "authorities" if entity.kind == "government" else "forces"
            )
            identification = _editorial(
                "inferred-from-source",
                f"The article speaks of the '{label}', i.e. the {entity.name}.",
            )

            def make() -> tuple[str, str, str]:
                adj, noun, phrase = self.policy()
                policy = f"{_a(adj)} {adj} {noun}"
                clause = f"The {label} {rng.choice(ACTOR_VERBS)} {policy}"
                return (
                    f"{clause} {phrase}.",
                    clause,
                    rng.choice(ROLE_TEMPLATES).format(policy=policy),
                )

            sentence, clause, role = self.sentence(make)
            body.append(sentence)
            evidence.append(self.snap.anchor(clause, sentence))
            roles.append(role)
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            sentence, clause, role = self.actor_sentence(entity)
            body.append(sentence)
            quote = clause if rng.random() < 0.6 else sentence
            evidence.append(self.snap.anchor(quote, sentence))
            roles.append(role)
        mention: dict[str, Any] = {
            "evidence": evidence,
            "entity": entity.id,
            "role": "; ".join(dict.fromkeys(roles[:2])),
        }
        if label:
            mention["label_in_source"] = label
            mention["identification"] = identification
        return mention

    def weapon(self, entity: Entity, body: list[str]) -> dict[str, Any]:
        rng = self.rng
        holder = rng.choice(self.plan.actors)
        unnamed = rng.random() < 0.15
        label = f"a new {entity.extra['weapon_class']}" if unnamed else None

        def make() -> tuple[str, str, str]:
            verb = rng.choice(WEAPON_VERBS)
            target = label if unnamed else self.name(entity).removeprefix("the ")
            if unnamed:
                verb = verb.removesuffix(" the")
            clause = f"{self.name(holder)} {verb} {target}"
            return self.cap(f"{clause} {rng.choice(WEAPON_TAILS)}."), self.cap(clause), verb

        sentence, clause, _ = self.sentence(make)
        body.append(sentence)
        evidence = [self.snap.anchor(clause, sentence)]
        capabilities = []
        for template, text, (low, high) in rng.sample(CAPABILITIES, rng.randint(1, 3)):
            n = rng.randint(low, high)
            phrase = template.format(n=n)

            def make_cap(phrase: str = phrase) -> tuple[str, str]:
                subject = "The new weapon" if unnamed else self.cap(self.name(entity))
                return f"{subject} {phrase}{rng.choice(QUALIFIERS)}.", phrase

            cap_sentence, _ = self.sentence(make_cap)
            body.append(cap_sentence)
            anchor = self.snap.anchor(phrase, cap_sentence)
            evidence.append(self.snap.anchor(cap_sentence, cap_sentence))
            capabilities.append({"evidence": [anchor], "text": text.format(n=n)})
        mention: dict[str, Any] = {
            "evidence": evidence,
            "entity": entity.id,
            "role": f"{entity.extra['weapon_class']} fielded or sought by {holder.name}",
        }
        if unnamed:
            mention["label_in_source"] = label
            mention["identification"] = _editorial(
                "external-source",
                f"The article leaves the weapon unnamed; its description matches the {entity.name} "
                f"({entity.aliases[0]}).",
            )
        mention["stated_capabilities"] = capabilities
        return mention

    def place(self, entity: Entity, body: list[str]) -> dict[str, Any]:
        rng = self.rng
        evidence, roles = [], []
        for index in rng.sample(range(len(PLACE_SENTENCES)), rng.choice((1, 1, 2))):
            template = PLACE_SENTENCES[index]

            def make(template: str = template) -> tuple[str, None]:
                return template.format(place=entity.name, q=rng.choice(QUALIFIERS)), None

            sentence, _ = self.sentence(make)
            body.append(sentence)
            evidence.append(self.snap.anchor(sentence.split(",")[0].rstrip("."), sentence))
            roles.append(PLACE_ROLES[index])
        return {"evidence": evidence, "entity": entity.id, "role": "; ".join(roles)}

    def state_place(self, entity: Entity, body: list[str]) -> dict[str, Any]:
        def make() -> tuple[str, None]:
            return (
                f"Strikes deep inside {entity.name} {self.rng.choice(('are', 'remain', 'will stay'))} "
                f"{self.rng.choice(('politically sensitive', 'rare', 'a red line for some', 'contested'))}"
                f"{self.rng.choice(QUALIFIERS)}.",
                None,
            )

        sentence, _ = self.sentence(make)
        body.append(sentence)
        return {
            "evidence": [self.snap.anchor(sentence, sentence)],
            "entity": entity.id,
            "role": "territory that strikes may now reach",
        }

    def _event_date(self) -> tuple[str, str, str]:
        """(value, phrase in the text, precision)."""
        rng = self.rng
        published = self.published_date
        days_back = rng.randint(3, 700)
        date = dt.date.fromordinal(published.toordinal() - days_back)
        self._event_month = f"{date.year}-{date.month:02d}"
        precision = rng.choice(("day", "month", "month", "season", "year"))
        month = MONTHS[date.month - 1]
        if precision == "day":
            return date.isoformat(), f"On {date.day} {month} {date.year}", precision
        if precision == "month":
            return f"{date.year}-{date.month:02d}", f"In {month} {date.year}", precision
        if precision == "season":
            for word, low, high in SEASONS:
                if low <= date.month <= high:
                    return (
                        f"{date.year}",
                        f"In {word}{'' if word.endswith('-') else ' '}{date.year}",
                        precision,
                    )
        return (
            f"{date.year}",
            f"Earlier in {date.year}"
            if date.year == published.year
            else f"Some time in {date.year}",
            "year",
        )

    def event(self, body: list[str]) -> dict[str, Any]:
        rng, plan = self.rng, self.plan
        actor = rng.choice(plan.actors)
        place = rng.choice(plan.places) if plan.places and rng.random() < 0.7 else None
        weapon = rng.choice(plan.weapons) if plan.weapons and rng.random() < 0.35 else None
        value, phrase, precision = self._event_date()

        def make() -> tuple[str, tuple[str, str]]:
            military = actor.kind in ("armed-force", "state") and rng.random() < 0.7
            verb, objects = rng.choice(MILITARY_EVENTS if military else POLITICAL_EVENTS)
            obj = rng.choice(objects)
            where = f" near {place.name}" if place else ""
            using = f" using {self.name(weapon)}" if weapon else ""
            sentence = f"{phrase}, {self.name(actor)} {verb} {obj}{where}{using}."
            return sentence, (verb, obj)

        sentence, (verb, obj) = self.sentence(make)
        body.append(sentence)
        date: dict[str, Any]
        if precision == "day" or rng.random() < 0.5:
            date = {"evidence": [self.snap.anchor(phrase, sentence)], "value": value}
            if precision in ("season", "year"):
                date["label_in_source"] = phrase
        else:
            precise = precision in ("season", "year")
            date = {
                "editorial": _editorial(
                    "external-source",
                    f"The article says '{phrase}'; "
                    + (
                        "contemporary reports give the month."
                        if precise
                        else "the date is that of contemporary reports."
                    ),
                ),
                "value": self._event_month if precise else value,
                "label_in_source": phrase,
            }
        description = f"{actor.name} {verb} {obj}" + (f" near {place.name}" if place else "")
        return {
            "evidence": [self.snap.anchor(sentence, sentence)],
            "id": self.local_id(f"{actor.name} {obj}"),
            "date": date,
            "description": description + ".",
            "actors": [actor.id],
            "places": [place.id] if place else [],
            "weapon_systems": [weapon.id] if weapon else [],
        }

    def scenario(self, body: list[str]) -> dict[str, Any]:
        rng, plan = self.rng, self.plan

        def make() -> tuple[str, tuple[Any, ...]]:
            actor = rng.choice(plan.actors)
            hedge, estimate = rng.choice(HEDGES)
            condition = rng.choice(SCENARIO_CONDITIONS) if rng.random() < 0.75 else None
            outcome_vp, outcome = rng.choice(SCENARIO_OUTCOMES)
            timeframe = rng.choice(TIMEFRAMES) if rng.random() < 0.7 else None
            core = f"{self.name(actor)} {hedge} {outcome_vp}" + (
                f" {timeframe}" if timeframe else ""
            )
            sentence = f"If {condition}, {core}." if condition else self.cap(core) + "."
            return sentence, (core, actor, hedge, estimate, condition, outcome, timeframe)

        sentence, (core, actor, hedge, estimate, condition, outcome, timeframe) = self.sentence(
            make
        )
        body.append(sentence)
        attributed = rng.random() < 0.15 and len(plan.actors) > 1
        scenario: dict[str, Any] = {
            "evidence": [self.snap.anchor(sentence, sentence)],
            "voice": "author",
        }
        if attributed:
            speaker = rng.choice([a for a in plan.actors if a.id != actor.id])

            def make_attr() -> tuple[str, None]:
                return (
                    f"{self.cap(self.name(speaker))} {rng.choice(SPEECH_VERBS)} that "
                    f"{core.replace(hedge, 'will', 1) if estimate is None else core}"
                    f"{rng.choice(QUALIFIERS)}.",
                    None,
                )

            quote_sentence, _ = self.sentence(make_attr)
            body.append(quote_sentence)
            scenario = {
                "evidence": [self.snap.anchor(quote_sentence, quote_sentence)],
                "voice": "attributed",
                "attributed_to": speaker.id,
            }
        title = f"{actor.name}: {outcome}" + (f" {timeframe}" if timeframe else "")
        scenario.update(
            {
                "id": self.local_id(f"{actor.name} {outcome}"),
                "title": title,
                "conditions": [condition] if condition else [],
                "outcomes": [outcome],
                "actors": [actor.id],
                "timeframe": timeframe,
                "likelihood": {"wording": hedge, "estimate": estimate}
                if rng.random() < 0.9
                else {"wording": None, "estimate": None},
            }
        )
        if rng.random() < 0.85:
            scenario["resolution"] = {"status": "open", "note": OPEN_NOTE}
        else:
            status = rng.choice(("happened", "did-not-happen"))
            scenario["resolution"] = {
                "editorial": _editorial(
                    "external-source",
                    f"Later reporting settled it: the scenario {status.replace('-', ' ')}.",
                ),
                "status": status,
            }
        return scenario

    def assessment(self, body: list[str]) -> dict[str, Any]:
        rng, plan = self.rng, self.plan
        subjects = rng.sample(plan.actors, min(len(plan.actors), rng.choice((1, 1, 2))))
        attributed = rng.random() < 0.2 and len(plan.actors) > len(subjects)
        speaker = rng.choice([a for a in plan.actors if a not in subjects]) if attributed else None

        def make() -> tuple[str, tuple[str, str]]:
            opener, stance = rng.choice(OPENERS)
            judgement = rng.choice(JUDGEMENTS[stance]) + rng.choice(JUDGEMENT_TAILS)
            names = self.name(subjects[0])
            if len(subjects) > 1:
                names += f", like {self.name(subjects[1])},"
            if speaker is not None:
                sentence = (
                    f"{self.cap(self.name(speaker))} {rng.choice(SPEECH_VERBS)} that {names} "
                    f"{judgement}."
                )
            elif opener.endswith(","):
                sentence = f"{opener} {names} {judgement}."
            else:
                sentence = f"{opener} {names} {judgement}."
            return sentence, (stance, judgement)

        sentence, (stance, judgement) = self.sentence(make)
        body.append(sentence)
        text = subjects[0].name + (f", like {subjects[1].name}," if len(subjects) > 1 else "")
        text += f" {judgement}."
        result: dict[str, Any] = {
            "evidence": [self.snap.anchor(sentence, sentence)],
            "voice": "attributed" if speaker else "author",
        }
        if speaker:
            result["attributed_to"] = speaker.id
        result.update(
            {
                "id": self.local_id(f"{subjects[0].name} {judgement}"),
                "text": self.cap(text),
                "subjects": [s.id for s in subjects],
                "stance": stance,
            }
        )
        return result

    def published(self) -> tuple[dict[str, Any], str | None]:
        date = self.published_date
        value = date.isoformat()
        if self.rng.random() < 0.6:
            dateline = f"Published {date.day} {MONTHS[date.month - 1]} {date.year}"
            self.snap.claim(dateline)
            return {"evidence": [self.snap.anchor(dateline, dateline)], "value": value}, dateline
        value = value[:7] if self.rng.random() < 0.5 else value
        return {
            "editorial": _editorial(
                "external-source", "The snapshot gives no date; the publisher's page does."
            ),
            "value": value,
        }, None

    def publisher(self) -> tuple[dict[str, Any], str | None]:
        outlet = self.plan.publisher
        if self.rng.random() < 0.5:
            credit = f"This article first appeared in {outlet.name}."
            if self.snap.fits(credit):
                self.snap.claim(credit)
                return {"evidence": [self.snap.anchor(credit, credit)], "entity": outlet.id}, credit
        return {
            "editorial": _editorial(
                "external-source",
                f"The snapshot does not name its publisher; the article first ran in {outlet.name}.",
            ),
            "entity": outlet.id,
        }, None

    def bio(self, person: Entity) -> tuple[str, str]:
        profile = self.planner.profiles[person.id]
        if profile.first_article is None:
            profile.first_article = self.id
        title = f"{profile.honorific} {person.name}" if profile.honorific else person.name
        heading = f"About the Author: {title}"
        self.snap.claim(heading)
        pronoun = "She" if person.extra["female"] else "He"
        surname = f"{profile.honorific or ''} {person.extra['surname']}".strip()
        sentences = [f"{title} {profile.position[0]}."]
        degrees = [
            f"{'her' if person.extra['female'] else 'his'} {degree} from the {org.name} in {year}"
            for degree, org, year in profile.education
        ]
        sentences.append(f"{pronoun} received {_join(degrees)}.")
        if profile.books:
            books = [f"{t}{': ' + s if s else ''} ({p}, {y})" for t, s, p, y in profile.books]
            if len(books) > 1:
                books[-1] = "most recently " + books[-1]
            sentences.append(f"{surname} is the author of {_join(books)}.")
        outlets = [o.name for o in profile.outlets]
        sentences.append(f"{pronoun} has contributed to {_join(outlets)}.")
        if profile.editorial:
            roles, outlet = profile.editorial
            sentences.append(f"{surname} is also {_join(list(roles))} of {outlet.name}.")
        for index, sentence in enumerate(sentences):
            if not self.snap.fits(sentence) and sentence.startswith(pronoun):
                # Co-authors can share a sentence ("He has contributed to X."): name them.
                sentence = sentences[index] = surname + sentence[len(pronoun) :]
            if not self.snap.fits(sentence):
                raise RuntimeError(f"bio sentence clashes with the article: {sentence!r}")
            self.snap.claim(sentence)
        self.bio_sentences[person.id] = (title, sentences, degrees)
        return heading, " ".join(sentences)

    def author_record(self, person: Entity) -> dict[str, Any]:
        profile = self.planner.profiles[person.id]
        title, sentences, degrees = self.bio_sentences[person.id]
        snap = self.snap
        heading = f"About the Author: {title}"
        bio: dict[str, Any] = {}
        if profile.honorific:
            bio["honorific"] = profile.honorific
            bio["honorific_evidence"] = [snap.anchor(heading, heading)]
        _, role, org, since = profile.position
        bio["positions"] = [
            {
                "evidence": [snap.anchor(sentences[0], sentences[0])],
                "role": role,
                "organization": org.id,
                "since": since,
            }
        ]
        bio["education"] = [
            {
                "evidence": [snap.anchor(text, sentences[1])],
                "degree": degree,
                "institution": institution.id,
                "year": year,
            }
            for text, (degree, institution, year) in zip(degrees, profile.education, strict=True)
        ]
        books = []
        for title_text, subtitle, press, year in profile.books:
            quote = f"{title_text}{': ' + subtitle if subtitle else ''} ({press}, {year})"
            book: dict[str, Any] = {
                "evidence": [snap.anchor(quote, sentences[2])],
                "title": title_text,
            }
            if subtitle:
                book["subtitle"] = subtitle
            book.update({"publisher": press, "year": year})
            books.append(book)
        bio["books"] = books
        outlet_sentence = next(s for s in sentences if " has contributed to " in s)
        bio["outlets"] = [
            {"evidence": [snap.anchor(o.name, outlet_sentence)], "outlet": o.id}
            for o in profile.outlets
        ]
        if profile.editorial:
            roles, outlet = profile.editorial
            bio["editorial_roles"] = [
                {
                    "evidence": [snap.anchor(sentences[-1], sentences[-1])],
                    "roles": list(roles),
                    "outlet": outlet.id,
                }
            ]
        return {"person": person.id, "bio": bio}


def _prune(value: Any) -> Any:
    """Drop empty lists and None values, except where null means something (kept by key)."""
    keep_null = {"url", "published", "publisher", "wording", "estimate"}
    if isinstance(value, dict):
        return {
            k: _prune(v)
            for k, v in value.items()
            if not (v is None and k not in keep_null) and not (isinstance(v, list) and not v)
        }
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


# --- entity records ---------------------------------------------------------------------------

FACT_ORDER = {
    "person": ("nationality", "occupation"),
    "state": ("iso_code", "capital"),
    "government": ("state",),
    "armed-force": ("state",),
    "organization": ("organization_type", "country", "parent"),
    "alliance": ("founded",),
    "weapon-system": ("weapon_class", "range_class", "origin_state", "manufacturer"),
    "place": ("place_type", "located_in"),
    "outlet": ("outlet_type", "website"),
}


def entity_record(entity: Entity) -> dict[str, Any]:
    record: dict[str, Any] = {
        "$schema": ENTITY_SCHEMA,
        "id": entity.id,
        "schema_version": SCHEMA_VERSION,
        "name": entity.name,
        "aliases": entity.aliases,
        "description": entity.description,
    }
    if entity.disambiguation:
        record["disambiguation"] = entity.disambiguation
    if entity.wikidata:
        record["identifiers"] = {"wikidata": entity.wikidata}
    record["kind"] = entity.kind
    record["facts"] = {k: entity.facts[k] for k in FACT_ORDER[entity.kind] if k in entity.facts}
    return _prune(record)


def dumps(record: dict[str, Any]) -> str:
    """The canonical form `stratlas fmt` writes: 2-space indent, UTF-8, final newline."""
    if orjson is not None:  # the same text, several times faster
        return orjson.dumps(record, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


# --- corruption -------------------------------------------------------------------------------

ARTICLE_BREAKS = _split("syntax|ref-typo|misquote|unknown-field|wrong-type|bad-date")
ENTITY_BREAKS = ("syntax", "unknown-field", "bad-kind", "ref-typo")


def _typo(word: str, rng: random.Random, taken: set[str]) -> str:
    for _ in range(50):
        i = rng.randrange(len(word) - 1)
        if word[i] != word[i + 1] and word[i] != "-" and word[i + 1] != "-":
            typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            typo = word[:i] + word[i + 1 :]
        if typo not in taken and typo:
            return typo
    return word + "x"


def corrupt(kind: str, how: str, record: dict[str, Any], rng: random.Random, ids: set[str]) -> str:
    """The text of `record` broken in the way `how` says."""
    if how == "syntax":
        text = dumps(record)
        cut = [m.start() for m in re.finditer(r",\n", text)]
        at = cut[rng.randrange(len(cut))] if cut else len(text) // 2
        return text[:at] + text[at + 1 :]  # a missing comma
    if kind == "article":
        if how == "ref-typo":
            mention = rng.choice(record["actors"])
            mention["entity"] = _typo(mention["entity"], rng, ids)
        elif how == "misquote":
            anchor = rng.choice(record["assessments"])["evidence"][0]
            words = anchor["quote"].split()
            i = rng.randrange(len(words))
            words[i] = "never" if words[i] != "never" else "always"
            anchor["quote"] = " ".join(words)
        elif how == "unknown-field":
            item = rng.choice(record["assessments"])
            item["confidence"] = "high"
        elif how == "wrong-type":
            record["authors"][0]["bio"]["positions"][0]["since"] = str(
                record["authors"][0]["bio"]["positions"][0]["since"]
            )
        elif how == "bad-date":
            event = rng.choice(record["events"])
            event["date"]["value"] = event["date"]["value"][:4] + "-02-30"
    else:
        if how == "unknown-field":
            record["wikidata_id"] = "Q42"
        elif how == "bad-kind":
            record["kind"] = {"weapon-system": "weapon"}.get(record["kind"], record["kind"] + "s")
        elif how == "ref-typo":
            refs = [k for k, f in record["facts"].items() if f.get("value") in ids]
            if refs:
                fact = record["facts"][rng.choice(refs)]
                fact["value"] = _typo(fact["value"], rng, ids)
            else:
                record["name"] = ""
    return dumps(record)


# --- the corpus -------------------------------------------------------------------------------


@dataclass
class GenerationResult:
    out: Path
    articles: int
    entities: int
    sources: int
    bytes: int
    broken: dict[str, str]
    seconds: float
    manifest: dict[str, Any]


def _prepare(out: Path) -> None:
    if out.exists():
        if not out.is_dir():
            raise SystemExit(f"{out}: exists and is not a folder")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise SystemExit(
                f"{out}: not empty and not made by bench/generate.py (no {MARKER}); "
                "give a new or empty folder"
            )
        for sub in ("articles", "entities", "sources"):
            shutil.rmtree(out / sub, ignore_errors=True)
    for sub in ("articles", "entities", "sources"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Made by bench/generate.py; replaced on each run.\n")


def generate(
    articles: int,
    seed: int,
    out: Path,
    broken_percent: float = 0.0,
    pool: int | None = None,
    zipf: float = ZIPF_EXPONENT,
) -> GenerationResult:
    """Write a corpus of `articles` articles into `out` (replacing one made earlier)."""
    if articles < 2:
        raise ValueError("at least 2 articles")
    started = time.perf_counter()
    rng = random.Random(f"stratlas-bench/{GENERATOR_VERSION}/{seed}")
    namer = Namer(rng)
    pool_size = pool or articles // 2 + 50
    entities = build_pool(rng, namer, pool_size)
    planner = Planner(rng, namer, entities, zipf)
    plans = [planner.plan() for _ in range(articles)]
    planner.patch(plans)

    first = dt.date(2016, 1, 1).toordinal()
    last = dt.date(2025, 6, 30).toordinal()
    records: dict[str, dict[str, Any]] = {}
    sources: dict[str, str] = {}
    for plan in plans:
        published = dt.date.fromordinal(rng.randint(first, last))
        writer = ArticleWriter(rng, plan, planner, published)
        record, text = writer.write()
        plan.id = record["id"]
        records[plan.id] = record
        sources[plan.id] = text

    # A fact backed by a quote: each author's occupation, from the first article with their bio.
    for profile in planner.profiles.values():
        if profile.first_article is None:
            continue
        title = (
            f"{profile.honorific} {profile.person.name}"
            if profile.honorific
            else profile.person.name
        )
        profile.person.facts["occupation"] = {
            "evidence": [{"quote": f"{title} {profile.position[0]}."}],
            "article": profile.first_article,
            "value": profile.position[1],
        }

    _prepare(out)
    total = 0
    ids = {e.id for e in entities} | set(records)
    broken: dict[str, str] = {}
    files = [("entity", e.id) for e in entities] + [("article", a) for a in records]
    chosen: list[tuple[str, str]] = []
    if broken_percent > 0:
        count = max(1, round(len(files) * broken_percent / 100))
        chosen = rng.sample(files, count)
    # Each kind of file cycles through its own ways of breaking.
    breaks: dict[tuple[str, str], str] = {}
    for kind, key in chosen:
        options = ARTICLE_BREAKS if kind == "article" else ENTITY_BREAKS
        done = sum(1 for k, _ in breaks if k == kind)
        breaks[(kind, key)] = options[done % len(options)]
    by_entity = {e.id: e for e in entities}
    article_bytes: list[int] = []
    for kind, key in files:
        record = records[key] if kind == "article" else entity_record(by_entity[key])
        folder = "articles" if kind == "article" else "entities"
        if (kind, key) in breaks:
            how = breaks[(kind, key)]
            text = corrupt(kind, how, json.loads(json.dumps(record)), rng, ids)
            broken[f"{folder}/{key}.json"] = how
        else:
            text = dumps(record)
        data = text.encode("utf-8")
        (out / folder / f"{key}.json").write_bytes(data)
        total += len(data)
        if kind == "article":
            article_bytes.append(len(data))
    for key, text in sources.items():
        data = text.encode("utf-8")
        (out / "sources" / f"{key}.txt").write_bytes(data)
        total += len(data)

    mentions: dict[str, int] = {}
    for plan in plans:
        for entity in (*plan.actors, *plan.weapons, *plan.places):
            mentions[entity.id] = mentions.get(entity.id, 0) + 1
    top = sorted(mentions.values(), reverse=True)
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "articles": len(records),
        "entities": len(entities),
        "seed": seed,
        "zipf_exponent": zipf,
        "broken_percent": broken_percent,
        "bytes": total,
        "mean_article_bytes": round(sum(article_bytes) / len(article_bytes)),
        "mean_source_bytes": round(sum(len(t.encode()) for t in sources.values()) / len(sources)),
        "entity_kinds": {k: sum(1 for e in entities if e.kind == k) for k in FACT_ORDER},
        "mentions_top10": top[:10],
        "mentions_median": top[len(top) // 2] if top else 0,
        "broken": dict(sorted(broken.items())),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return GenerationResult(
        out,
        len(records),
        len(entities),
        len(sources),
        total,
        broken,
        time.perf_counter() - started,
        manifest,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", "-n", type=int, required=True, help="number of articles")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (the records root)")
    parser.add_argument(
        "--broken-percent",
        type=float,
        default=0.0,
        help="corrupt this percentage of the record files (default 0)",
    )
    parser.add_argument("--entities", type=int, default=None, help="pool size (default N/2+50)")
    parser.add_argument(
        "--zipf",
        type=float,
        default=ZIPF_EXPONENT,
        help=f"exponent s of the mention weights 1/rank^s (default {ZIPF_EXPONENT:g})",
    )
    args = parser.parse_args(argv)
    result = generate(
        args.articles, args.seed, args.out, args.broken_percent, args.entities, args.zipf
    )
    print(
        f"wrote {result.articles} articles, {result.entities} entities, {result.sources} sources "
        f"({result.bytes / 1e6:.1f} MB; {len(result.broken)} broken) into {result.out} "
        f"in {result.seconds:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
