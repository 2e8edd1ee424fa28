"""What changed between two versions of the data, statement by statement (`stratlas diff`).

A statement is a row of `statements.csv` (record, entity, property, value, evidence…): the
smallest fact a downstream project stores. The diff of two graphs is the statements only the
new one has (added) and those only the old one has (removed); a changed value is one of each.
Rows are compared whole, with the values as the records give them (not neutralised for
spreadsheets), and come out sorted, so that the same two versions give the same diff.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from toolkit.export.records import Published, dumps
from toolkit.export.statements import STATEMENT_COLUMNS, statement_rows
from toolkit.link import Graph

__all__ = ["StatementDiff", "diff_statements"]

Statement = tuple[str, ...]


@dataclass(frozen=True)
class StatementDiff:
    added: list[Statement]
    removed: list[Statement]

    def lines(self) -> Iterator[str]:
        """The diff as text: `+`/`-`, then the row's cells tab-separated (tabs, carriage
        returns and newlines inside a cell written as \\t, \\r, \\n), removals first."""
        for mark, rows in (("-", self.removed), ("+", self.added)):
            for row in rows:
                yield mark + " " + "\t".join(map(_one_line, row))

    def jsonl(self) -> Iterator[bytes]:
        """The diff as JSON Lines: `{"op": "remove"|"add", <column>: <value>, …}`."""
        for op, rows in (("remove", self.removed), ("add", self.added)):
            for row in rows:
                yield dumps(
                    {"op": op, **dict(zip(STATEMENT_COLUMNS, row, strict=True))}, indent=False
                )


def diff_statements(old: Graph, new: Graph) -> StatementDiff:
    """The statements added and removed from `old` to `new` (a statement that appears twice in
    one version and once in the other counts once as changed)."""
    before, after = _counted(old), _counted(new)
    return StatementDiff(
        added=sorted((after - before).elements()), removed=sorted((before - after).elements())
    )


def _counted(graph: Graph) -> Counter[Statement]:
    return Counter(
        tuple(row[column] for column in STATEMENT_COLUMNS)
        for row in statement_rows(Published(graph))
    )


def _one_line(cell: str) -> str:
    return cell.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")
