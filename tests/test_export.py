"""Downstream exports: snapshots, published schemas, I-JSON, determinism, SQLite, Datasette, CLI."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import math
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from toolkit.api import load_corpus
from toolkit.cli import app
from toolkit.export import api_files, dumps, export_sqlite, statements_csv
from toolkit.export.parquet import PARQUET_TABLES
from toolkit.export.statements import _safe_cell
from toolkit.format.urls import SITE_URL
from toolkit.link import Graph
from toolkit.models import SCHEMA_VERSION

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "corpus"
SEED = REPO / "records"
MAX_SAFE_INTEGER = 2**53 - 1
DATASETTE = (sys.executable, "-m", "datasette", "serve")


@pytest.fixture(scope="module")
def fixture_graph() -> Graph:
    return load_corpus(FIXTURE).graph


@pytest.fixture(scope="module")
def fixture_files(fixture_graph: Graph) -> dict[str, bytes]:
    return api_files(fixture_graph)


@pytest.fixture(scope="module")
def seed_files() -> dict[str, bytes]:
    return api_files(load_corpus(SEED).graph)


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory, seed_files: dict[str, bytes]) -> Path:
    path = tmp_path_factory.mktemp("seed-db") / "stratlas.db"
    path.write_bytes(seed_files["api/v1/stratlas.db"])
    return path


# --- snapshots ------------------------------------------------------------------------------


def _snapshot_name(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", path.rsplit(".", 1)[0].lower()).strip("_")


def _text_files() -> list[str]:
    """The published text files of the fixture corpus (known without exporting it)."""
    return [
        "api/v1/index.json",
        "api/v1/articles.jsonl",
        "api/v1/entities.jsonl",
        "api/v1/statements.csv",
        "api/v1/forecasts.csv",
        "api/v1/forecasts.jsonl",
        "api/v1/scores.json",
        *(f"api/v1/articles/{p.stem}.json" for p in sorted((FIXTURE / "articles").glob("*.json"))),
        *(f"api/v1/entities/{p.stem}.json" for p in sorted((FIXTURE / "entities").glob("*.json"))),
    ]


@pytest.mark.parametrize("path", _text_files())
def test_snapshot(path: str, fixture_files: dict[str, bytes], file_regression: Any) -> None:
    file_regression.check(
        fixture_files[path].decode("utf-8"),
        extension="." + path.rsplit(".", 1)[1],
        basename=_snapshot_name(path),
        encoding="utf-8",
        newline="",
    )


def test_datapackage_snapshot(fixture_files: dict[str, bytes], file_regression: Any) -> None:
    """Sizes and hashes of the SQLite file, the Parquet files and the schemas depend on the
    SQLite library, on pyarrow's version (written into each file) and on other modules; they
    are checked against the bytes in `test_datapackage_describes_files`."""
    package = json.loads(fixture_files["datapackage.json"])
    for resource in package["resources"]:
        if resource["path"].endswith((".db", ".parquet", ".schema.json")):
            resource["bytes"] = resource["hash"] = "…"
    file_regression.check(
        json.dumps(package, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
        extension=".json",
        basename="datapackage",
        encoding="utf-8",
    )


def test_every_expected_file(fixture_files: dict[str, bytes], fixture_graph: Graph) -> None:
    expected = {
        "api/v1/index.json",
        "api/v1/articles.jsonl",
        "api/v1/entities.jsonl",
        "api/v1/statements.csv",
        "api/v1/forecasts.csv",
        "api/v1/forecasts.jsonl",
        "api/v1/scores.json",
        "api/v1/stratlas.db",
        *(f"api/v1/{table}.parquet" for table in PARQUET_TABLES),
        "schema/v1/article.schema.json",
        "schema/v1/entity.schema.json",
        "datapackage.json",
        *(f"api/v1/articles/{a}.json" for a in fixture_graph.articles),
        *(f"api/v1/entities/{e}.json" for e in fixture_graph.entities),
        # the feeds: the site's, each entity's but the author's, the author's (test_feeds.py)
        "feeds/articles.atom",
        *(f"feeds/entities/{e}.atom" for e in fixture_graph.entities if e != "mira-holt"),
        "feeds/authors/mira-holt.atom",
    }
    assert set(fixture_files) == expected
    assert list(fixture_files) == sorted(fixture_files)


def test_index_lists_every_record_with_urls(fixture_files: dict[str, bytes]) -> None:
    index = json.loads(fixture_files["api/v1/index.json"])
    assert index["schema_version"] == SCHEMA_VERSION
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", index["data_version"])
    assert index["counts"]["articles"] == len(index["articles"]) == 2
    assert index["counts"]["entities"] == len(index["entities"]) == 12
    for kind in ("articles", "entities"):
        for item in index[kind]:
            assert item["url"] == f"{SITE_URL}{kind}/{item['id']}/"
            json_path = f"api/v1/{kind}/{item['id']}.json"
            assert item["json_url"] == SITE_URL + json_path
            assert json_path in fixture_files


def test_data_version_follows_the_records(
    corpus_copy: Path, fixture_files: dict[str, bytes]
) -> None:
    before = json.loads(fixture_files["api/v1/index.json"])["data_version"]
    path = corpus_copy / "entities" / "lancer.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["description"] = "A fictional long-range missile, described again."
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    after = json.loads(api_files(load_corpus(corpus_copy).graph)["api/v1/index.json"])
    assert after["data_version"] != before


def test_entity_backlinks_name_articles_and_roles(fixture_files: dict[str, bytes]) -> None:
    lancer = json.loads(fixture_files["api/v1/entities/lancer.json"])
    roles = {(a["id"], r["relation"], r["role"]) for a in lancer["articles"] for r in a["roles"]}
    assert ("strike-debate", "weapon-system", "long-range missile cleared for use") in roles
    assert ("winter-front", "weapon-system", "strikes continue") in roles
    sections = {r["section"] for a in lancer["articles"] for r in a["roles"]}
    assert {"key_points", "weapon_systems", "events"} <= sections
    event = next(r for a in lancer["articles"] for r in a["roles"] if r["section"] == "events")
    assert event["item"] == "lancer-authorisation" and event["quotes"]
    kessler = json.loads(fixture_files["api/v1/entities/anna-kessler.json"])
    scenario = [r for a in kessler["articles"] for r in a["roles"] if r["section"] == "scenarios"]
    assert [(r["relation"], r["item"]) for r in scenario] == [("scenario-actor", "reversal")]
    assert kessler["co_mentions"][0]["articles"] == 2
    ruritania = json.loads(fixture_files["api/v1/entities/ruritania.json"])
    assert ("lancer", "origin-state") in {(e["id"], e["relation"]) for e in ruritania["entities"]}


# --- published schemas ----------------------------------------------------------------------


def _validators(files: dict[str, bytes], name: str) -> tuple[Any, Any]:
    schema = json.loads(files[f"schema/v1/{name}.schema.json"])
    python = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    rust = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    return python, rust


def _published_records(files: dict[str, bytes]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, data in files.items():
        for kind, name in (("articles", "article"), ("entities", "entity")):
            if path.startswith(f"api/v1/{kind}/"):
                yield path, name, json.loads(data)["record"]
            elif path == f"api/v1/{kind}.jsonl":
                for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
                    yield f"{path}:{number}", name, json.loads(line)


@pytest.mark.parametrize("corpus", ["fixture", "seed"])
def test_published_records_validate_with_two_implementations(
    corpus: str, fixture_files: dict[str, bytes], seed_files: dict[str, bytes]
) -> None:
    files = fixture_files if corpus == "fixture" else seed_files
    validators = {name: _validators(files, name) for name in ("article", "entity")}
    checked = 0
    for where, name, record in _published_records(files):
        python, rust = validators[name]
        errors = [e.message for e in python.iter_errors(record)]
        assert not errors, f"{where}: python-jsonschema: {errors[:3]}"
        rust_errors = [str(e) for e in rust.iter_errors(record)]
        assert not rust_errors, f"{where}: jsonschema-rs: {rust_errors[:3]}"
        assert record["$schema"] == f"{SITE_URL}schema/v1/{name}.schema.json"
        checked += 1
    assert checked >= 2 * (2 + 12) if corpus == "fixture" else checked > 2


def test_both_validators_reject_a_broken_record(fixture_files: dict[str, bytes]) -> None:
    python, rust = _validators(fixture_files, "entity")
    record = json.loads(fixture_files["api/v1/entities/lancer.json"])["record"]
    record["kind"] = "spaceship"
    assert not python.is_valid(record)
    assert not rust.is_valid(record)


def test_schema_ids_equal_their_published_urls(fixture_files: dict[str, bytes]) -> None:
    for name in ("article", "entity"):
        path = f"schema/v1/{name}.schema.json"
        schema = json.loads(fixture_files[path])
        assert schema["$id"] == SITE_URL + path
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["x-schema-version"] == SCHEMA_VERSION


def test_published_schemas_are_the_committed_files_or_generated_without_them(
    fixture_graph: Graph,
    fixture_files: dict[str, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The export publishes schema/ as committed (what validation reads); an install without
    schema/ generates the same bytes from the models."""
    import toolkit.format.schemas

    for name in ("article", "entity"):
        committed = (REPO / "schema" / f"{name}.schema.json").read_bytes()
        assert fixture_files[f"schema/v1/{name}.schema.json"] == committed
    monkeypatch.setattr(toolkit.format.schemas, "SCHEMA_DIR", tmp_path)
    toolkit.format.schemas.published_schemas.cache_clear()
    try:
        generated = api_files(fixture_graph, sqlite=False)
    finally:
        toolkit.format.schemas.published_schemas.cache_clear()
    for name in ("article", "entity"):
        path = f"schema/v1/{name}.schema.json"
        assert generated[path] == fixture_files[path]


