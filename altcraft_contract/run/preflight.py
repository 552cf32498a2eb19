"""The preflight: before any scenario, one harmless read per selected read endpoint for each profile
the target file names (and the ``[writes]`` profile_a with --writes), with the real token.

A refused token or a profile the target does not know would otherwise fail a hundred scenarios and
read as if the platform broke; here each is one line (``TokenRefused``, ``IdentityUnknown``).
Anything else the reads show (no envelope, a 5xx, a tariff limit) is left to the scenarios, which
judge it by its clause: the preflight stops only on what a correct server never answers to a
correct target file. Its requests pass the run's gate and count in its budget.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .. import endpoints
from ..contract.calls import Call, Expect
from ..contract.target import Target
from ..errors import IdentityUnknown, TokenRefused
from ..wire.client import Client, Exchange
from ..wire.problems import NotRun
from ..wire.redact import cut, safe
from .session import transport_problem

REFUSED = frozenset({401, 403})
TARIFF_LIMIT = 402
TEXT_LIMIT = 120  # characters of the target's text in a one-line stop
SKIP_HINT = "run with --skip-preflight to see the contract failures"


@dataclass
class Read:
    """One preflight read as results.json keeps it (the target's text bounded, escaped, redacted)."""

    endpoint: str
    role: str  # "data" ([[data.profiles]]) or "writes" ([writes] profile_a)
    profile_id: str
    rel_id: int
    status: int | None = None
    error: Any = None
    error_text: str | None = None
    verdict: str = ""  # found, refused, not found, not available, unclear, transport


@dataclass
class Preflight:
    reads: list[Read] = field(default_factory=list)
    summary: str = ""
    cut_short: str | None = None  # the budget ran out part-way

    def as_dict(self) -> dict[str, Any]:
        return {"ran": True, "requests": len(self.reads), "summary": self.summary, "cut_short": self.cut_short,
                "reads": [asdict(r) for r in self.reads]}


def skipped(reason: str) -> dict[str, Any]:
    """The results.json entry of a run without a preflight."""
    return {"ran": False, "requests": 0, "summary": f"preflight skipped ({reason})", "cut_short": None, "reads": []}


def shown(text: Any, limit: int = TEXT_LIMIT) -> str:
    """Text from the target, fit for one line of ours: bounded, control characters escaped, redacted."""
    return safe(cut(str(text), limit), one_line=True)


def int_code(ex: Exchange) -> int | None:
    code = ex.error_code
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def verdict(ex: Exchange, endpoint: str) -> str:
    """What one read says about the token and the profile, as far as a correct server's answer can."""
    if transport_problem(ex) is not None:
        return "transport"
    code = int_code(ex)
    if ex.status in REFUSED or code in REFUSED:
        return "refused"
    if code == 0:
        return "found"
    if endpoint != endpoints.GET_COUNTER.name and (ex.status == 404 or code == 404):
        return "not available"  # the session's own probe reports it once (Session.availability)
    if code is not None and code != TARIFF_LIMIT and (ex.status or 0) < 500:
        return "not found"  # R5: a well-formed read that finds nothing
    return "unclear"


def read(client: Client, endpoint: str, rel_id: int, profile_id: str, role: str = "data") -> tuple[Read, Exchange]:
    """Ask ``endpoint`` for ``profile_id`` by profile_id (JSON, the token in the body)."""
    call = Call.of({"rel_id": rel_id, "matching": "profile_id", "profile_id": profile_id},
                   path=endpoints.get(endpoint).path)
    ex = client.send(call, Expect.anything("T1"))
    env = ex.envelope if isinstance(ex.envelope, dict) else {}
    error = env.get("error")
    if error is not None and not isinstance(error, int):  # a string or an object: shown, never trusted
        error = shown(error, 40)
    text = env["error_text"] if "error_text" in env else None if env else (ex.text or "")[:TEXT_LIMIT]
    return Read(endpoint, role, profile_id, rel_id, ex.status, error, None if text is None else shown(text),
                verdict(ex, endpoint)), ex


def answer_words(r: Read) -> str:
    """``HTTP 200, error 401 'API token required'`` (or what stood in for an envelope)."""
    if r.error is None:
        return f"HTTP {r.status} and no envelope ('{r.error_text or ''}')"
    return f"HTTP {r.status}, error {r.error} '{r.error_text or ''}'"


def refused(token_env: str, r: Read) -> TokenRefused:
    """The one line of a refused token: the variable, what the target answered, and to what."""
    path = endpoints.get(r.endpoint).path
    return TokenRefused(
        f"the target refused the token in {token_env}: {path} answered {answer_words(r)} to a well-formed "
        f"read of profile {r.profile_id} (rel_id {r.rel_id})",
        f"put a current API token of this deployment, allowed to read rel_id {r.rel_id}, in {token_env}")


def _ids(ids: list[str]) -> str:
    more = f" and {len(ids) - 3} more" if len(ids) > 3 else ""
    return ", ".join(ids[:3]) + more


def unknown(target: Target, pf: Preflight, judge: str) -> IdentityUnknown | None:
    """The profiles or the relation the reads did not find, as one line (None when all were found)."""
    where = target.source
    data = [r for r in pf.reads if r.endpoint == judge and r.role == "data"]
    lost = [r for r in data if r.verdict == "not found"]
    found = [r for r in data if r.verdict == "found"]
    hint = "check the {what} in the platform's UI; if {it} right, the platform's lookup is broken - " + SKIP_HINT
    if lost and found:
        ids = [r.profile_id for r in lost]
        return IdentityUnknown(
            f"{where}: the target does not know profile{'s' if len(ids) > 1 else ''} {_ids(ids)} of [[data.profiles]] "
            f"under rel_id {target.rel_id} ({answer_words(lost[0])}), while it finds the others",
            hint.format(what="id" if len(ids) == 1 else "ids", it="it is" if len(ids) == 1 else "they are"))
    if lost:
        return IdentityUnknown(
            f"{where}: the target finds none of the profiles of [[data.profiles]] under rel_id {target.rel_id} "
            f"({answer_words(lost[0])}): rel_id {target.rel_id} or the profile ids are unknown to it",
            hint.format(what="relation and the ids", it="they are"))
    w = next((r for r in pf.reads if r.endpoint == judge and r.role == "writes" and r.verdict == "not found"), None)
    if w is None:
        return None
    known_rel = w.rel_id == target.rel_id and bool(found)
    what = f"profile_a {w.profile_id}" if known_rel else f"profile_a {w.profile_id} or rel_id {w.rel_id}"
    return IdentityUnknown(f"{where}: the target does not know [writes] {what} ({answer_words(w)})",
                           hint.format(what="id" if known_rel else "relation and the id",
                                       it="it is" if known_rel else "they are"))


def summary(target: Target, pf: Preflight, names: list[str]) -> str:
    """The preflight as one line for the terminal and ``check``."""
    found = {r.profile_id for r in pf.reads if r.verdict == "found" and r.role == "data"}
    words = [f"preflight: {len(pf.reads)} read(s) with the token in {target.token_env}: accepted",
             f"{len(found)} of {len(target.profiles)} profile(s) found under rel_id {target.rel_id} "
             f"({', '.join('relations/' + n for n in names)})"]
    if any(r.role == "writes" and r.verdict == "found" for r in pf.reads):
        words.append("[writes] profile_a found")
    if any(r.verdict == "not available" for r in pf.reads):
        words.append("relations/get not available (the scenarios say so once)")
    left = sum(r.verdict in ("unclear", "transport") for r in pf.reads)
    if left:
        words.append(f"{left} answer(s) left to the scenarios to judge")
    if pf.cut_short:
        words.append(f"cut short: {pf.cut_short}")
    return "; ".join(words)


def check(client: Client, target: Target, selected: tuple[str, ...]) -> Preflight:
    """Run the preflight; raise TransportProblem if its first read gets no answer, TokenRefused or
    IdentityUnknown (each carrying ``.preflight``, the reads so far) to stop the run."""
    names = [n for n in endpoints.READS if n in selected] or [endpoints.GET_COUNTER.name]
    who = [("data", target.rel_id, p.profile_id) for p in target.profiles]
    if target.allow_writes and target.writes is not None:
        who.append(("writes", target.writes.rel_id, target.writes.profile_a))
    pf = Preflight()
    try:
        for role, rel_id, pid in who:
            for name in names:
                r, ex = read(client, name, rel_id, pid, role)
                pf.reads.append(r)
                problem = transport_problem(ex)
                if problem is not None and len(pf.reads) == 1:
                    raise problem
                if problem is not None:  # one is enough to wait for: the scenarios meet the rest and say so
                    raise NotRun(f"a transport problem ({shown(problem, 200)}): the scenarios report it")
                if r.verdict == "refused":  # the reads left would be refused too: spare the budget
                    raise _with(refused(target.token_env, r), pf)
    except NotRun as exc:  # the request budget, or the transport: what the preflight saw so far stands
        pf.cut_short = str(exc)
    stop = unknown(target, pf, names[0])
    if stop is not None:
        raise _with(stop, pf)
    pf.summary = summary(target, pf, names)
    return pf


def _with(err: TokenRefused | IdentityUnknown, pf: Preflight) -> TokenRefused | IdentityUnknown:
    pf.summary = f"preflight stopped the run: {err}"
    err.preflight = pf.as_dict()
    return err
