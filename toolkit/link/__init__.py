"""The link stage: a validated corpus → the entity graph (`build_graph`), and what its links
mean in words (`toolkit.link.describe`)."""

from toolkit.link.graph import Backlink, Graph, build_graph, models_of

__all__ = ["Backlink", "Graph", "build_graph", "models_of"]
