"""Conformance variants: the reference endpoint differing only where the contract is free.

The suite must pass on every one of these; a failure here is a false positive of the suite.
"""

from __future__ import annotations

from .render import Style

VARIANTS: dict[str, Style] = {
    "strict": Style(),
    "mirror-status": Style(status_mode="mirror"),
    "sorted-keys": Style(key_order="sorted"),
    "reversed-keys": Style(key_order="reversed", indent=True),
    "xml-declaration": Style(xml_declaration=True, indent=True),
    "xml-null-absent": Style(xml_null="absent"),
    "xml-null-xsi-nil": Style(xml_null="xsi-nil", xml_declaration=True),
    "charset": Style(charset=True),
    "extra-fields": Style(extra_fields=True),
    "volatile-extras": Style(volatile_extras=True),
    "ties-reversed": Style(tie_order="desc"),
    "ties-shuffled": Style(tie_order="random"),
    "top-cut-in-ties": Style(cut_top_at=9),
    "float-numbers": Style(float_numbers=True),
    "links-reversed": Style(link_order="reversed"),
    "zeros-in-both-reads": Style(zeros_in_counter=True),
    "zeros-in-neither-read": Style(zeros_in_list=False),
    "zeros-in-counter-only": Style(zeros_in_counter=True, zeros_in_list=False),
    "other-error-texts": Style(other_error_texts=True),
    "links-shuffled": Style(link_order="random"),
    "links-shuffled-ties-cut": Style(link_order="random", tie_order="random", cut_top_at=9, key_order="reversed"),
    "error-data-null": Style(error_data="null"),
    "error-data-empty": Style(error_data="empty", status_mode="mirror"),
    "not-found-1001": Style(not_found_code=1001),
    "not-found-400": Style(not_found_code=400, status_mode="mirror"),
    # The writes' free choices, the other way round from the default (two mixes, each a legal server).
    "writes-refusing": Style(detach_missing="error", attach_existing="error", empty_weights="refuse", status_mode="mirror"),
    "writes-success-text-zeros-dropped": Style(write_error_text="Successful operation", strengthen_zeros="drop",
                                               zeros_in_list=False),
    # Exact decimals (A1's links then also carry Balance = 1e16, 1.5, -1e16: its sum is 1.5, where a
    # double sum says 2) and booleans left out of top and sum (the default counts true as 1).
    "exact-decimals-cancelling": Style(exact_decimals=True),
    "booleans-left-out-of-top-and-sum": Style(bools="skip"),
    # How a text is read where RFC 8259 and XML 1.0 leave it to the reader, the other ways round.
    "texts-first-wins-exact-bom": Style(duplicate_keys="first", xml_repeats="first", huge_numbers="exact", bom="accept"),
    "texts-refused": Style(duplicate_keys="refuse", huge_numbers="refuse", status_mode="mirror"),
    # The wire: a 429 every 60th request, chunked answers, keep-alive connections closed after three
    # answers (on loopback), failure texts that echo the request's values and token.
    "wire-429-chunked-keepalive-echo": Style(every_nth_429=60, chunked=True, close_after=3, echo_values=True,
                                             xml_repeats="last"),
    "everything-else": Style(status_mode="mirror", key_order="reversed", xml_declaration=True, xml_null="absent",
                             charset=True, extra_fields=True, float_numbers=True, indent=True, error_data="null",
                             not_found_code=1001, link_order="random"),
}