def test_formats_have_no_fractional_numbers(fixture_files: dict[str, bytes]) -> None:
    """`dumps` relies on this: without floats, no NaN or infinity can reach the output."""
    for name in ("article", "entity"):
        assert '"number"' not in fixture_files[f"schema/v1/{name}.schema.json"].decode()


def test_envelopes_point_at_their_schema(fixture_files: dict[str, bytes]) -> None:
    for path, data in fixture_files.items():
        if re.fullmatch(r"api/v1/(articles|entities)/[^/]+\.json", path):
            document = json.loads(data)
            name = "article" if "/articles/" in path else "entity"
            assert document["schema"] == f"{SITE_URL}schema/v1/{name}.schema.json"
            assert document["json_url"] == SITE_URL + path
            assert document["id"] == document["record"]["id"] == path.rsplit("/", 1)[1][:-5]


# --- I-JSON and determinism -----------------------------------------------------------------


def _strict_load(text: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in items]
        assert len(keys) == len(set(keys)), f"duplicate keys: {keys}"
        return dict(items)

    def constant(name: str) -> Any:
        raise AssertionError(f"{name} is not JSON")

    return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)


def _numbers_fit_a_double(value: Any) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _numbers_fit_a_double(item)
    elif isinstance(value, list):
        for item in value:
            _numbers_fit_a_double(item)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        assert abs(value) <= MAX_SAFE_INTEGER
    elif isinstance(value, float):
        assert math.isfinite(value)


