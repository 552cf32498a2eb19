"""A pytest plugin for one self-test: every schemathesis case raises a Hypothesis error, as if the
tool stopped on itself (a health check), to show such an error is not filed against the target."""

from __future__ import annotations

from typing import Any

import pytest


def pytest_configure(config: pytest.Config) -> None:
    from hypothesis.errors import FailedHealthCheck

    from altcraft_contract.frontends import st_checks

    def stop(case: Any, run: Any, key: str) -> None:
        raise FailedHealthCheck("the tool stopped on itself (st_stops)")

    st_checks.send_case = stop  # type: ignore[assignment]
