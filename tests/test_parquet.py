"""The Parquet tables (toolkit/export/parquet.py), read with DuckDB as downstream projects read
them: the declared columns and types, the same rows as the SQLite tables and statements.csv,
hostile text, bounded row groups, empty tables, byte-identical output, the Data Package, the
site build, `stratlas export --format parquet`, and what happens without pyarrow."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from support import make_project, need

import toolkit.export.parquet as parquet_module
from toolkit.api import load_corpus
from toolkit.export import api_files
from toolkit.export.parquet import (
    PARQUET_TABLES,
    arrow_schema,
    parquet_columns,
    write_parquet_tables,
)
from toolkit.export.records import Published
from toolkit.format.urls import API_PREFIX, SITE_URL, parquet_name
from toolkit.site import build, generate

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "corpus"
#: Resolved scenarios: forecasts with an outcome and a hit.
RESOLVED = REPO / "tests" / "examples" / "valid" / "resolved"
#: How DuckDB names the Arrow types the tables declare.
DUCKDB_TYPES = {
    "string": "VARCHAR",
    "int64": "BIGINT",
    "double": "DOUBLE",
    "bool": "BOOLEAN",
    "list<string>": "VARCHAR[]",
}
HOSTILE_NAME = '<script>alert(1)</script> & "q" ]]> שלום עולם 🛰️'
FORMULA_QUOTE = '=HYPERLINK("http://evil.example")'


def _write(files: dict[str, bytes], root: Path) -> Path:
    for path, data in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture corpus's downloads, laid out like the site."""
    return _write(api_files(load_corpus(FIXTURE).graph), tmp_path_factory.mktemp("parquet"))


def _table(root: Path, table: str) -> Path:
    return root / API_PREFIX / parquet_name(table)


def _duckdb_rows(path: Path) -> list[dict[str, Any]]:
    relation = duckdb.read_parquet(str(path))
    return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


def _sqlite_rows(database: Path, table: str) -> list[dict[str, Any]]:
    """A table of stratlas.db in insertion order, its JSON-text lists decoded."""
    columns = parquet_columns(table)
    with sqlite3.connect(database) as db:
        db.row_factory = sqlite3.Row
        rows = [dict(row) for row in db.execute(f"SELECT * FROM {table} ORDER BY rowid")]
    return [
        {
            name: json.loads(value)
            if columns[name] == "list<string>" and value is not None
            else value
            for name, value in row.items()
        }
        for row in rows
    ]


def _csv_statements(data: bytes) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    optional = ("value_entity_id", "evidence", "evidence_article_id", "editorial_basis")
    return [{k: (None if k in optional and not v else v) for k, v in row.items()} for row in reader]


def test_duckdb_reads_every_table_with_the_declared_columns(exported: Path) -> None:
    for table in PARQUET_TABLES:
        relation = duckdb.read_parquet(str(_table(exported, table)))
        declared = parquet_columns(table)
        assert relation.columns == list(declared), table
        assert [str(t) for t in relation.types] == [DUCKDB_TYPES[t] for t in declared.values()]
        assert relation.fetchall(), f"{table}: the fixture corpus gives no rows"


@pytest.mark.parametrize("corpus", [FIXTURE, RESOLVED], ids=["fixture", "resolved"])
def test_the_rows_are_those_of_the_other_downloads(corpus: Path, tmp_path: Path) -> None:
    """One place per table for its columns: Parquet, SQLite and the CSV agree row for row,
    and the forecasts' types are those of forecasts.jsonl (a hit is a boolean)."""
    root = _write(api_files(load_corpus(corpus).graph), tmp_path)
    database = root / API_PREFIX / "stratlas.db"
    for table in PARQUET_TABLES:
        rows = _duckdb_rows(_table(root, table))
        if table == "statements":
            expected = _csv_statements((root / API_PREFIX / "statements.csv").read_bytes())
        else:
            expected = _sqlite_rows(database, table)
        assert rows == expected, table
    forecasts = _duckdb_rows(_table(root, "forecasts"))
    lines = (root / API_PREFIX / "forecasts.jsonl").read_text(encoding="utf-8").splitlines()
    assert [
        {k: row[k] for k in json.loads(line)} for row, line in zip(forecasts, lines, strict=True)
    ] == [json.loads(line) for line in lines]
    if corpus == RESOLVED:
        assert {type(row["hit"]) for row in forecasts} >= {bool}
        assert any(row["outcome"] is not None for row in forecasts)


