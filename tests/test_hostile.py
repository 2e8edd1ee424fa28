"""The hostile-input corpus (tests/hostile/): every row of ../shared/SECURITY.md as test cases.

Each JSON file under tests/hostile/ is a list of groups in the shape of the JSON-Schema-Test-Suite
(`{description, threat, tests: [{description, …, expect}]}`); tests/hostile/README.md describes
the fields. Every case is one mutation of the valid base tree in tests/hostile/base/.

- A case that expects findings is validated on its own and must give exactly those codes, in
  those files, at those JSON pointers, with a position inside the file that points at the value.
- The cases that expect `valid` are built together into ONE site (each in its own copy of the
  base tree, as few copies as their mutations allow). Each must show its text literally on its
  page, in the page's JSON-LD and in the published JSON, and no page of that site may hold a
  tag, attribute, link or script that the theme did not put there. The statements CSV may hold
  no cell that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import csv
import io
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from support import CHROMIUM, CHROMIUM_ARGS, make_project, need_playwright

from toolkit.checks.context import names_of
from toolkit.findings import CODES, Finding, Severity
from toolkit.link import models_of
from toolkit.reporters import REPORTERS, render_text
from toolkit.site import build
from toolkit.text.quotes import Snapshot, normalise
from toolkit.validate import validate_paths

# The whole module runs on the C kernels and on their Python twins (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("implementation")

REPO = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "hostile"
BASE = HOSTILE / "base"
ARTICLE = "articles/spear-strikes.json"
SOURCE = "sources/spear-strikes.txt"
#: Written into the files that symlinks point at: must never show up in a finding.
SECRET = "SECRET-7f3a9c-do-not-echo"

CASE_KEYS = {
    "description",
    "file",
    "record",
    "raw",
    "edit",
    "move",
    "rename_id",
    "copy_to",
    "symlink",
    "redirects",
    "source",
    "expect",
    "warnings",
    "shown",
    "csv",
    "comment",
}
FILE_LEVEL = {"file", "identity"}  # layers whose findings may be about the whole file (0:0)


# --- the corpus -----------------------------------------------------------------------------


@dataclass
class Case:
    group: str
    threat: str
    spec: dict[str, Any]
    source_file: str

    @property
    def id(self) -> str:
        words = re.sub(r"[^a-z0-9]+", "-", self.spec["description"].lower()).strip("-")
        return f"{self.source_file}:{words[:100]}"

    @property
    def file(self) -> str:
        return str(self.spec.get("file", ARTICLE))

    @property
    def valid(self) -> bool:
        return bool(self.spec["expect"] == "valid")

    @property
    def warnings(self) -> list[dict[str, str]]:
        """The warnings a valid case gives (`{"code", "file", "pointer"}`; no errors)."""
        return list(self.spec.get("warnings", []))

    def warned(self) -> list[tuple[str, str, str]]:
        return sorted(
            {(r["code"], r.get("file", self.file), r.get("pointer", "")) for r in self.warnings}
        )

    @property
    def ops(self) -> list[dict[str, Any]]:
        return list(self.spec.get("record", []))


def _load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(HOSTILE.glob("*.json")):
        for group in json.loads(path.read_text(encoding="utf-8")):
            for spec in group["tests"]:
                cases.append(Case(group["description"], group["threat"], spec, path.stem))
    return cases


CASES = _load_cases()
VALID = [c for c in CASES if c.valid]
#: The codes of the warnings that valid cases list.
WARNED = {row["code"] for c in VALID for row in c.warnings}
INVALID = [c for c in CASES if not c.valid]


def _expand(value: Any) -> Any:
    """Patch values may say `{"$repeat": [text, n]}` for a long string (keeps the files small)."""
    if isinstance(value, dict):
        if set(value) == {"$repeat"}:
            text, times = value["$repeat"]
            return str(text) * int(times)
        return {k: _expand(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v) for v in value]
    return value


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def _apply(data: Any, ops: list[dict[str, Any]]) -> Any:
    """A JSON Patch (RFC 6902) subset: add, replace, remove."""
    data = copy.deepcopy(data)
    for op in ops:
        *parents, last = _tokens(op["path"])
        node = data
        for token in parents:
            node = node[int(token)] if isinstance(node, list) else node[token]
        value = _expand(op.get("value"))
        if op["op"] == "remove":
            del node[int(last) if isinstance(node, list) else last]
        elif isinstance(node, list):
            if last == "-":
                node.append(value)
            elif op["op"] == "add":
                node.insert(int(last), value)
            else:
                node[int(last)] = value
        else:
            if op["op"] == "replace":
                assert last in node, f"replace of a missing key {op['path']}"
            node[last] = value
    return data


def _dump(data: Any) -> bytes:
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: keep it as an escape, as a contributor would
        return (json.dumps(data, indent=2) + "\n").encode("utf-8")


def _base_ids() -> list[str]:
    return sorted(p.stem for p in BASE.glob("*/*.json"))


def _rename(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, dict):
        return {k: _rename(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, names) for v in value]
    return value


def materialise(case: Case, root: Path) -> Path:
    """The base tree with this one case applied, as `<root>/records`."""
    records = root / "records"
    shutil.copytree(BASE, records)
    spec = case.spec
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    (outside / "spear-strikes.txt").write_text(f"{SECRET} Valeria\n", encoding="utf-8")
    (outside / "tarsis.json").write_text(
        (BASE / "entities/tarsis.json").read_text("utf-8").replace("Another", SECRET), "utf-8"
    )
    target = records / case.file
    if "raw" in spec:
        target.write_bytes(base64.b64decode(spec["raw"]))
    elif "edit" in spec:
        text = target.read_text(encoding="utf-8")
        for old, new in spec["edit"]:
            assert old in text, f"edit: {old!r} is not in {case.file}"
            pieces = _expand(new) if isinstance(new, list) else [_expand(new)]
            text = text.replace(old, "".join(pieces), 1)
        target.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    elif case.ops:
        data = json.loads(target.read_text(encoding="utf-8"))
        target.write_bytes(_dump(_apply(data, case.ops)))
    if "rename_id" in spec:
        old, new = Path(case.file).stem, spec["rename_id"]
        for path in sorted(records.glob("*/*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            path.write_bytes(_dump(_rename(data, {old: new})))
        target.rename(target.with_name(f"{new}.json"))
        if target.parent.name == "articles":
            (records / "sources" / f"{old}.txt").rename(records / "sources" / f"{new}.txt")
    if "copy_to" in spec:
        for other in spec["copy_to"]:
            (records / other).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(target, records / other)
    if "move" in spec:
        (records / spec["move"]).parent.mkdir(parents=True, exist_ok=True)
        target.rename(records / spec["move"])
    for link, points_to in spec.get("symlink", {}).items():
        path = records / link
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        path.symlink_to(points_to.replace("{outside}", str(outside)))
    if "redirects" in spec:
        (records / "redirects.json").write_bytes(_dump(spec["redirects"]))
    if "source" in spec:
        with open(records / SOURCE, "a", encoding="utf-8") as handle:
            handle.write(spec["source"] + "\n")
    _name_every_mention(records)
    return records


def _name_every_mention(records: Path) -> None:
    """Append to each article's snapshot the name of each entity it mentions that the
    snapshot no longer names, and each scenario's wording it does not hold (a case changed
    them): the cases are about hostile text, not about `identification-missing` or
    `wording-missing`, and lines appended to a snapshot move no position in a record."""
    for article in sorted((records / "articles").glob("*.json")):
        source = records / "sources" / f"{article.stem}.txt"
        try:
            data = json.loads(article.read_text(encoding="utf-8"))
            text = source.read_text(encoding="utf-8")
        except (OSError, ValueError, RecursionError):
            continue  # a case about a broken file: nothing to add
        if not isinstance(data, dict):
            continue
        snapshot, missing = Snapshot(text), []
        for section in ("actors", "places", "weapon_systems"):
            for mention in data.get(section) or []:
                entity = records / "entities" / f"{mention.get('entity')}.json"
                if "identification" in mention or not entity.is_file():
                    continue
                try:
                    names = names_of(json.loads(entity.read_text(encoding="utf-8")))
                except (OSError, ValueError, KeyError, TypeError, RecursionError):
                    continue
                if not any(isinstance(n, str) and snapshot.mentions_name(n) for n in names):
                    missing.append(names[0])
        for scenario in data.get("scenarios") or []:
            wording = (scenario.get("likelihood") or {}).get("wording")
            if isinstance(wording, str) and not snapshot.count(normalise(wording).strip()):
                missing.append(wording)
        lines = [f"Also: {text}.\n" for text in missing if isinstance(text, str)]
        with open(source, "a", encoding="utf-8") as handle:
            for line in lines:
                with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate: left out
                    handle.write(line)


def test_corpus_files_are_well_formed() -> None:
    assert len(CASES) >= 150
    seen: set[str] = set()
    for case in CASES:
        spec = case.spec
        assert set(spec) <= CASE_KEYS, (case.id, set(spec) - CASE_KEYS)
        assert case.id not in seen, f"two cases share the description {case.id}"
        seen.add(case.id)
        assert (BASE / case.file).is_file() or "raw" in spec, case.id
        if case.valid:
            assert set(spec) <= {
                "description",
                "file",
                "record",
                "source",
                "shown",
                "csv",
                "expect",
                "warnings",
            }, f"{case.id}: a valid case may only patch the record and append to the source"
            assert case.ops, case.id
            for row in case.warnings:
                assert CODES[row["code"]].severity is Severity.WARNING, (case.id, row["code"])
                assert set(row) <= {"code", "file", "pointer"}, case.id
        else:
            assert isinstance(spec["expect"], list) and spec["expect"], case.id
            for row in spec["expect"]:
                assert row["code"] in CODES, (case.id, row["code"])
                assert set(row) <= {"code", "file", "pointer", "line", "col"}, case.id


def test_every_threat_row_has_cases() -> None:
    """Each bullet of SECURITY.md that concerns record input is named by some group."""
    threats = {c.threat for c in CASES}
    for row in (
        "front matter",
        "raw HTML",
        "reference definitions",
        "abbreviation",
        "snippets",
        "attr_list",
        "backslash",
        "quadratic",
        "JSON-LD",
        "Jinja",
        "CSV",
        "re.fullmatch",
        "Reserve IDs",
        "symlinks",
        "collisions",
        "NaN",
        "duplicate keys",
        "BOM",
        "surrogate",
        "RecursionError",
        "lax mode",
        "javascript:",
        "user info",
        "I-JSON",
        "Unicode controls",
        "cycles",
    ):
        assert any(row.lower() in t.lower() for t in threats), row


def test_base_tree_is_valid() -> None:
    report = validate_paths([BASE])
    assert [f"{f.file}:{f.line}:{f.col} {f.code} {f.message}" for f in report.findings] == []


# --- cases that must be refused -------------------------------------------------------------


def _relative(finding: Finding, records: Path) -> str:
    path = Path(finding.file)
    if not path.is_absolute():
        path = Path.cwd() / path
    try:
        return path.relative_to(records).as_posix()
    except ValueError:
        return path.as_posix()


def _check_position(case: Case, finding: Finding, records: Path) -> None:
    """The finding's line:col lies inside its file and, for a pointer, at that key or item."""
    where = f"{case.id}: {finding.code} at {finding.line}:{finding.col} {finding.pointer}"
    path = records / _relative(finding, records)
    if finding.line == 0:
        assert finding.col == 0, where
        assert CODES[finding.code].layer in FILE_LEVEL, f"{where}: a whole-file finding"
        return
    if path.is_symlink() or not path.is_file():
        pytest.fail(f"{where}: a position in a file that cannot be read")
    text = path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = text.split("\n")
    assert 1 <= finding.line <= len(lines), where
    assert 1 <= finding.col <= len(lines[finding.line - 1]) + 1, where
    if not finding.pointer or finding.code.startswith("json-"):
        return
    try:
        data = json.loads(text)
    except ValueError:
        return
    tokens = _tokens(finding.pointer)
    parent: Any = data
    for token in tokens[:-1]:
        parent = parent[int(token)] if isinstance(parent, list) else parent.get(token, {})
    rest = lines[finding.line - 1][finding.col - 1 :]
    if isinstance(parent, dict):
        key = tokens[-1]
        written = {json.dumps(key, ensure_ascii=False), json.dumps(key)}
        assert any(rest.startswith(w) for w in written), f"{where}: points at {rest[:30]!r}"
    elif isinstance(parent, list) and int(tokens[-1]) < len(parent):
        first = json.dumps(parent[int(tokens[-1])], ensure_ascii=False)[:1]
        assert rest[:1] == first, f"{where}: points at {rest[:30]!r}"


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.id)
def test_hostile_input_gives_exactly_its_findings(case: Case, tmp_path: Path) -> None:
    records = materialise(case, tmp_path)
    report = validate_paths([records])
    # (code, file, pointer) as a set: a value that breaks two rules of one kind (a URL's pattern
    # and its format) may give two messages with the same code at the same place
    found = sorted({(f.code, _relative(f, records), f.pointer) for f in report.findings})
    rows = case.spec["expect"]
    default = case.spec.get("move", case.file)
    expected = sorted({(r["code"], r.get("file", default), r.get("pointer", "")) for r in rows})
    assert found == expected, "\n".join(
        f"{f.file}:{f.line}:{f.col} {f.code} {f.pointer} {f.message}" for f in report.findings
    )
    for row in rows:
        if "line" in row:
            at = {
                (f.line, f.col)
                for f in report.findings
                if (f.code, f.pointer) == (row["code"], row.get("pointer", ""))
            }
            assert (row["line"], row["col"]) in at, (row, at)
    for finding in report.findings:
        assert finding.message and finding.hint, finding
        _check_position(case, finding, records)
        shown = f"{finding.file} {finding.message} {finding.hint}"
        assert SECRET not in shown, f"a finding echoes a symlink target's bytes: {shown}"
        # a file name or text cannot forge report lines or send terminal escapes
        text = render_text([finding])
        # splitlines(): U+2028, U+2029, \x85… are line breaks to viewers as \n is
        lines = text.splitlines()
        assert len(lines) == 2 + bool(finding.hint), f"extra lines in the report: {text!r}"
        for format in ("text", "json", "github"):  # valid UTF-8 whatever the file name
            REPORTERS[format]([finding], False).encode("utf-8")
        assert not [c for c in text if unicodedata.category(c) == "Cc" and c != "\n"], (
            f"a control character would reach the terminal: {text!r}"
        )


