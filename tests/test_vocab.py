"""The vocabulary's copies that must be written out agree with `toolkit/format/vocab.py`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import yaml

from toolkit.format.vocab import (
    ACTOR_KINDS,
    EDITORIAL_BASES,
    ENTITY_KINDS,
    ICD203_TERMS,
    KIND_LABELS,
)
from toolkit.models import EditorialBasis, Entity, Estimate
from toolkit.pages.jsonld import SCHEMA_TYPES

REPO = Path(__file__).resolve().parents[1]


def test_model_literals_are_the_vocabulary() -> None:
    assert get_args(Estimate) == ICD203_TERMS
    assert get_args(EditorialBasis) == EDITORIAL_BASES
    kinds = [
        get_args(cls.model_fields["kind"].annotation)[0] for cls in get_args(get_args(Entity)[0])
    ]
    assert sorted(kinds) == sorted(ENTITY_KINDS)
    assert set(ACTOR_KINDS) <= set(ENTITY_KINDS)


def test_jsonld_types_cover_every_kind() -> None:
    assert tuple(SCHEMA_TYPES) == ENTITY_KINDS


def test_navigation_lists_every_kind_with_its_label() -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    entities: list[Any] = next(item["Entities"] for item in config["nav"] if "Entities" in item)
    listed = [next(iter(item.items())) for item in entities if isinstance(item, dict)]
    assert listed == [
        (plural, f"kinds/{kind}/index.md") for kind, (_, plural) in KIND_LABELS.items()
    ]
