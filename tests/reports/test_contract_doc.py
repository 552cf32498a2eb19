"""docs/CONTRACT.md is generated from the suite itself and must not drift from it."""

from __future__ import annotations

from altcraft_contract.contract import clauses
from altcraft_contract.reports import contract_doc


def test_contract_document_is_up_to_date() -> None:
    assert contract_doc.main(["--check"]) == 0, "run: python -m altcraft_contract.contract_doc"


def test_contract_document_names_every_clause_and_its_evidence() -> None:
    text = contract_doc.render()
    for c in clauses.CLAUSES:
        assert f"### {c.id} ({c.level}" in text
    d2 = text.split("### D2 ")[1].split("### ")[0]
    assert "`profile_xxh_is_xxhash64`" in d2 and "`xxh_seed_1`" in d2


def test_every_clause_states_its_rule_in_full() -> None:
    from altcraft_contract.contract.clause_text import RULES

    assert {c.id for c in clauses.CLAUSES} <= set(RULES)
    assert "xxHash64 (seed 0)" in contract_doc.render().split("### D2 ")[1].split("### ")[0]
