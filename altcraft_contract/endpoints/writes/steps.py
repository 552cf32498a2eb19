"""One write at a time, judged by what both reads show afterwards, and the restore (S3).

``Writer`` reads the links of ``[writes].profile_a`` before its first write, keeps the model's
prediction (model.py) up to date with every write the target accepted, and after each write reads
relations/get and get_counter: a link that differs from the prediction is the write's clause (W3
edit, W4 strengthen, W5 detach, W6 attach, W8 a repeat), a change after a refused write is W7 (S2
for a deliberately invalid one), any other link that changed and a C1-C4 disagreement between the
reads is S1 (W5 after a detach). Every failure carries the numbered steps so far, with each
request, answer and curl line, so the sequence can be replayed.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from typing import Any

from ...checks.all import REGISTRY
from ...checks.failures import ContractViolation, Failure
from ...contract import numbers
from ...contract.calls import Auth, Call, Expect, Format
from ...contract.target import WriteScope
from ...run.session import Session
from ...wire import gate
from ...wire.client import Exchange
from ...wire.problems import NotRun, TransportProblem
from ...wire.record import ExchangeRecord
from .. import GET, GET_COUNTER, get
from . import checks, model
from .model import State, Values

# Ids no deployment plausibly uses: S2's invalid writes name these, never a real profile or relation.
UNKNOWN_PROFILE_B = "ffffffffffffffffffff0000"
UNKNOWN_REL_ID = 2000000003
MAX_STEPS_SHOWN = 30
LOST_MARK = "writes-restore-failed"  # in the run's private directory: a restore failed in some process


@dataclass
class Step:
    n: int
    what: str
    answer: str
    record: ExchangeRecord | None = None


@dataclass(eq=False)  # one writer is one set of writes: identity, so it can sit in the run's dirty set
class Writer:
    s: Session
    scope: WriteScope
    initial: State | None = None
    model: State = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    written: bool = False  # a write was sent since the last restore
    plan: list[str] | None = None  # --dry-run: the writes it would send, instead of sending them

    # -- requests ------------------------------------------------------------------------------
    def path(self, op: str) -> str | None:
        """The path of write ``op``; attach's only when the target file names it."""
        if op == "attach":
            return self.s.target.paths.get("attach")
        return get(op).path

    def call(self, op: str, b: str | None, weights: Mapping[str, Any] | None = None, *, rel_id: int | None = None,
             fmt: Format = "json", without_rel_id: bool = False, auth: Auth = Auth.BODY) -> Call:
        fields: dict[str, Any] = {"rel_id": self.scope.rel_id if rel_id is None else rel_id,
                                  "profile_a": {"profile_id": self.scope.profile_a}}
        if without_rel_id:
            del fields["rel_id"]
        if b is not None:
            fields["profile_b"] = {"profile_id": b}
        if weights is not None:
            fields["weights"] = dict(weights)
        path = self.path(op)
        if path is None:
            raise NotRun(f"relations/{op} has no published path: name it in the target file ([endpoints] {op} = \"...\")")
        return Call.of(fields, path=path, body_format=fmt, answer_format=fmt if fmt == "xml" else None, auth=auth)

    def _reads(self) -> tuple[Call, Call]:
        fields = {"rel_id": self.scope.rel_id, "matching": "profile_id", "profile_id": self.scope.profile_a}
        return Call.of(fields, path=GET_COUNTER.path), Call.of(fields, path=GET.path)

    def read(self) -> tuple[State, Exchange, Exchange, list[Failure]]:
        """Both reads of profile_a, at once; the state relations/get shows, and what its checks found."""
        counter_call, list_call = self._reads()
        expect = Expect.success("S1", self.scope.profile_a)
        if self.plan is not None:  # a dry run reads only to plan: no check counts it as evidence
            counter, listing = self.s.send(counter_call, expect), self.s.send(list_call, expect)
            f1: list[Failure] = [Failure("S1", "reads_show_the_writes", "relations/get refused the starting read",
                                         f"error {listing.error_code}")] if listing.error_code else []
            f2: list[Failure] = []
        else:
            (counter, f1), (listing, f2) = self.s.checked_all([(counter_call, expect), (list_call, expect)])
        exact = listing.exact_data()  # the values as written in the answer: predictions are exact
        links = exact if isinstance(exact, list) else []
        state, problems = model.state_from_links(links, self.scope.profile_a)
        failures = f1 + f2
        if listing.error_code == 0 and not isinstance(listing.data, list):
            problems.append("relations/get's data is not a list of links")
        failures += [Failure("S1", "reads_show_the_writes", "relations/get cannot be read as links", p,
                             exchanges=(ExchangeRecord.of(listing),)) for p in problems]
        return state, counter, listing, failures

    # -- the run's state -----------------------------------------------------------------------
    def start(self) -> None:
        """Read the state every later write is predicted from, and restored to."""
        state, _, _, failures = self.read()
        if failures:
            raise NotRun("the writes cannot start: the state before them cannot be read (" +
                         "; ".join(f"[{f.clause}] {f.title}: {f.message}" for f in failures[:3]) + ")")
        self.initial = state
        self.model = {k: dict(v) for k, v in state.items()}
        self.steps = []
        if self.plan is None:
            _of(self.s).dirty.add(self)

    def removable(self) -> list[str]:
        """The listed B profiles whose link the suite may remove and create again: none before the
        writes, or one that carries only the properties [writes] lets it write."""
        assert self.initial is not None
        allowed = set(self.scope.properties)
        return [b for b in self.scope.profiles_b if b not in self.initial or set(self.initial[b]) <= allowed]

    def ours(self, state: State) -> State:
        """The links the suite may write to (S3): the listed B profiles, and the id of S2's invalid
        writes (undone if a faulty server linked it). Others of profile_a are judged, never written,
        whoever changed them: on a shared staging someone else may have."""
        mine = {*self.scope.profiles_b, UNKNOWN_PROFILE_B}
        return {b: values for b, values in state.items() if b in mine}

    def restore_plan(self, current: State, by: str = "edit") -> list[tuple[str, str, Values]]:
        assert self.initial is not None
        return model.restore_plan(self.ours(self.initial), self.ours(current), self.removable(), by=by)

    def writable(self, b: str) -> list[str]:
        """The properties the suite may write to ``b``'s link: any listed one on a removable link;
        on another, only those it already carries (a property added there could not be taken away)."""
        assert self.initial is not None
        if b in self.removable():
            return list(self.scope.properties)
        return [p for p in self.scope.properties if p in self.initial.get(b, {})]

    def note(self, what: str, ex: Exchange | None) -> Step:
        answer = "no answer" if ex is None else (
            f"HTTP {ex.status}, error {ex.error_code}" + (f" ({str(ex.envelope.get('error_text'))[:80]!r})"
                                                          if isinstance(ex.envelope, dict) and ex.error_code else ""))
        step = Step(len(self.steps) + 1, what, answer, ExchangeRecord.of(ex) if ex is not None else None)
        self.steps.append(step)
        return step

    def story(self) -> str:
        """The steps so far, numbered: what a failure shows, so the sequence can be replayed."""
        shown = self.steps[-MAX_STEPS_SHOWN:]
        lines = [f"{st.n}. {st.what} -> {st.answer}" for st in shown]
        if len(self.steps) > len(shown):
            lines.insert(0, f"(the first {len(self.steps) - len(shown)} steps are left out)")
        start = model.describe(self.ours(self.initial)) if self.initial is not None else "unknown"
        return f"state before step 1: [{start}]; steps: " + " | ".join(lines)

    def _records(self, *extra: Exchange) -> tuple[ExchangeRecord, ...]:
        recs = [st.record for st in self.steps[-MAX_STEPS_SHOWN:] if st.record is not None]
        return (*recs, *(ExchangeRecord.of(e) for e in extra))

    # -- one write -----------------------------------------------------------------------------
    def write(self, op: str, b: str | None, weights: Mapping[str, Any] | None, clause: str, *,
              expect: Expect | None = None, fmt: Format = "json", rel_id: int | None = None,
              predict: bool = True, verify: bool = True, without_rel_id: bool = False,
              auth: Auth = Auth.BODY) -> Exchange | None:
        """Send one write, then judge both reads. ``clause`` owns a wrong state of link ``b``;
        ``expect`` (default: success under ``clause``) what the answer must be; ``predict`` False
        for a write whose success would not change what the model predicts (S2's invalid ones);
        ``verify`` False leaves the reads to a later ``verify`` (refusals judged as a batch)."""
        call = self.call(op, b, weights, rel_id=rel_id, fmt=fmt, without_rel_id=without_rel_id, auth=auth)
        if self.plan is not None:
            self.plan.append(f"  {len(self.plan)}. {op} {call.path} {fmt.upper()} {call.body_fields()}")
            if predict and b is not None and (expect is None or expect.outcome == "success"):
                self.model = model.apply(self.model, op, b, weights or {})
            return None
        self.written = True
        ex, failures = self.s.checked(call, expect or Expect.success(clause, None))
        shown = numbers.plain({k: v for k, v in call.body_fields().items() if k != "profile_a"})
        self.note(f"{op} {fmt.upper()} {shown}", ex)
        if failures:
            hint = ""
            if expect is None and ex.error_code not in (0, 400, 401, 402, 403) and b in self.scope.profiles_b:
                # Refused as "not found" where success was due: a server fault, or a typo in the file.
                hint = f" (if {b} is not a Database B profile of this target, fix [writes] profiles_b)"
            self.s.enforce([self._told(f, hint) for f in failures])
        accepted = ex.error_code == 0
        if accepted and predict and b is not None:
            self.model = model.apply(self.model, op, b, weights or {})
        if verify:
            self.verify(op, b, clause if accepted else ("S2" if expect and expect.clause == "S2" else "W7"))
        return ex

    def verify(self, op: str, b: str | None, clause: str) -> None:
        """Both reads against the prediction: the written link judged under ``clause`` (every link,
        for a refused write), the others and C1-C4 under S1. What the reads showed then becomes the
        prediction's start (it equals it to 1e-9): each write is judged by itself, so a server's
        rounding within the tolerance (a double holding 2^53 for 2^53 + 1) does not grow into a
        failure of a later write."""
        state, counter, listing, failures = self.read()
        after = checks.After(op, b, len(self.steps), self.story(), self.model, state, counter, listing,
                             self._records(listing), self.s.target.api_version)
        judges = [checks.JUDGES[clause]] + ([] if clause in ("W7", "S2") else [checks.reads_show_the_writes])
        for judge in judges:
            found = list(judge(after))
            failures += found
            if not found:
                self.s.held(REGISTRY[judge.__name__].clause)
        if failures:
            self.s.enforce(failures)
        else:
            self.model = state

    def _told(self, f: Failure, hint: str = "") -> Failure:
        return replace(f, message=f"{f.message}{hint}. {self.story()}")

    # -- restore (S3) --------------------------------------------------------------------------
    def restore(self) -> None:
        """Bring every link back to the state read at the start; raise an S3 failure, with the exact
        state to restore by hand, when that does not work. Sent also after Ctrl-C or a spent budget."""
        if self.plan is not None and self.initial is not None:
            for op, b, values in self.restore_plan(self.model):
                self.plan.append(f"  restore: {op} {b} {values or ''}".rstrip())
            return
        if self.initial is None or not self.written:
            _of(self.s).dirty.discard(self)
            return
        token = gate.RESTORING.set(True)
        try:
            last: State | None = None
            # Edit back; what is still off, by strengthen (a server whose edit adds); then once more;
            # last, a link the suite may take apart is recreated (a value moved beyond what a
            # strengthen may carry back).
            for by in ("edit", "strengthen", "edit", "recreate"):
                last, _, _, _ = self.read()
                plan = self.restore_plan(last, by)
                if not plan:
                    break
                for op, b, values in plan:
                    self.s.send(self.call(op, b, values if op != "detach" else None), Expect.anything("S3"))
            else:
                last, _, _, _ = self.read()
            if last is not None and list(checks.restored_as_before(self.ours(self.initial), self.ours(last),
                                                                   self.removable())):
                raise ContractViolation([self.lost(last)])
            self.written = False
            _of(self.s).dirty.discard(self)
            self.s.held("S3")
        except (TransportProblem, NotRun) as exc:
            raise ContractViolation([self.lost(None, str(exc))]) from None
        finally:
            gate.RESTORING.reset(token)

    def lost(self, current: State | None, why: str = "") -> Failure:
        """The S3 failure of a restore that did not hold: what to put back by hand, first (a long
        message is cut at its end). Recorded once per state, and no write scenario runs after it."""
        assert self.initial is not None
        todo = "; ".join(f"{op} {b}" + (f" {values}" if values else "")
                         for op, b, values in self.restore_plan(current or {}))
        failure = Failure(
            "S3", "restored_as_before", "RESTORE FAILED: the links under [writes] are not as they were",
            f"{why + '. ' if why else ''}Restore by hand, under rel_id {self.scope.rel_id} for profile_a "
            f"{self.scope.profile_a}, to: {model.describe(self.ours(self.initial))}. "
            + (f"From the last read, that is: {todo}. Now: {model.describe(self.ours(current))}. " if current is not None
               else "Its state now is unknown. ") + self.story(),
            received=self.ours(current) if current is not None else None, expected=self.ours(self.initial),
            exchanges=self._records())
        ledger = _of(self.s)
        with ledger.lock:
            if not any(f.received == failure.received and f.expected == failure.expected for f in ledger.lost):
                ledger.lost.append(failure)
        if self.s.workdir:  # the other xdist workers stop writing too
            with open(os.path.join(self.s.workdir, LOST_MARK), "a", encoding="utf-8"):
                pass
        return failure