@pytest.mark.parametrize("case", VALID, ids=lambda c: c.id)
def test_valid_hostile_text_passes_validation(case: Case, tmp_path: Path) -> None:
    records = materialise(case, tmp_path)
    report = validate_paths([records])
    assert [f"{f.file}:{f.line}:{f.col} {f.code} {f.message}" for f in report.errors] == []
    # a valid case gives exactly the warnings it lists
    warned = sorted({(f.code, _relative(f, records), f.pointer) for f in report.findings})
    assert warned == case.warned(), [f"{f.code} {f.pointer} {f.message}" for f in report.findings]
    for finding in report.findings:
        _check_position(case, finding, records)
    # what the fast path accepts, the strict models accept too (the build relies on it)
    assert report.corpus is not None
    articles, entities = models_of(report.corpus)  # raises if the models refuse a record
    assert len(articles) + len(entities) == len(report.corpus.records)


def test_fast_and_detailed_validation_agree_on_every_case(tmp_path: Path) -> None:
    differ = []
    for index, case in enumerate(INVALID):  # valid cases: the test above holds them to []
        if "symlink" in case.spec:
            continue
        records = materialise(case, tmp_path / str(index))
        try:
            fast = validate_paths([records], fast=True).findings
            detailed = validate_paths([records], fast=False).findings
        except Exception as exc:  # reported by test_hostile_input_gives_exactly_its_findings
            differ.append(f"{case.id}: raised {exc!r:.80}")
            continue
        if fast != detailed:
            differ.append(
                f"{case.id}: fast {[f.code for f in fast]} detailed {[f.code for f in detailed]}"
            )
    assert differ == []


