"""C: get_counter against relations/get for one A profile at one moment (C1-C4).

Each check takes ``[get_counter answer, relations/get answer]`` for the same profile and request
(both successes; a refusal is the matching scenario's failure). What CONTRACT-relations.md leaves
free stays free: link and property order, top size and tie order, boolean values in top and sum,
and whether a 0-valued property is listed (a property that only zeros explain may be in one read
and not the other, and its v74 count is not compared). Numbers are read exactly from the answers'
text and compared as ``contract/numbers.py`` says: a sum is predicted exactly, never by doubles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import wraps
from typing import Any

from ...checks.failures import Failure
from ...checks.registry import CheckList
from ...contract import numbers
from ...wire.client import Exchange
from ...wire.record import ExchangeRecord

CHECKS = CheckList()  # this module's checks, in order (checks/all.py joins every module's)
relational = CHECKS.relational

Relation = Callable[[Sequence[Exchange]], Iterator[Failure]]


_num = numbers.is_number
same_number = numbers.close  # equal to 1e-9 relative


class Reads:
    """The two answers, as the checks read them."""

    def __init__(self, exchanges: Sequence[Exchange]) -> None:
        self.exchanges = exchanges
        counter, listing = exchanges[0], exchanges[1]
        data = counter.exact_data() if isinstance(counter.data, dict) else {}
        raw_props = data.get("props")
        self.props: dict[str, dict[str, Any]] = (
            {k: v for k, v in raw_props.items() if isinstance(v, dict)} if isinstance(raw_props, dict) else {})
        self.props_is_empty = raw_props == {}
        self.total = data.get("total")
        links = listing.exact_data()
        self.links = [link for link in links if isinstance(link, dict)] if isinstance(links, list) else []
        self.total_count = listing.envelope.get("total_count") if isinstance(listing.envelope, dict) else None

    @property
    def usable(self) -> bool:
        return all(e.ok for e in self.exchanges) and isinstance(self.exchanges[1].data, list)

    def values(self, name: str) -> dict[str, Any]:
        """profile_id_b -> the value of property ``name``, for the links that carry it."""
        out: dict[str, Any] = {}
        for link in self.links:
            props = link.get("props")
            prop = props.get(name) if isinstance(props, dict) else None
            if isinstance(prop, dict) and "value" in prop:
                out[str(link.get("profile_id_b"))] = prop["value"]
        return out

    def link_names(self) -> set[str]:
        return {n for link in self.links if isinstance(link.get("props"), dict) for n in link["props"]}

    def only_zeros(self, name: str) -> bool:
        """Nothing but zeros explains ``name``: a read that drops 0-valued properties may not show it."""
        values = list(self.values(name).values())
        prop = self.props.get(name, {})
        raw_top = prop.get("top")
        top: list[Any] = raw_top if isinstance(raw_top, list) else []
        shown = values + [prop.get("sum")] + [i.get("value") for i in top if isinstance(i, dict)]
        return all(v in (0, None) and not isinstance(v, bool) for v in shown)

    def has_zero(self, name: str) -> bool:
        return any(_num(v) and v == 0 for v in self.values(name).values())

    def may_hide_zeros(self, name: str) -> int:
        """How many links relations/get may list without ``name`` although it is 0 there (listing a
        0-valued property is free): the links lacking it, when the listing shows no 0 anywhere."""
        lists_zeros = any(_num(p.get("value")) and p.get("value") == 0 for link in self.links
                          if isinstance(link.get("props"), dict) for p in link["props"].values() if isinstance(p, dict))
        if lists_zeros:
            return 0
        return sum(1 for link in self.links if not (isinstance(link.get("props"), dict) and name in link["props"]))

    def fail(self, clause: str, check: str, title: str, message: str, **kw: Any) -> Failure:
        return Failure(clause, check, title, message, exchanges=tuple(ExchangeRecord.of(e) for e in self.exchanges),
                       diff_labels=("get_counter", "relations/get"), **kw)


def for_version(check: Relation, api_version: str) -> Relation:
    """``check`` for a target of ``api_version`` (C1 and C3 say more on v74), keeping its registered name."""
    @wraps(check)
    def bound(exchanges: Sequence[Exchange]) -> Iterator[Failure]:
        return check(exchanges, api_version)  # type: ignore[call-arg]
    return bound


@relational("C1")
def link_count_agrees(exchanges: Sequence[Exchange], api_version: str = "v74") -> Iterator[Failure]:
    """v74: get_counter's data.total is relations/get's total_count; v72: props {} iff no link."""
    r = Reads(exchanges)
    if not r.usable:
        return
    if api_version == "v74" and _num(r.total) and _num(r.total_count) and r.total != r.total_count:
        yield r.fail("C1", "link_count_agrees", "get_counter's total is not relations/get's total_count",
                     "both count the links of one profile", received=r.total, expected=r.total_count, path="$.data.total")
    if api_version == "v72" and r.props_is_empty != (not r.links):
        yield r.fail("C1", "link_count_agrees", "get_counter's props and relations/get's links disagree",
                     "props is {} exactly when there is no link", received=sorted(r.props),
                     expected=f"{len(r.links)} link(s)", path="$.data.props")


@relational("C2")
def property_names_agree(exchanges: Sequence[Exchange]) -> Iterator[Failure]:
    """get_counter's property names are exactly the names the links carry."""
    r = Reads(exchanges)
    if not r.usable:
        return
    counted, listed = set(r.props), r.link_names()
    odd = sorted(n for n in counted ^ listed if not r.only_zeros(n))
    if odd:
        yield r.fail("C2", "property_names_agree", "get_counter and relations/get name different properties",
                     "the names in props are the names the links carry", received=sorted(counted),
                     expected=sorted(listed), path="$.data.props")


