"""A version of the records: a folder as it is, or the records folder at a git commit.

`stratlas diff OLD NEW` takes either. A git ref is read with `git archive` into a private
temporary folder (extracted with tarfile's "data" filter: no links or paths out of it), so that
neither the working tree nor the repository's index is touched.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from toolkit.errors import UsageError
from toolkit.load.git import find_git, git_text, work_tree

__all__ = ["records_version"]

#: A ref is handed to git as one argument after `--end-of-options`; these are refused before.
_REF_REFUSED = ("\0", "\n")


def records_version(version: str, records: Path, into: Path) -> Path:
    """The records folder `version` names: `version` itself when it is a folder, else the
    folder `records` (inside a git work tree) as it was at the commit `version`, written
    under `into`. Raises `UsageError` for anything else."""
    given = Path(version)
    if given.is_dir():
        return given
    if not version or any(c in version for c in _REF_REFUSED):
        raise UsageError(f"{version!r}: neither a folder nor a git ref")
    git = find_git()
    if git is None:
        raise UsageError(f"{version}: not a folder, and git is not installed to read it as a ref")
    folder = records if records.is_dir() else records.parent
    tree = work_tree(git, folder)
    if tree is None:
        raise UsageError(f"{records}: not in a git work tree")
    commit = git_text(
        git,
        folder,
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        f"{version}^{{commit}}",
    )
    if commit is None:
        raise UsageError(f"{version}: neither a folder nor a commit of {records}'s repository")
    path = tree.prefix + (records.name if not records.is_dir() else "")
    path = path.rstrip("/") or "."
    archive = subprocess.run(
        [git, "-C", str(tree.top), "archive", "--format=tar", commit.strip(), "--", path],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        raise UsageError(f"{version}: {records} did not exist at that commit")
    target = into / commit.strip()[:12]
    target.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target / path