SUITE = REPO.parent / "shared" / "jsontestsuite" / "test_parsing"


def test_jsontestsuite_n_cases_give_findings_through_the_validator(tmp_path: Path) -> None:
    """tests/test_load.py runs the JSONTestSuite at the loader; here every `n_` file sits in a
    records tree as an entity, and the whole validator must report a JSON finding for each, at a
    position inside the file, without raising."""
    cases = sorted(SUITE.glob("n_*.json")) if SUITE.is_dir() else []
    if not cases:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"JSONTestSuite missing at {SUITE}")
        pytest.skip(f"JSONTestSuite not found beside the repository ({SUITE})")
    records = tmp_path / "records"
    shutil.copytree(BASE, records)
    names = {}
    for index, path in enumerate(cases):
        target = records / "entities" / f"n-{index}.json"
        target.write_bytes(path.read_bytes())
        names[f"entities/n-{index}.json"] = path.stem
    report = validate_paths([records])
    by_file: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_file.setdefault(_relative(finding, records), []).append(finding)
    missing = [
        names[f] for f in names if not any(x.code.startswith("json-") for x in by_file.get(f, []))
    ]
    assert missing == [], missing
    for file, findings in by_file.items():
        if file in names:
            text = (records / file).read_bytes().decode("utf-8", errors="replace")
            lines = text.removeprefix("\ufeff").split("\n")
            for f in findings:
                assert f.line == 0 or 1 <= f.line <= len(lines), (names[file], f)


