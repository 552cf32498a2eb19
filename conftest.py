"""Table of contents: the suite is a pytest plugin; contract_tests/ and tests/ use it."""

pytest_plugins = ["altcraft_contract.pytest_plugin"]
