"""``python -m optimizer.cli``: the same as the ``capplan`` command."""

from optimizer.cli import main

main()