def test_duckdb_joins_the_tables(exported: Path) -> None:
    """The query downstream projects run first: an entity's articles, lists unnested."""
    folder = exported / API_PREFIX
    found = duckdb.sql(
        f"""SELECT DISTINCT a.id, alias
        FROM '{folder}/mentions.parquet' AS m
        JOIN '{folder}/articles.parquet' AS a ON a.id = m.article_id
        JOIN (SELECT id, unnest(aliases) AS alias FROM '{folder}/entities.parquet') AS e
          ON e.id = m.entity_id
        WHERE m.entity_id = 'lancer' ORDER BY ALL"""
    ).fetchall()
    graph = load_corpus(FIXTURE).graph
    lancer = graph.entities["lancer"]
    assert lancer.aliases, "the fixture's lancer has aliases"
    articles = graph.articles_mentioning("lancer")
    assert found == sorted((a, alias) for a in articles for alias in lancer.aliases)


def _hostile_corpus(records: Path) -> None:
    path = records / "entities" / "mira-holt.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["name"] = HOSTILE_NAME
    data.setdefault("aliases", []).append(HOSTILE_NAME)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    path = records / "articles" / "strike-debate.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["source"]["title"] = HOSTILE_NAME
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_hostile_text_comes_back_as_it_was(corpus_copy: Path, tmp_path: Path) -> None:
    """Markup, right-to-left text, control characters and emoji are data: DuckDB gives back
    the exact strings, and a cell a spreadsheet would run keeps its text (only the CSV
    neutralises it)."""
    _hostile_corpus(corpus_copy)
    path = corpus_copy / "articles" / "strike-debate.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    quote = data["key_points"][0]["evidence"][0]["quote"]
    assert FORMULA_QUOTE not in quote
    data["key_points"][0]["text"] = FORMULA_QUOTE + " \x07bell " + data["key_points"][0]["text"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    root = _write(api_files(load_corpus(corpus_copy).graph, sqlite=False), tmp_path)
    entities = {row["id"]: row for row in _duckdb_rows(_table(root, "entities"))}
    assert entities["mira-holt"]["name"] == HOSTILE_NAME
    assert HOSTILE_NAME in entities["mira-holt"]["aliases"]
    assert json.loads(entities["mira-holt"]["record"])["name"] == HOSTILE_NAME
    articles = {row["id"]: row for row in _duckdb_rows(_table(root, "articles"))}
    assert articles["strike-debate"]["title"] == HOSTILE_NAME
    values = [row["value"] for row in _duckdb_rows(_table(root, "statements"))]
    assert any(value.startswith(FORMULA_QUOTE) for value in values)
    csv_values = [
        row["value"] for row in _csv_statements((root / API_PREFIX / "statements.csv").read_bytes())
    ]
    assert any(value.startswith("'" + FORMULA_QUOTE) for value in csv_values)


def test_row_groups_are_bounded_by_rows_and_by_text(
    exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table is written a row group at a time (never held whole); the groups read back as
    one table, row for row."""
    published = Published(load_corpus(FIXTURE).graph)
    for setting, value in (("ROW_GROUP_ROWS", 2), ("ROW_GROUP_BYTES", 1)):
        folder = tmp_path / setting
        folder.mkdir()
        with monkeypatch.context() as patch:
            patch.setattr(parquet_module, setting, value)
            made = dict(write_parquet_tables(published, folder, SITE_URL))
        for table, path in made.items():
            rows = _duckdb_rows(path)
            assert rows == _duckdb_rows(_table(exported, table)), table
            per_group = 2 if setting == "ROW_GROUP_ROWS" else 1
            groups = pq.ParquetFile(path).metadata.num_row_groups
            assert groups == -(-len(rows) // per_group), (setting, table, groups)


def test_an_empty_corpus_gives_empty_tables_with_their_columns(tmp_path: Path) -> None:
    records = tmp_path / "records"
    (records / "articles").mkdir(parents=True)
    (records / "entities").mkdir()
    out = tmp_path / "out"
    out.mkdir()
    made = dict(write_parquet_tables(Published(load_corpus(records).graph), out, SITE_URL))
    assert list(made) == list(PARQUET_TABLES)
    for table, path in made.items():
        relation = duckdb.read_parquet(str(path))
        assert relation.columns == list(parquet_columns(table))
        assert relation.fetchall() == []


def test_files_match_their_declared_schema_and_the_data_package(exported: Path) -> None:
    package = json.loads((exported / "datapackage.json").read_bytes())
    resources = {r["path"]: r for r in package["resources"] if r["format"] == "parquet"}
    assert list(resources) == [API_PREFIX + parquet_name(table) for table in PARQUET_TABLES]
    for table in PARQUET_TABLES:
        path = _table(exported, table)
        assert pq.read_schema(path).equals(arrow_schema(table))
        resource = resources[API_PREFIX + parquet_name(table)]
        assert resource["x-columns"] == [
            {"name": name, "type": kind} for name, kind in parquet_columns(table).items()
        ]
        assert resource["bytes"] == path.stat().st_size
        assert resource["mediatype"] == "application/vnd.apache.parquet"
        assert "encoding" not in resource


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
        check=False,
    )


def test_cli_export_is_byte_identical_to_the_site_files(exported: Path, tmp_path: Path) -> None:
    """Two exports under different hash seeds, and the site's files: the same bytes."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        done = _run(
            ["export", str(FIXTURE), "-f", "parquet", "-o", str(out)], tmp_path, PYTHONHASHSEED=seed
        )
        assert done.returncode == 0, done.stderr
        assert sorted(p.name for p in out.iterdir()) == sorted(map(parquet_name, PARQUET_TABLES))
        outs.append(out)
    for table in PARQUET_TABLES:
        name = parquet_name(table)
        site = _table(exported, table).read_bytes()
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes() == site, table
    # Again into the same folder: the tables are replaced, and nothing is left beside them.
    done = _run(["export", str(FIXTURE), "-f", "parquet", "-o", str(outs[0])], tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in outs[0].iterdir()) == sorted(map(parquet_name, PARQUET_TABLES))


def test_cli_export_refuses_standard_output_and_a_foreign_folder(tmp_path: Path) -> None:
    done = _run(["export", str(FIXTURE), "-f", "parquet", "-o", "-"], tmp_path)
    assert done.returncode == 2 and "--format parquet writes a folder" in done.stderr
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    done = _run(["export", str(FIXTURE), "-f", "parquet", "-o", str(foreign)], tmp_path)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]


