"""The link stage: a validated corpus → the entity graph (`build_graph`), and what its links
mean in words (`toolkit.link.describe`)."""

from toolkit.link.graph import (
    Backlink,
    CheckedFile,
    Graph,
    build_graph,
    build_graph_from_files,
    models_of,
)

__all__ = ["Backlink", "CheckedFile", "Graph", "build_graph", "build_graph_from_files", "models_of"]
