"""The one writer of the site: generated pages into docs/generated/, then the mkdocs build.

`build` (build.py) reads as the pipeline: validate → link → pages + JSON export
(generate.py, through `toolkit.pipeline`) → write the files that changed into docs/generated/
and delete stale ones (sync.py) → `mkdocs build --strict` (mkdocs.py) into an output folder
checked and locked by output.py. `serve` previews with live reload.

Importing this package is cheap: records, models and exporters load when a function runs.
Note that `toolkit.site.build` and `toolkit.site.generate` name the functions re-exported
here; reach the modules of those names with `importlib.import_module("toolkit.site.build")`.
"""

from toolkit.errors import SiteError, UnsafeOutput
from toolkit.site.build import BuildResult, build
from toolkit.site.generate import generate, site_files, write_site
from toolkit.site.mkdocs import MkdocsRun, serve
from toolkit.site.output import GENERATED, MARKER, check_output
from toolkit.site.sync import SyncStats, sync_folder

__all__ = [
    "GENERATED",
    "MARKER",
    "BuildResult",
    "MkdocsRun",
    "SiteError",
    "SyncStats",
    "UnsafeOutput",
    "build",
    "check_output",
    "generate",
    "serve",
    "site_files",
    "sync_folder",
    "write_site",
]