@pytest.fixture
def without_pyarrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """pyarrow made unimportable, in this process and (through PYTHONPATH) in children: a
    base install without the `parquet` extra."""
    shadow = tmp_path / "shadow"
    (shadow / "pyarrow").mkdir(parents=True)
    (shadow / "pyarrow" / "__init__.py").write_text(
        "raise ImportError('pyarrow is not installed (test shadow)')\n", encoding="utf-8"
    )
    for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.syspath_prepend(str(shadow))
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(shadow), os.environ.get("PYTHONPATH")]))
    )
    return shadow


def test_without_pyarrow_the_export_says_what_to_install(
    without_pyarrow: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = _run(["export", str(FIXTURE), "-f", "parquet", "-o", str(out)], tmp_path)
    assert done.returncode == 2, done.stderr
    assert "pip install 'stratlas[parquet]'" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()
    done = _run(["export", str(FIXTURE), "-f", "jsonl", "-o", str(out)], tmp_path)
    assert done.returncode == 0, done.stderr  # the other formats need no pyarrow


def test_without_pyarrow_the_site_leaves_parquet_out_and_says_so(
    without_pyarrow: Path, tmp_path: Path
) -> None:
    files = api_files(load_corpus(FIXTURE).graph, sqlite=False)
    assert not [path for path in files if path.endswith(".parquet")]
    package = json.loads(files["datapackage.json"])
    assert not [r for r in package["resources"] if r["format"] == "parquet"]
    project = make_project(tmp_path)
    shutil.copytree(FIXTURE, tmp_path / "records")
    report, stats = generate(project, tmp_path / "records", strict=False)
    assert stats is not None, report.findings
    assert (
        "no Parquet files (api/v1/*.parquet): pyarrow is not installed "
        "(pip install 'stratlas[parquet]')"
    ) in stats.notes


def test_the_site_build_publishes_the_tables(exported: Path, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    shutil.copytree(FIXTURE, tmp_path / "records")
    result = build(project, tmp_path / "records", project / "site", strict=True)
    assert result.ok, result.mkdocs.output if result.mkdocs else result.report.findings
    site = project / "site"
    package = json.loads((site / "datapackage.json").read_bytes())
    listed = {r["path"] for r in package["resources"]}
    for table in PARQUET_TABLES:
        path = _table(site, table)
        assert path.read_bytes() == _table(exported, table).read_bytes(), table
        assert duckdb.read_parquet(str(path)).fetchall()
        assert API_PREFIX + parquet_name(table) in listed


def test_freed_memory_goes_back_to_the_system_before_the_tables(tmp_path: Path) -> None:
    """The export gives glibc's free heap pages back before pyarrow starts (at 10,000
    articles, about 320 MiB of the build's export process): here, 200 MB of freed 2 KB
    blocks, every fiftieth still alive, come back."""
    import platform

    need(
        platform.libc_ver()[0] == "glibc",
        "malloc_trim is glibc's; elsewhere release_freed_memory does nothing",
    )
    script = """
from toolkit.runtime.memory import release_freed_memory
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096
blocks = [bytes(2000) + i.to_bytes(4, "little") for i in range(100_000)]
kept = blocks[::50]
del blocks
freed = rss()
release_freed_memory()
print(freed, rss())
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    freed, released = map(int, done.stdout.split())
    assert freed - released > 100 * 2**20, (freed, released)