@relational("C3")
def sums_and_counts_agree(exchanges: Sequence[Exchange], api_version: str = "v74") -> Iterator[Failure]:
    """A sum is the sum of the links' values; v74: a property's total is the number of links carrying it."""
    r = Reads(exchanges)
    if not r.usable:
        return
    for name, prop in r.props.items():
        values = list(r.values(name).values())
        path = f"$.data.props.{name}"
        s = prop.get("sum")
        if _num(s) and values and all(_num(v) for v in values):
            exact = numbers.sum_of(values)  # from the values' text: a cancellation cannot make it wrong
            if not same_number(exact, s):
                yield r.fail("C3", "sums_and_counts_agree", "A sum is not the sum of the links' values",
                             f"{len(values)} link(s) carry {name}", received=s, expected=exact, path=path + ".sum")
        total = prop.get("total")
        hidden = r.may_hide_zeros(name)  # get_counter may count 0-valued links the listing leaves out
        if api_version == "v74" and isinstance(total, int) and not isinstance(total, bool) \
                and not len(values) <= total <= len(values) + hidden \
                and not r.has_zero(name) and not r.only_zeros(name):
            yield r.fail("C3", "sums_and_counts_agree", "A property's total is not the number of links carrying it",
                         f"relations/get lists {len(values)} link(s) with {name}", received=total,
                         expected=len(values), path=path + ".total")


@relational("C4")
def tops_name_the_largest_links(exchanges: Sequence[Exchange]) -> Iterator[Failure]:
    """Each top item is a link with that value; no link left out of top has a larger value than top's smallest."""
    r = Reads(exchanges)
    if not r.usable:
        return
    for name, prop in r.props.items():
        top = prop.get("top")
        if not isinstance(top, list):
            continue
        values = r.values(name)
        path = f"$.data.props.{name}.top"
        shown = [i for i in top if isinstance(i, dict) and _num(i.get("value"))]
        listed = {str(link.get("profile_id_b")) for link in r.links}
        for item in shown:
            pid, value = str(item.get("profile_id")), item["value"]
            if pid not in values and pid in listed and value == 0:
                continue  # a 0-valued property the listing may drop
            if pid not in values or (_num(values[pid]) and not same_number(values[pid], value)):
                yield r.fail("C4", "tops_name_the_largest_links", "A top item is not a link with that value",
                             f"top names {pid} with {value}", received=item,
                             expected=f"value {values[pid]!r}" if pid in values else "a listed profile_id_b", path=path)
        if not shown:
            continue
        smallest = min(i["value"] for i in shown)
        named = {str(i.get("profile_id")) for i in shown}
        # A 0 is left out freely: whether a 0-valued property counts at all is the server's choice (C2),
        # so a top of negative values may pass over a link whose value is 0 (seen: edit to 0, then -35).
        left_out = sorted(pid for pid, v in values.items() if pid not in named and _num(v) and v > smallest
                          and not same_number(v, smallest) and not same_number(v, 0))
        if left_out:
            yield r.fail("C4", "tops_name_the_largest_links", "top leaves out a link with a larger value",
                         f"{len(left_out)} link(s) above top's smallest value {smallest} are not in top",
                         received=left_out, expected=f"values <= {smallest}", path=path)