@pytest.mark.parametrize("corpus", ["fixture", "seed"])
def test_every_json_file_is_i_json(
    corpus: str, fixture_files: dict[str, bytes], seed_files: dict[str, bytes]
) -> None:
    files = fixture_files if corpus == "fixture" else seed_files
    for path, data in files.items():
        if not path.endswith((".json", ".jsonl")):
            continue
        assert not data.startswith(b"\xef\xbb\xbf"), path
        text = data.decode("utf-8")  # strict: raises on anything but UTF-8
        assert text.endswith("\n") and not text.endswith("\n\n"), path
        documents = text.splitlines() if path.endswith(".jsonl") else [text]
        for document in documents:
            _numbers_fit_a_double(_strict_load(document))


def test_text_is_utf8_not_escaped(seed_files: dict[str, bytes]) -> None:
    assert "’".encode() in seed_files["api/v1/articles.jsonl"]
    assert b"\\u2019" not in seed_files["api/v1/articles.jsonl"]


def test_dumps_refuses_what_i_json_forbids() -> None:
    for bad in (2**53, {"k": [-(2**60)]}, "\ud800", {1: "x"}, {"k": object()}):
        with pytest.raises(ValueError):
            dumps(bad)
    assert dumps({"b": 1, "a": "é"}) == '{\n  "a": "é",\n  "b": 1\n}\n'.encode()


def test_two_exports_are_byte_identical(
    fixture_graph: Graph, fixture_files: dict[str, bytes]
) -> None:
    again = api_files(load_corpus(FIXTURE).graph)
    assert again == fixture_files
    assert export_sqlite(fixture_graph) == fixture_files["api/v1/stratlas.db"]


_DIGEST_SCRIPT = """
import hashlib, sys
from toolkit.api import load_corpus
from toolkit.export import api_files
for path, data in api_files(load_corpus(sys.argv[1]).graph).items():
    print(path, hashlib.sha256(data).hexdigest())
"""


