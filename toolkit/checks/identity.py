"""Identity: file names, IDs and the local IDs of an article's items."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from toolkit.checks.context import Context, valid_articles
from toolkit.checks.registry import check
from toolkit.findings import Finding, make
from toolkit.format.ids import RESERVED_IDS, is_valid_id, suggest_id
from toolkit.load import Corpus, RecordFile

__all__ = ["ids", "local_ids"]


@check(codes=("id-collision", "id-invalid", "id-reserved", "id-file-mismatch", "id-duplicate"))
def ids(corpus: Corpus, context: Context) -> Iterator[Finding]:
    seen: dict[str, RecordFile] = {}
    folded: dict[str, RecordFile] = {}
    everything = corpus.records + (context.elsewhere.records if context.elsewhere else [])
    for record in sorted(everything, key=lambda r: (not is_valid_id(r.stem), r.file)):
        stem = record.stem
        fold = unicodedata.normalize("NFKC", stem).casefold()
        other = folded.setdefault(fold, record)
        if other is not record and other.stem != stem:
            yield make(
                "id-collision",
                f"`{stem}` and `{other.stem}` ({other.file}) differ only in case or Unicode form",
                file=record.file,
                hint="They would overwrite each other on case-insensitive file systems and on "
                "the site: merge them, or rename this one.",
            )
            continue
        if not is_valid_id(stem):
            yield make(
                "id-invalid",
                f"the file name `{stem}` is not a valid ID",
                file=record.file,
                hint=f"Name the file <id>.json with a lower-case slug, e.g. `{suggest_id(stem)}`.",
            )
            continue
        raw = record.raw_id
        if isinstance(raw, str) and is_valid_id(raw):
            if raw in RESERVED_IDS:
                yield record.at(
                    "id-reserved",
                    f"`{raw}` is a reserved name",
                    "/id",
                    f"Pick another ID, e.g. `{raw}-1` or a more specific name.",
                )
            if raw != stem:
                yield record.at(
                    "id-file-mismatch",
                    f"the ID `{raw}` differs from the file name `{stem}.json`",
                    "/id",
                    f"Rename the file to {raw}.json or set the ID to `{stem}`.",
                )
        if stem in seen:
            yield make(
                "id-duplicate",
                f"the ID `{stem}` is used by {seen[stem].file} too",
                file=record.file,
                hint="Articles and entities share one namespace: rename one of them (and merge "
                "them if they describe the same thing).",
            )
        else:
            seen[stem] = record


@check(codes=("local-id-duplicate",))
def local_ids(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for record, data in valid_articles(corpus):
        for field_name in ("events", "scenarios", "assessments"):
            items = data.get(field_name)
            if not items or len({item["id"] for item in items}) == len(items):
                continue  # none repeated: the common case, one set
            seen: set[str] = set()
            for index, item in enumerate(items):
                if item["id"] in seen:
                    yield record.at(
                        "local-id-duplicate",
                        f"two {field_name} share the ID `{item['id']}`",
                        f"/{field_name}/{index}/id",
                        "Give each its own ID.",
                    )
                seen.add(item["id"])
