"""``python -m altcraft_contract.mutation``: the documented name of the mutation scorer
(``frontends/mutation.py``)."""

import sys

from .frontends.mutation import main

if __name__ == "__main__":
    sys.exit(main())
