"""What several test modules share.

- ``pytest.mark.browser``: a module whose tests open a report in headless Chromium
  (tests/browser_check.py) sets ``pytestmark = pytest.mark.browser``; without a Chromium its
  tests are skipped and their fixtures never built. CI installs it: ``apt-get install -y chromium``.
- ``tiny_sweep``: the tiny scenario with a sweep.toml (docs/sweep.md), copied once per module.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_check import find_browser
from scenario_factory import SWEEP_TOML, tiny_copy


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: opens a report in headless Chromium")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if find_browser() is not None:
        return
    skip = pytest.mark.skip(
        reason="Chromium is not installed (apt-get install -y chromium); CI installs it and runs these tests"
    )
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="module")
def tiny_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_copy(tmp_path_factory.mktemp("sweep"), files={"sweep.toml": SWEEP_TOML})
