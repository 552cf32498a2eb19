"""Each fault of reading a request's text is real: the faulty reference misbehaves on its class's
text, the correct one answers it as the class's verdict says, and the fault fails its own clause."""

from __future__ import annotations

import pytest

from altcraft_contract.contract import inputs_text
from altcraft_contract.reference import catalogue
from tests.reference.faults_helper import TARGET, judged

FAULT_CLASSES = {
    "duplicate_keys_crash": ("JSON text", "a duplicate key with the same value"),
    "deep_objects_crash": ("JSON text", "nesting 1,000 deep in a field the contract does not name"),
    "huge_number_crash": ("JSON text", "rel_id 1e400"),
    "lenient_json_numbers": ("JSON text", "a plus sign (+3)"),
    "trailing_data_ignored": ("JSON text", "trailing data after the value"),
    "empty_body_error_500": ("JSON text", "an empty body"),
    "top_level_array_unwrapped": ("JSON text", "a top-level array holding the request"),
    "unicode_escapes_mangled": ("JSON text", "profile_id written as \\u00XX escapes"),
    "bom_crash": ("JSON text", "a byte order mark"),
    "lone_surrogate_crash": ("JSON text", "a lone surrogate (\\ud800) after profile_id"),
    "non_utf8_string_crash": ("JSON text", "bytes that are not UTF-8 after profile_id"),
    "xml_attributes_crash": ("XML text", "a default namespace"),
    "xml_repeats_concatenated": ("XML text", "a repeated element with the same value"),
    "xml_processing_instruction_refused": ("XML text", "a processing instruction"),
    "xml_unclosed_recovered": ("XML text", "an unclosed element"),
    "put_http_500": ("HTTP method", "PUT"),
    "mislabelled_body_crash": ("Content-Type", "a JSON body labelled application/xml"),
}


def test_every_fault_of_the_texts_module_is_proven_here() -> None:
    from altcraft_contract.reference.faults import texts
    assert {f.name for f in texts.FAULTS} == set(FAULT_CLASSES)


@pytest.mark.parametrize("fault", sorted(FAULT_CLASSES))
def test_the_fault_breaks_its_clause_on_its_class_and_the_correct_app_does_not(fault: str) -> None:
    group, name = FAULT_CLASSES[fault]
    cls = next(c for c in inputs_text.CLASSES if (c.group, c.name) == (group, name))
    call, expect = inputs_text.text_call(TARGET, cls), inputs_text.text_verdict(TARGET, cls)
    good, good_failed = judged("none", call, expect)
    bad, bad_failed = judged(fault, call, expect)
    assert good_failed == set(), (good.status, good.envelope)
    assert catalogue.get(fault).clause in bad_failed, (bad.status, bad.envelope, bad_failed)
    assert (bad.status, bad.envelope) != (good.status, good.envelope)