# --- valid hostile text, all built into one site --------------------------------------------


@dataclass
class Copy:
    """One copy of the base tree in the combined site, holding the cases whose edits fit."""

    index: int
    claims: set[tuple[str, str]] = field(default_factory=set)
    cases: list[Case] = field(default_factory=list)

    def suffix(self, record_id: str) -> str:
        return f"{record_id}-h{self.index}"


def _claims(case: Case) -> set[tuple[str, str]]:
    claims = set()
    for op in case.ops:
        tokens = _tokens(op["path"])
        if tokens and (tokens[-1] == "-" or (op["op"] == "add" and tokens[-1].isdigit())):
            tokens = tokens[:-1]
        claims.add((case.file, "/" + "/".join(tokens)))
    if "source" in case.spec:  # one appended snapshot text per copy keeps every quote unique
        claims.add((SOURCE, ""))
    return claims


def _conflict(a: set[tuple[str, str]], b: set[tuple[str, str]]) -> bool:
    return any(
        fa == fb and (pa == pb or pa.startswith(pb + "/") or pb.startswith(pa + "/"))
        for fa, pa in a
        for fb, pb in b
    )


def pack(cases: list[Case]) -> list[Copy]:
    copies: list[Copy] = []
    for case in cases:
        claims = _claims(case)
        home = next((c for c in copies if not _conflict(claims, c.claims)), None)
        if home is None:
            home = Copy(len(copies) + 1)
            copies.append(home)
        home.claims |= claims
        home.cases.append(case)
    return copies


