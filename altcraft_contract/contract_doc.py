"""``python -m altcraft_contract.contract_doc [--check]``: the documented name of the generator of
docs/CONTRACT.md (``reports/contract_doc.py``)."""

import sys

from .reports.contract_doc import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