@dataclass
class Ledger:
    """A run's writers that still owe a restore, and the restores that failed (for the loud lines
    at the end of the run); kept on the session, so runs in one process do not mix."""

    dirty: set[Writer] = field(default_factory=set)
    lost: list[Failure] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


_LEDGERS = threading.Lock()


def _of(s: Session) -> Ledger:
    with _LEDGERS:  # scenarios run side by side: one ledger per session, however many ask at once
        ledger: Ledger | None = getattr(s, "writes_ledger", None)
        if ledger is None:
            ledger = Ledger()
            s.writes_ledger = ledger  # type: ignore[attr-defined]
        return ledger


def restore_all(s: Session) -> list[Failure]:
    """Restore what any writer of this run left changed (the run ends: interrupted, or a scenario
    thread gave up); the failures of those that could not be restored."""
    ledger = _of(s)
    for w in list(ledger.dirty):
        with suppress(ContractViolation):  # the ledger keeps what failed
            w.restore()
    return list(ledger.lost)


_ONE_AT_A_TIME = threading.Lock()


@contextmanager
def one_at_a_time(s: Session) -> Iterator[None]:
    """The write scenarios share one scope: one of them at a time, in this process (scenarios run
    side by side) and across xdist workers (a lock file in the run's private directory)."""
    with _ONE_AT_A_TIME:
        if not s.workdir:
            yield
            return
        with open(os.path.join(s.workdir, "writes.lock"), "a+", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def writing(s: Session) -> Iterator[Writer]:
    """A writer for the run's ``[writes]`` scope that restores at the end, whatever happens."""
    scope = s.target.writes
    assert scope is not None
    w = Writer(s, scope, plan=[] if s.dry_run else None)
    with one_at_a_time(s):
        yield from _restoring(w)


def _restoring(w: Writer) -> Iterator[Writer]:
    marked = bool(w.s.workdir) and os.path.exists(os.path.join(str(w.s.workdir), LOST_MARK))
    if _of(w.s).lost or marked:  # writing on would change a target the suite already could not put back
        raise NotRun("no more writes in this run: a restore failed (the RESTORE FAILED line says what to put back)")
    w.start()
    try:
        yield w
    except BaseException as exc:
        try:
            w.restore()
        except ContractViolation as lost:
            # Both are news: what failed, and (louder) that the staging is left changed.
            found = exc.failures if isinstance(exc, ContractViolation) else []
            raise ContractViolation([*found, *lost.failures]) from None
        raise
    w.restore()