def test_exports_identical_across_processes_and_hash_seeds() -> None:
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _DIGEST_SCRIPT, str(FIXTURE)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in ("1", "2")
    ]
    digests = []
    for run in runs:
        try:
            out, err = run.communicate(timeout=120)
        finally:
            if run.poll() is None:
                run.kill()
                run.wait(timeout=10)
        assert run.returncode == 0, err
        digests.append(out)
    assert digests[0] == digests[1]
    assert "api/v1/stratlas.db" in digests[0]


# --- statements CSV -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "published"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_safe_cell(cell: str, published: str) -> None:
    assert _safe_cell(cell) == published


def test_statements_csv_neutralises_formulas(corpus_copy: Path) -> None:
    path = corpus_copy / "articles" / "strike-debate.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["actors"][0]["role"] = '=HYPERLINK("http://evil.example","x")'
    data["actors"][1]["role"] = "@SUM(1+1)"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    rows = list(
        csv.DictReader(io.StringIO(statements_csv(load_corpus(corpus_copy).graph).decode()))
    )
    values = {row["value"] for row in rows}
    assert '\'=HYPERLINK("http://evil.example","x")' in values
    assert "'@SUM(1+1)" in values
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row


def test_statements_have_evidence(fixture_files: dict[str, bytes]) -> None:
    rows = list(csv.DictReader(io.StringIO(fixture_files["api/v1/statements.csv"].decode())))
    lancer = [r for r in rows if r["record_id"] == "strike-debate" and r["entity_id"] == "lancer"]
    assert {r["property"] for r in lancer} == {"key-point", "weapon-system", "event-weapon-system"}
    weapon = next(r for r in lancer if r["property"] == "weapon-system")
    assert weapon["value"] == "long-range missile cleared for use"
    assert weapon["evidence"] == "allow Lancer missiles to hit targets in Borduria"
    fact = next(r for r in rows if r["record_id"] == "lancer" and r["property"] == "origin_state")
    assert (fact["value_entity_id"], fact["evidence_article_id"]) == ("ruritania", "strike-debate")


# --- SQLite ---------------------------------------------------------------------------------


def _seed_articles() -> dict[str, dict[str, Any]]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((SEED / "articles").glob("*.json"))
    }


