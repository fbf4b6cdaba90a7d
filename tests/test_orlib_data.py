"""The OR-Library files the tests and benchmarks solve live in the repository, unchanged.

``benchmarks/data/orlib-mknap`` holds copies of Beasley's OR-Library knapsack files with their
source in README.md and their SHA-256 sums in SHA256SUMS; a fresh clone must find every file the
loader reads, byte for byte as published, so no test is skipped or silently run on other data.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # `benchmarks` is a package at the repository root
    sys.path.insert(0, str(REPO))

from benchmarks import orlib  # noqa: E402

FOLDER = REPO / "benchmarks" / "data" / "orlib-mknap"
READ_BY_THE_LOADER = {"mknap1.txt", "mknap2.txt", "mknapcb1.txt", "mkcbres.txt"}


def published_sums() -> dict[str, str]:
    """file name -> SHA-256, from SHA256SUMS (``sha256sum`` output: digest, two spaces, name)."""
    sums = {}
    for line in (FOLDER / "SHA256SUMS").read_text(encoding="ascii").splitlines():
        digest, name = line.split(maxsplit=1)
        sums[name.lstrip("*")] = digest
    return sums


def test_loader_reads_the_copy_in_the_repository() -> None:
    assert orlib.default_folder() == FOLDER


def test_every_file_the_loader_reads_is_checksummed() -> None:
    assert set(published_sums()) == READ_BY_THE_LOADER


def test_files_match_their_checksums() -> None:
    for name, digest in published_sums().items():
        actual = hashlib.sha256((FOLDER / name).read_bytes()).hexdigest()
        assert actual == digest, f"{FOLDER / name} differs from SHA256SUMS (was it edited?)"


def test_readme_names_the_source_and_the_citation() -> None:
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    assert "http://people.brunel.ac.uk/~mastjjb/jeb/orlib/mknapinfo.html" in readme
    assert "Beasley (1990)" in readme
