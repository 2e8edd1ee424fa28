# Types of toolkit/_native.c (see its opening comment).

NEEDS_REFERENCES: int
NEEDS_EVIDENCE: int
NEEDS_DATES: int

class ArticleScan:
    def __init__(
        self,
        patterns: list[tuple[tuple[str | None, ...], int]],
        shapes: list[tuple[int, tuple[tuple[str, int, bool], ...]]],
        kinds: dict[str, int],
        redirects: dict[str, str],
    ) -> None: ...
    def scan(self, article: object, snapshot: str | None) -> tuple[int, set[str], list[str]]: ...

class NameTable:
    def __init__(
        self, keys: list[str], entries: list[list[tuple[str, tuple[int, str]]]] = ...
    ) -> None: ...
    def find(self, text: str) -> list[int]: ...
    def best(self, text: str) -> tuple[dict[str, tuple[int, str]], list[int]]: ...

def json_facts(
    raw: bytes, data: object, prefixes: tuple[str, ...]
) -> tuple[bool, bool, bool] | None: ...
def straighten_collapse(text: str) -> str: ...
