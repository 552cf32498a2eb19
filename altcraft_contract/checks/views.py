"""What a comparison of two answers may look at: only what the contract fixes.

Undocumented fields are D7's to list, not anyone's to compare (a correct server may add a request
id that changes every time), and the order of equal values in ``top`` is free, so ties are put in
one order before comparing.
"""

from __future__ import annotations

from typing import Any

from ..contract import schemas

ENVELOPE_FIELDS = ("error", "error_text", "data", "total_count")
LINK_FIELDS = ("profile_id_a", "xxh_a", "profile_id_b", "xxh_b", "db_b", "props")


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


TIED_AT_THE_CUT = "(one of the profiles tied at the cut)"


def _top(items: Any, item_fields: frozenset[str], total: Any = None) -> Any:
    if not isinstance(items, list):
        return items
    kept = [{k: v for k, v in i.items() if k in item_fields} if isinstance(i, dict) else i for i in items]
    if all(isinstance(i, dict) and _num(i.get("value")) for i in kept):
        kept.sort(key=lambda i: (-i["value"], str(i.get("profile_id"))))
        # When top may be cut short (v74's total says more profiles link; v72 gives no total), which
        # of the profiles tied at the cut are shown follows from the tie order, which is free:
        # compare only their count.
        known = isinstance(total, int) and not isinstance(total, bool)
        if kept and (not known or total > len(kept)):
            cut = kept[-1]["value"]
            kept = [{**i, "profile_id": TIED_AT_THE_CUT} if i["value"] == cut else i for i in kept]
    return kept


def comparable(envelope: Any) -> Any:
    """The documented part of an envelope (v74's fields, a superset of v72's), ties in top sorted."""
    if not isinstance(envelope, dict):
        return envelope
    data_f, prop_f, item_f = schemas.documented_fields("v74")
    out = {k: envelope[k] for k in ENVELOPE_FIELDS if k in envelope}
    data = out.get("data")
    if isinstance(data, dict):
        view = {k: v for k, v in data.items() if k in data_f}
        if isinstance(view.get("props"), dict):
            view["props"] = {
                name: ({k: (_top(v, item_f, prop.get("total")) if k == "top" else v)
                        for k, v in prop.items() if k in prop_f}
                       if isinstance(prop, dict) else prop)
                for name, prop in view["props"].items()}
        out["data"] = view
    elif isinstance(data, list):
        out["data"] = _links(data)
    return out


def _links(data: list[Any]) -> list[Any]:
    """relations/get's links in one order (their order is free), documented fields only."""
    kept = [{k: v for k, v in link.items() if k in LINK_FIELDS} if isinstance(link, dict) else link for link in data]
    return sorted(kept, key=lambda link: str(link.get("profile_id_b")) if isinstance(link, dict) else "")