def _pointers_to(value: Any, target: str, pointer: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _pointers_to(item, target, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _pointers_to(item, target, f"{pointer}/{index}")
    elif value == target and not pointer.endswith(("/id", "/quote")):
        yield pointer


def test_sqlite_which_articles_mention_atacms_and_in_which_role(seed_db: Path) -> None:
    db = sqlite3.connect(seed_db)
    rows = db.execute(
        "SELECT m.article_id, a.title, m.relation, m.role, m.pointer FROM mentions AS m "
        "JOIN articles AS a ON a.id = m.article_id WHERE m.entity_id = 'atacms' ORDER BY m.id"
    ).fetchall()
    # The right rows, derived from the raw records independently of the exporter.
    articles = _seed_articles()
    expected = {(a, p) for a, data in articles.items() for p in _pointers_to(data, "atacms")}
    assert {(r[0], r[4]) for r in rows} == expected
    article = "bidens-atacms-decision-escalation-or-strategic-necessity"
    raw = articles[article]
    weapon = next(r for r in rows if r[2] == "weapon-system" and r[0] == article)
    assert weapon[0] == article and weapon[1] == raw["source"]["title"]
    index = next(i for i, w in enumerate(raw["weapon_systems"]) if w["entity"] == "atacms")
    assert weapon[3] == raw["weapon_systems"][index]["role"]
    assert {r[2] for r in rows} >= {"weapon-system", "event-weapon-system", "key-point"}


def test_sqlite_which_scenarios_involve_donald_trump(seed_db: Path) -> None:
    db = sqlite3.connect(seed_db)
    rows = db.execute(
        "SELECT DISTINCT s.article_id, s.local_id, s.title FROM scenarios AS s "
        "JOIN mentions AS m ON m.scenario_id = s.id WHERE m.entity_id = 'donald-trump' "
        "ORDER BY s.article_id, s.position"
    ).fetchall()
    expected = [
        (article, scenario["id"], scenario["title"])
        for article, data in _seed_articles().items()
        for scenario in data.get("scenarios", [])
        if "donald-trump" in scenario.get("actors", [])
        or scenario.get("attributed_to") == "donald-trump"
    ]
    assert rows == expected
    assert len(rows) >= 1
    assert "trump-reverses-atacms-decision" in {r[1] for r in rows}


def test_sqlite_keys_and_full_text_search(seed_db: Path) -> None:
    db = sqlite3.connect(seed_db)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {
        "articles",
        "entities",
        "mentions",
        "key_points",
        "events",
        "scenarios",
        "evidence",
    } <= tables
    for table in ("articles", "entities", "mentions", "key_points", "events", "scenarios"):
        pk = [r[1] for r in db.execute(f"PRAGMA table_info({table})") if r[5]]
        assert pk == ["id"], table
    fks = {(r[3], r[2]) for r in db.execute("PRAGMA foreign_key_list(mentions)")}
    assert {
        ("article_id", "articles"),
        ("entity_id", "entities"),
        ("scenario_id", "scenarios"),
    } <= (fks)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    by_alias = db.execute(
        "SELECT e.id FROM entities_fts JOIN entities AS e ON e.rowid = entities_fts.rowid "
        "WHERE entities_fts MATCH '\"Army Tactical Missile System\"'"
    ).fetchall()
    assert by_alias == [("atacms",)]
    quotes = db.execute(
        "SELECT count(*) FROM evidence_fts WHERE evidence_fts MATCH 'ATACMS'"
    ).fetchone()
    assert quotes[0] > 0
    for table in ("key_points", "events", "scenarios", "articles"):
        assert f"{table}_fts" in tables


# --- Datasette ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get_json(url: str, timeout: float = 5) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def test_datasette_serves_the_database_on_loopback(seed_db: Path, tmp_path: Path) -> None:
    if shutil.which("datasette", path=str(Path(sys.executable).parent)) is None:
        pytest.fail("datasette (a dev dependency) is not installed: pip install -e '.[dev]'")
    port = _free_port()
    log = tmp_path / "datasette.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*DATASETTE, str(seed_db), "--host", "127.0.0.1", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                _get_json(f"{base}/-/versions.json", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"datasette did not start:\n{log.read_text(errors='replace')}")
                time.sleep(0.2)
        entities = _get_json(f"{base}/stratlas/entities.json?_shape=array&_size=max")
        assert "atacms" in {row["id"] for row in entities}
        found = _get_json(f"{base}/stratlas/entities.json?_search=Tactical&_shape=array")
        assert [row["id"] for row in found] == ["atacms"]
        mentions = _get_json(
            f"{base}/stratlas/mentions.json?entity_id=atacms&_shape=array&_labels=on"
        )
        assert mentions and all(m["entity_id"]["value"] == "atacms" for m in mentions)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


# --- Data Package ---------------------------------------------------------------------------


def test_datapackage_describes_files(fixture_files: dict[str, bytes]) -> None:
    package = json.loads(fixture_files["datapackage.json"])
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    described = {r["path"]: r for r in package["resources"]}
    downloads = {p for p in fixture_files if p != "datapackage.json" and "/articles/" not in p}
    downloads = {p for p in downloads if "/entities/" not in p and "/authors/" not in p}
    assert set(described) == downloads
    for path, resource in described.items():
        data = fixture_files[path]
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert re.fullmatch(r"[-a-z0-9._/]+", resource["name"])
        assert re.fullmatch(r".+/.+", resource["mediatype"])
        if path.startswith("schema/"):
            assert resource["licenses"][0]["name"] == "MIT"
    assert described["api/v1/statements.csv"]["mediatype"] == "text/csv"
    assert described["api/v1/stratlas.db"]["mediatype"] == "application/vnd.sqlite3"
    fields = [f["name"] for f in described["api/v1/statements.csv"]["schema"]["fields"]]
    header = fixture_files["api/v1/statements.csv"].decode().splitlines()[0].split(",")
    assert fields == header
    assert described["api/v1/entities.jsonl"]["jsonSchema"] == (
        f"{SITE_URL}schema/v1/entity.schema.json"
    )


def _write_downloads(files: dict[str, bytes], folder: Path) -> Path:
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    return folder / "datapackage.json"


def test_datapackage_valid_for_frictionless(
    fixture_files: dict[str, bytes], tmp_path: Path
) -> None:
    """frictionless, the reference implementation, reads every resource (the JSON Schemas
    as JSON, not as Table Schemas) and checks its size and hash against the bytes."""
    import frictionless  # a dev dependency; imported here, as it is slow to import

    report = frictionless.validate(_write_downloads(fixture_files, tmp_path))
    assert report.flatten(["resourceName", "type", "note"]) == []
    assert report.valid
    package = json.loads(fixture_files["datapackage.json"])
    assert {task.name for task in report.tasks} == {r["name"] for r in package["resources"]}


def test_frictionless_notices_a_changed_download(
    fixture_files: dict[str, bytes], tmp_path: Path
) -> None:
    import frictionless  # a dev dependency; imported here, as it is slow to import

    descriptor = _write_downloads(fixture_files, tmp_path)
    changed = tmp_path / "api" / "v1" / "entities.jsonl"
    changed.write_bytes(changed.read_bytes().replace(b"{", b"{ ", 1))
    report = frictionless.validate(descriptor)
    assert not report.valid
    failed = [task for task in report.tasks if not task.valid]
    assert [task.name for task in failed] == ["entities-jsonl"]
    assert {error.type for error in failed[0].errors} >= {"hash-count"}


# --- the command ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "sqlite"])
def test_cli_export(fmt: str, tmp_path: Path, fixture_files: dict[str, bytes]) -> None:
    out = tmp_path / {"jsonl": "dump", "csv": "statements.csv", "sqlite": "stratlas.db"}[fmt]
    result = CliRunner().invoke(app, ["export", str(FIXTURE), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    if fmt == "jsonl":
        assert (out / "articles.jsonl").read_bytes() == fixture_files["api/v1/articles.jsonl"]
        assert (out / "entities.jsonl").read_bytes() == fixture_files["api/v1/entities.jsonl"]
    elif fmt == "csv":
        assert out.read_bytes() == fixture_files["api/v1/statements.csv"]
    else:
        assert out.read_bytes() == fixture_files["api/v1/stratlas.db"]
    assert not [p for p in tmp_path.rglob(".*.tmp")]


def test_cli_export_refuses_invalid_records(corpus_copy: Path, tmp_path: Path) -> None:
    path = corpus_copy / "entities" / "lancer.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["name"]
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    out = tmp_path / "out.db"
    result = CliRunner().invoke(
        app, ["export", str(corpus_copy), "--format", "sqlite", "--out", str(out)]
    )
    assert result.exit_code == 1
    assert "schema-required" in result.output
    assert "lancer.json" in result.output
    assert not out.exists()


def test_cli_export_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["export", str(tmp_path / "nope"), "--out", str(tmp_path / "x")])
    assert missing.exit_code == 2
    file = tmp_path / "file"
    file.write_text("x")
    clash = runner.invoke(app, ["export", str(FIXTURE), "-f", "jsonl", "--out", str(file)])
    assert clash.exit_code == 2
    assert file.read_text() == "x"
    folder = runner.invoke(app, ["export", str(FIXTURE), "-f", "csv", "--out", str(tmp_path)])
    assert folder.exit_code == 2
    no_out = runner.invoke(app, ["export", str(FIXTURE)])
    assert no_out.exit_code == 2


def test_cli_export_keeps_the_old_file_when_it_fails(tmp_path: Path) -> None:
    out = tmp_path / "keep.csv"
    out.write_text("old\n")
    with contextlib.suppress(Exception):
        CliRunner().invoke(app, ["export", str(tmp_path / "nope"), "-f", "csv", "--out", str(out)])
    assert out.read_text() == "old\n"


# --- record_data against a plain walk of the models -----------------------------------------


def _published(value: Any) -> Any:
    """The rule `record_data` implements, written the slow, obvious way: every field (by its
    JSON key), leaving out None unless the model lists the field as nullable."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        nullable = getattr(type(value), "nullable_fields", frozenset())
        return {
            info.alias or name: _published(getattr(value, name))
            for name, info in type(value).model_fields.items()
            if getattr(value, name) is not None or name in nullable
        }
    if isinstance(value, list):
        return [_published(item) for item in value]
    return value


@pytest.mark.parametrize("root", [FIXTURE, SEED, REPO / "tests" / "fixtures" / "hostile"])
def test_record_data_is_every_field_and_the_meaningful_nulls(root: Path) -> None:
    from toolkit.export.records import record_data

    graph = load_corpus(root).graph
    for model in [*graph.articles.values(), *graph.entities.values()]:
        expected = _published(model)
        expected["$schema"] = record_data(model)["$schema"]
        assert record_data(model) == expected, model.id


def test_record_data_restores_the_nulls_of_every_model_that_has_them() -> None:
    import toolkit.models
    from toolkit.export.records import NULLABLE_MODELS

    having = {
        name
        for name, value in vars(toolkit.models).items()
        if isinstance(value, type) and getattr(value, "nullable_fields", None)
    }
    assert having == set(NULLABLE_MODELS)
