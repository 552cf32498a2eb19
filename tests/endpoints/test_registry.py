"""The endpoint registry: each endpoint registered once, shared scenarios reused for each, calls routed."""

from __future__ import annotations

from types import SimpleNamespace

from altcraft_contract import endpoints
from altcraft_contract.checks.all import REGISTRY, per_exchange
from altcraft_contract.checks.failures import Status
from altcraft_contract.contract import clauses
from altcraft_contract.contract.calls import Call, Expect
from altcraft_contract.run import session
from altcraft_contract.run.runner import run_scenario
from altcraft_contract.scenarios.all import all_scenarios
from altcraft_contract.wire.client import Exchange


def test_paths_name_their_endpoint_and_unknown_paths_read_as_get_counter() -> None:
    assert endpoints.by_path("/api/v1.1/relations/get/") is endpoints.GET
    assert endpoints.by_path("/api/v1.1/relations/get_counter?format=xml") is endpoints.GET_COUNTER
    assert endpoints.by_path("/api/v1.1/relations/nope") is endpoints.GET_COUNTER


def test_every_shared_scenario_runs_once_per_endpoint_with_unique_ids() -> None:
    scenarios = all_scenarios()
    ids = [s.id for s in scenarios]
    assert len(ids) == len(set(ids))
    shared = [s for s in scenarios if s.shared]
    for name in endpoints.READS:
        assert sorted(s.title for s in shared if s.endpoint == name) == \
            sorted(s.title for s in shared if s.endpoint == "get_counter")
    assert {s.clause[0] for s in scenarios if not s.shared} == {"C", "W", "S"}
    assert not any(s.endpoint in endpoints.WRITES for s in shared)  # no read probe goes to a write path


def test_a_shared_scenario_s_calls_go_to_its_endpoint_and_other_paths_stay() -> None:
    call, odd = Call.of({"rel_id": 3}), Call.of({"rel_id": 3}, path="/api/v1.1/relations/unknown")
    token = session.ENDPOINT.set("get")
    try:
        assert session.routed(call).path == endpoints.GET.path
        assert session.routed(odd).path == odd.path
    finally:
        session.ENDPOINT.reset(token)
    assert session.routed(call).path == endpoints.GET_COUNTER.path


def test_checks_of_an_endpoint_s_clauses_are_that_endpoint_s() -> None:
    per_exchange()
    owners = {c.name: clauses.get(c.clause).endpoint for c in REGISTRY.values() if c.clause != "*"}
    assert owners["profile_xxh_is_xxhash64"] == "get_counter" and owners["link_fields_and_hashes"] == "get"
    assert owners["answer_is_an_envelope"] is None


class _Deployment:
    """A client for a deployment that has get_counter and answers ``other`` on every other path."""

    def __init__(self, other: tuple[int, dict[str, object]]) -> None:
        self.other = other
        self.sent: list[str] = []

    def send(self, call: Call, expect: Expect) -> Exchange:
        self.sent.append(call.path)
        status, env = (200, {"error": 0, "error_text": "Successful operation", "data": {}}) \
            if call.path == endpoints.GET_COUNTER.path else self.other
        return Exchange(call, expect, "http://x" + call.path, {}, "", "", status=status, envelope=env)


def _session(other: tuple[int, dict[str, object]]) -> session.Session:
    target = SimpleNamespace(rel_id=3, profiles=[SimpleNamespace(profile_id="a" * 24)])
    return session.Session(target, _Deployment(other))  # type: ignore[arg-type]


def test_an_endpoint_answering_404_where_get_counter_finds_the_profile_is_one_not_available_verdict() -> None:
    s = _session((404, {"error": 404, "error_text": "Unknown method"}))
    why = s.availability("get")
    assert why and "not available" in why and s.availability("get") == why
    assert s.client.sent == [endpoints.GET_COUNTER.path, endpoints.GET.path]  # probed once per run
    reused = next(sc for sc in all_scenarios() if sc.endpoint == "get")
    out = run_scenario(reused, s)
    assert out.status is Status.NOT_RUN and out.reason == why
    assert s.availability("get_counter") is None


def test_an_endpoint_that_answers_is_available_even_with_errors() -> None:
    assert _session((200, {"error": 400, "error_text": "Incorrect request"})).availability("get") is None


def test_undocumented_fields_of_links_and_write_answers_are_listed_never_failed() -> None:
    from altcraft_contract.run.build import build_run

    run = build_run(transport="inprocess", variant="extra-fields", hypothesis_profile="quick", seed=0,
                    check_reachable=False, writes=True)
    try:
        outs = [run_scenario(s, run.session) for s in all_scenarios()
                if s.clause[0] in "CWS" or (s.endpoint == "get" and s.clause == "M2")]
        assert all(o.status is Status.PASSED for o in outs), [(o.scenario.id, o.reason) for o in outs if o.failures]
        notes = set(run.session.tally.notes)
        assert {"relations/get $.data[].created_at", "relations/get $.request_id",
                "relations/edit $.request_id"} <= notes, notes
    finally:
        run.close()