def combined_tree(copies: list[Copy], records: Path) -> None:
    """The base tree (unchanged) plus one renamed copy per `Copy` with its cases applied."""
    shutil.copytree(BASE, records)
    ids = _base_ids()
    for home in copies:
        names = {i: home.suffix(i) for i in ids}
        files: dict[str, Any] = {
            p.relative_to(BASE).as_posix(): json.loads(p.read_text("utf-8"))
            for p in sorted(BASE.glob("*/*.json"))
        }
        source = (BASE / SOURCE).read_text(encoding="utf-8")
        for case in home.cases:
            files[case.file] = _apply(files[case.file], case.ops)
            if "source" in case.spec:
                source += case.spec["source"] + "\n"
        for relative, data in files.items():
            data = _rename(data, names)
            if relative.startswith("entities/"):
                data.setdefault("disambiguation", f"Copy {home.index} of the base entity.")
            folder, name = relative.split("/")
            (records / folder / f"{names[name[:-5]]}.json").write_bytes(_dump(data))
        (records / "sources" / f"{names['spear-strikes']}.txt").write_text(source, "utf-8")
    _name_every_mention(records)
    for path in sorted((records / "entities").glob("*.json")):  # names repeat across copies
        data = json.loads(path.read_text("utf-8"))
        if "disambiguation" not in data:
            data["disambiguation"] = "The base entity."
            path.write_bytes(_dump(data))


def _page(relative_record: str, record_id: str) -> str:
    folder = relative_record.split("/")[0]
    return f"{folder}/{record_id}/index.html"


