"""The load stage: bytes → Documents → Corpus (plain JSON data, no models).

`files` reads safely, `json` parses strictly, `positions` says where (line:col) a JSON
pointer is, `corpus` finds and loads a records tree. Every module here is cheap to import:
no pydantic, no JSON Schema.
"""

from toolkit.load.corpus import (
    Corpus,
    RecordFile,
    article_files,
    discover,
    display_path,
    find_records_root,
    folder_unreadable,
)
from toolkit.load.files import MAX_FILE_BYTES, file_digest, read_text_file
from toolkit.load.json import MAX_DEPTH, Document, load_document, load_json_bytes, strict_reload

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "Corpus",
    "Document",
    "RecordFile",
    "article_files",
    "discover",
    "display_path",
    "file_digest",
    "find_records_root",
    "folder_unreadable",
    "load_document",
    "load_json_bytes",
    "read_text_file",
    "strict_reload",
]
