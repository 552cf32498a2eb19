"""Every fault in the catalogue is caught, by its own clause and by no clause it does not declare;
every conformance variant passes (no false positives)."""

from __future__ import annotations

import pytest

from altcraft_contract.checks.all import REGISTRY, per_exchange
from altcraft_contract.contract import clauses
from altcraft_contract.frontends.mutation import check_variant, score_fault
from altcraft_contract.reference import catalogue, variants


@pytest.mark.parametrize("name", sorted(catalogue.catalogue()))
def test_fault_is_caught_by_its_clause_only(name: str) -> None:
    result = score_fault(name)
    assert result.caught, f"{name} ({result.clause}) was not caught"
    assert result.precise, f"{name} also failed {sorted(result.clauses_failed - {result.clause})}"


@pytest.mark.parametrize("name", sorted(variants.VARIANTS))
def test_conformance_variant_passes(name: str) -> None:
    assert check_variant(name) == []


@pytest.mark.parametrize("api_version", ["v72"])
def test_v72_reference_passes_the_v72_contract(api_version: str) -> None:
    assert check_variant("strict", api_version) == []


def test_every_check_has_a_fault_that_only_it_catches() -> None:
    """With the precision test above: a fault that declares no companion clause is caught by its
    own check and by no other, so each check is shown to fire on its own."""
    per_exchange()
    covered = {f.clause for f in catalogue.catalogue().values() if not f.also}
    # D7 only lists fields (it never fails) and V72/V74 select the schema D5 uses. S3 is the suite's
    # own duty (restore), not a server's: test_writes_safety shows it fires when a restore fails, and
    # the faults a restore cannot undo declare it.
    uncaught = {c.clause for c in REGISTRY.values() if c.clause not in ("*", "D7", "S3")} - covered
    assert uncaught == set()


def test_every_clause_family_of_the_json_contract_has_faults() -> None:
    fams = {f.clause[0] for f in catalogue.catalogue().values()}
    assert {"T", "E", "D", "M", "R", "I", "X", "P", "G", "C", "W", "S"} <= fams
    assert all(f.clause in clauses.BY_ID for f in catalogue.catalogue().values())
