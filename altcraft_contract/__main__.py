"""``python -m altcraft_contract``: the ``altcraft-contract`` command (``frontends/cli.py``)."""

import sys

from .frontends.cli import main

if __name__ == "__main__":
    sys.exit(main())
