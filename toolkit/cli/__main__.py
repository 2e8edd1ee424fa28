"""`python -m toolkit.cli`: the `stratlas` program."""

from toolkit.cli import main

main()
