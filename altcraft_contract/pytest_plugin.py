"""The pytest plugin's stable name (the ``pytest11`` entry point and ``conftest.py`` name it, and
``-p no:altcraft_contract.pytest_plugin`` turns it off); the plugin is ``frontends/pytest_plugin.py``."""

pytest_plugins = ["altcraft_contract.frontends.pytest_plugin"]