@dataclass
class Site:
    out: Path
    copies: list[Copy]
    where: dict[str, tuple[Copy, str]]  # case id → (its copy, the page of its record)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("hostile-site")
    copies = pack(VALID)
    records = root / "records"
    combined_tree(copies, records)
    result = build(make_project(root), records, root / "out")
    problems = [
        f"{f.file}:{f.line}:{f.col} {f.code} {f.message}"
        for f in result.report.findings
        if f.code != "mention-unreferenced"  # copies name each other's entities
        and f.code not in WARNED  # each case's warnings: held by the test above
    ]
    assert problems == []
    assert result.mkdocs is not None and result.ok, result.mkdocs.output if result.mkdocs else ""
    assert result.mkdocs.problems == [], result.mkdocs.output
    where = {
        case.id: (home, _page(case.file, home.suffix(Path(case.file).stem)))
        for home in copies
        for case in home.cases
    }
    return Site(root / "out", copies, where)


class Page(HTMLParser):
    """Start tags with attributes, visible text, <title>, and the inline scripts of a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None], bool]] = []  # tag, attrs, in <article>
        self.chunks: list[str] = []
        self.title = ""
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._stack: list[str] = []
        self._article = 0
        self._script: dict[str, str | None] | None = None
        self._in_title = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs), self._article > 0))
        if tag == "article":
            self._article += 1
        if tag in ("script", "style"):
            self._script = dict(attrs) if tag == "script" else {"type": "style"}
            self.scripts.append((self._script, ""))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article -= 1
        if tag in ("script", "style"):
            self._script = None
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
            return
        if self._in_title:
            self.title += data
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return _norm("".join(self.chunks))

    def jsonld(self) -> list[Any]:
        return [
            json.loads(body)
            for attrs, body in self.scripts
            if attrs.get("type") == "application/ld+json"
        ]


def _norm(text: str) -> str:
    """Text as a page shows it: white space runs as one space, no control characters."""
    text = text.replace("\u2060", "")  # the word joiner pages/escape.py puts after "<" in headings
    text = " ".join(re.sub(r"\s+", " ", text).split())
    return "".join(c for c in text if unicodedata.category(c) != "Cc")


def _pages(out: Path) -> dict[str, Page]:
    return {
        p.relative_to(out).as_posix(): Page(p.read_text(encoding="utf-8"))
        for p in sorted(out.rglob("*.html"))
    }


@pytest.fixture(scope="module")
def pages(site: Site) -> dict[str, Page]:
    return _pages(site.out)


def _shown(case: Case) -> list[str]:
    if "shown" in case.spec:
        return list(case.spec["shown"])
    return [s for op in case.ops for s in _strings(_expand(op.get("value")))]


@pytest.mark.parametrize("case", VALID, ids=lambda c: c.id)
def test_valid_hostile_text_shows_literally(case: Case, site: Site, pages: dict[str, Page]) -> None:
    _, page_path = site.where[case.id]
    page = pages[page_path]
    text = page.text
    for literal in _shown(case):
        assert _norm(literal) in text, f"{page_path} does not show {literal!r}"


#: Fields whose text the JSON-LD carries as it is.
_JSONLD_FIELDS = re.compile(r"^/(name|description|aliases/\d+|source/title)$")


@pytest.mark.parametrize(
    "case",
    [c for c in VALID if any(_JSONLD_FIELDS.search(op["path"]) for op in c.ops)],
    ids=lambda c: c.id,
)
def test_valid_hostile_text_survives_json_ld(
    case: Case, site: Site, pages: dict[str, Page]
) -> None:
    """The page's JSON-LD parses, and gives back the record's text exactly."""
    _, page_path = site.where[case.id]
    blocks = pages[page_path].jsonld()
    assert len(blocks) == 1, page_path
    values = set(_strings(blocks[0]))
    for op in case.ops:
        if _JSONLD_FIELDS.search(op["path"]):
            for literal in _strings(_expand(op["value"])):
                assert any(literal in v for v in values), (page_path, literal)


def _holds(published: Any, written: Any) -> bool:
    """`published` says everything `written` says (it may add the empty lists the record left
    out: the published shape is normalised)."""
    if isinstance(written, dict):
        return isinstance(published, dict) and all(
            k in published and _holds(published[k], v) for k, v in written.items()
        )
    if isinstance(written, list):
        return (
            isinstance(published, list)
            and len(published) == len(written)
            and all(_holds(p, w) for p, w in zip(published, written, strict=True))
        )
    return type(published) is type(written) and published == written


def test_published_json_keeps_every_record_exactly(site: Site) -> None:
    """api/v1/<kind>/<id>.json carries the record as written, hostile text and all."""
    records = {p.stem: p for p in (site.out.parent / "records").glob("*/*.json")}
    for kind in ("articles", "entities"):
        for path in sorted((site.out / "api/v1" / kind).glob("*.json")):
            published = json.loads(path.read_bytes())["record"]
            written = json.loads(records[path.stem].read_bytes())
            written.pop("$schema", None)
            assert _holds(published, written), path.name


#: Tags a record could try to inject. The theme's own are found on the pages of the base copy.
DANGEROUS_TAGS = {
    "script",
    "style",
    "img",
    "iframe",
    "frame",
    "object",
    "embed",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "base",
    "link",
    "meta",
    "abbr",
    "sup",
    "b",
    "i",
    "u",
    "video",
    "audio",
    "source",
    "details",
    "template",
    "marquee",
    "table",
    "hr",
    "h4",
    "h5",
    "h6",
    "pre",
    "code",
    "em",
    "del",
    "ins",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcdoc"}


def test_no_page_holds_injected_markup(site: Site, pages: dict[str, Page]) -> None:
    """No `on*` attribute, no `javascript:` link, no script but the theme's and the JSON-LD, and
    inside <article> no tag the pages of the unmodified base tree do not have."""
    base_pages = {p: page for p, page in pages.items() if not re.search(r"-h\d+/", p)}
    theme_scripts = {
        body
        for page in base_pages.values()
        for attrs, body in page.scripts
        if attrs.get("type") != "application/ld+json"
    }
    article_tags = {tag for page in base_pages.values() for tag, _, inside in page.tags if inside}
    forbidden = DANGEROUS_TAGS - article_tags
    assert len(pages) > 2 * len(site.copies)
    for path, page in pages.items():
        for tag, attrs, inside in page.tags:
            where = f"{path}: <{tag} {attrs}>"
            assert not any(name.startswith("on") for name in attrs), where
            for name, value in attrs.items():
                value = re.sub(r"[\x00-\x20]", "", value or "").lower()
                if name in URL_ATTRIBUTES:
                    assert not value.startswith(("javascript:", "data:", "vbscript:")), where
                    # hostile links all point at evil.example; fragments are slugs of text
                    assert value.startswith("#") or "evil" not in value, where
                if name == "class":
                    assert "pwn" not in value, where
            if inside:
                assert tag not in forbidden, where
            if tag == "script" and "src" in attrs:
                # the theme's scripts, the site's search and the scenario tracker's
                # (docs/javascripts/search.js, scenarios.js)
                src = str(attrs["src"])
                assert "assets/javascripts/" in src or src.endswith(
                    ("javascripts/search.js", "javascripts/scenarios.js")
                ), where
        inline = [(a, body) for a, body in page.scripts if "src" not in a]
        for attrs, body in inline:
            if attrs.get("type") == "application/ld+json":
                continue
            assert body in theme_scripts, f"{path}: a script the theme did not write: {body[:80]}"
        assert len(page.jsonld()) <= 1, path


def test_page_titles_hold_no_markup(site: Site) -> None:
    """<title> is text to the end tag: its HTML holds no `</` (pages/escape.py puts a word joiner
    after every `<` of a heading, because Material's `striptags` decodes `&#60;` again)."""
    for path in sorted(site.out.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        title = html.split("<title>", 1)[1].split("</title>", 1)[0]
        assert "</" not in title, (path, title)
        assert not re.search(r"<[^\u2060]", title), (path, title)


@pytest.mark.parametrize(
    "case",
    [c for c in VALID if any(op["path"] in ("/name", "/source/title") for op in c.ops)],
    ids=lambda c: c.id,
)
def test_page_title_shows_the_name_literally(
    case: Case, site: Site, pages: dict[str, Page]
) -> None:
    """The browser tab shows the record's name or title as written (Material's `striptags`
    decodes character references once: they must survive it)."""
    _, page_path = site.where[case.id]
    title = _norm(pages[page_path].title)
    for op in case.ops:
        if op["path"] in ("/name", "/source/title"):
            literal = _norm(_expand(op["value"]))
            assert title.startswith(literal), (page_path, literal, title)


def test_statements_csv_has_no_formula_cell(site: Site) -> None:
    # Read as a CSV reader must (newline=""): universal newlines would turn a quoted \r into \n.
    raw = (site.out / "api/v1/statements.csv").read_bytes().decode("utf-8")
    cells = [cell for row in csv.reader(io.StringIO(raw, newline="")) for cell in row]
    danger = [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert danger == []
    for case in VALID:
        for cell in case.spec.get("csv", []):
            assert cell in cells, f"{case.id}: the CSV has no cell {cell!r}"


# --- the browser ----------------------------------------------------------------------------


@pytest.mark.browser
def test_hostile_pages_run_nothing_in_the_browser(site: Site) -> None:
    """Every page of every copy opened in Chromium: no dialog, no injected handler or link, and
    each case's text in the rendered article."""
    sync_api = need_playwright()
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=site.out))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    dialogs: list[str] = []
    problems: list[str] = []
    server = f"http://127.0.0.1:{httpd.server_port}/"
    # every copy's article page (it names every entity of the copy) and the entity pages of the
    # cases that change more than a name
    by_page: dict[str, list[Case]] = {
        f"articles/{home.suffix('spear-strikes')}/index.html": [] for home in site.copies
    }
    for case in VALID:
        page = site.where[case.id][1]
        active = any(m in s for s in _shown(case) for m in ("<", "javascript", "evil", "{"))
        if page in by_page or (active and any(op["path"] != "/name" for op in case.ops)):
            by_page.setdefault(page, []).append(case)
    probe = """() => {
        const bad = [];
        const urls = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster'];
        for (const el of document.querySelectorAll('*')) {
            for (const a of el.attributes) {
                const v = a.value.replace(/[\\x00-\\x20]/g, '').toLowerCase();
                const where = el.tagName + ' ' + a.name + '=' + v;
                if (a.name.startsWith('on')) bad.push(where);
                if (urls.includes(a.name) && (/^(javascript|data|vbscript):/.test(v)
                        || v.split('#')[0].includes('evil'))) bad.push(where);
                if (a.name === 'class' && v.includes('pwn')) bad.push(where);
            }
        }
        return {bad, text: document.querySelector('article').innerText};
    }"""
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            tab = browser.new_page()

            def on_dialog(dialog: Any) -> None:
                dialogs.append(f"{tab.url}: {dialog.message}")
                dialog.dismiss()

            tab.on("dialog", on_dialog)
            for path in [*sorted(by_page), "index.html", "timeline/index.html"]:
                tab.goto(server + path.removesuffix("index.html"), wait_until="domcontentloaded")
                result = tab.evaluate(probe)
                problems += [f"{path}: {b}" for b in result["bad"]]
                shown = _norm(result["text"])
                for case in by_page.get(path, []):
                    problems += [
                        f"{path}: {case.id} not shown: {literal!r}"
                        for literal in _shown(case)
                        if _norm(literal) not in shown
                    ]
            # Pagefind's UI renders titles and excerpts of the index as HTML: search for the
            # payloads and let the results render
            for query in ("fictional", "Spear"):
                tab.goto(server, wait_until="load")
                tab.keyboard.press("/")
                search = tab.locator(".pagefind-ui__search-input")
                search.press_sequentially(query, delay=10)
                tab.locator(".pagefind-ui__result").first.wait_for(timeout=15_000)
                tab.wait_for_timeout(300)
                result = tab.evaluate(
                    probe.replace("document.querySelector('article')", "document.body")
                )
                # Pagefind's own search form (its markup, the same on every site) submits nowhere
                ui = "FORM action=javascript:void(0);"
                problems += [f"search {query!r}: {b}" for b in result["bad"] if b != ui]
            browser.close()
    finally:
        httpd.shutdown()
        thread.join()
    assert dialogs == [], dialogs
    assert problems == [], problems[:20]
