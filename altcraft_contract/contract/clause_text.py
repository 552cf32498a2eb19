"""The rule of each clause in full, as the project's contracts state it (CONTRACT.md and
CONTRACT-relations.md), so the generated docs/CONTRACT.md reads as a contract a team can review,
not as a list of checks."""

from __future__ import annotations

RULES: dict[str, str] = {
    "E2.text": (
        "On success, `error_text` is exactly \"Successful operation\", as every documented success example "
        "shows; a target that says something else may waive this clause."),
    "T1": (
        "`POST {base_url}/api/v1.1/relations/get_counter`, HTTP/1.1, UTF-8."),
    "T2": (
        "The request body is JSON (`Content-Type: application/json`) or XML (`Content-Type: application/xml`, "
        "see X1)."),
    "T3": (
        "The token travels as the body field `token`, or as the header `Authorization: Bearer <token>`; both "
        "are accepted and give the same result. (A token in the URL is deprecated by the vendor; the suite "
        "never sends one.)"),
    "T4": (
        "The response format is chosen by the parameter `format` (`json`, the default, or `xml`), sent in the "
        "URL query or as a body field; the body format does not decide the response format. The response "
        "`Content-Type` is `application/json` or `application/xml` accordingly (parameters such as `; "
        "charset=utf-8` allowed)."),
    "E1": (
        "Every response body is an envelope: an object with `error` (integer) and `error_text` (string)."),
    "E2": (
        "Success: `error` is 0, `data` is an object, `error_text` is `\"Successful operation\"` (the exact text "
        "is clause **E2.text**, ASM)."),
    "E3": (
        "Failure: `error` is a non-zero integer, `error_text` is a non-empty string, and `data` is absent, null "
        "or empty."),
    "E4": (
        "HTTP status: 200 on success. On failure, either 200 or the HTTP status equal to the `error` code (when "
        "that code is a 4xx status); which of the two is a target setting (`\"200\"`, `\"mirror\"` or "
        "`\"any\"`). Never a 5xx, never a body that is not an envelope."),
    "D1": (
        "`data.profile_id` is a string of 24 lowercase hex digits."),
    "D2": (
        "`data.profile_xxh` is a string of 16 lowercase hex digits and equals xxHash64 (seed 0) of the ASCII "
        "bytes of `data.profile_id`, as hex. Both published examples satisfy it: `669e6968ebf4ac52b623a997` -> "
        "`5af1023c84f66195`, `5c910f6bc484d023b1309bee` -> `54ec2d76ac22a964`."),
    "D3": (
        "`data.props` is an object: relation property name -> property object. No relations gives `{}`."),
    "D4": (
        "A property object has `top` (an array of `{profile_id, value}` items, or null) and `sum` (a number, or "
        "null). `top[].profile_id` is 24 lowercase hex; `top[].value` is a number."),
    "D5": (
        "`data.total` (integer >= 0, the number of attached relations) and, in each property object, `total` "
        "(integer >= 0). The v72 contract does not require them; the v74 contract does."),
    "D6": (
        "Consistency: a property's `total` <= `data.total`; `len(top)` <= the property's `total` (v74); the "
        "`top` items are ordered by `value`, largest first, and name distinct profiles."),
    "D7": (
        "Fields not named here may appear (tolerant reader); the report lists them as \"undocumented fields\" "
        "without failing, so drift is visible."),
    "M1": (
        "`matching` is one of `email`, `email_profile`, `phone`, `profile_id`, `custom`; omitted means `email`."),
    "M2": (
        "The identifier each mode needs: `email` and `email_profile` need `email`; `phone` needs `phone`; "
        "`profile_id` needs `profile_id`; `custom` needs `field_name` and `field_value` (an integer or a "
        "string; for tag fields a string such as `\"tag-1, tag-2\"`)."),
    "M3": (
        "`resource_id` (integer, optional) narrows `email` and `phone` matching to one resource's "
        "subscriptions: with it, the profile is found through that resource's subscriptions only, so a resource "
        "that holds none of the profile's subscriptions finds nothing (R5)."),
    "M4": (
        "Every mode that identifies the same profile returns the same `data`."),
    "M5": (
        "The documented request example is valid: `{token, rel_id, profile_id}` with no `matching` succeeds for "
        "an existing profile (the page's own example does exactly this, although it also says the default mode "
        "is email)."),
    "M6": (
        "`email_profile` matches the profile's own email only: an email known only from a subscription is found "
        "by `email` and not by `email_profile` (checked only where the target names such an email)."),
    "R1": (
        "Codes: 0 success; 400 incorrect request; 401 API token required; 402 tariff limit reached; 403 no "
        "access rights. Other non-zero codes may exist."),
    "R2": (
        "No token (the body field absent, null or empty, and no header) -> 401."),
    "R3": (
        "A token that is not valid -> 401 or 403."),
    "R4": (
        "An incorrect request -> 400: a body that does not parse; `rel_id` missing or not an integer; "
        "`matching` not one of the five; the identifier the mode needs missing or empty; a field of the wrong "
        "type (`email`/`phone`/`profile_id`/`field_name` not a string, `resource_id` not an integer, "
        "`field_value` neither integer nor string). A `null` value counts as the wrong type (for `token`, a "
        "null means no token: R2)."),
    "R5": (
        "A well-formed request that finds nothing (unknown profile, unknown `rel_id`) -> a non-zero `error` "
        "other than 401, 402 and 403 (R1 gives those other meanings); its exact code is not pinned (the "
        "baseline records it)."),
    "R6": (
        "No request, however malformed or large, makes the server fail: every response obeys E1 and E4."),
    "X1": (
        "An XML request or response has the root element `<xml>` and one child element per field; an `<?xml "
        "...?>` declaration may come first."),
    "X2": (
        "An array is rendered as repeated sibling elements named after the field; an empty array or object is "
        "an empty element (`<props/>`)."),
    "X3": (
        "A null is an empty element or an absent element."),
    "X4": (
        "The order of sibling elements carries no meaning."),
    "X5": (
        "Relation property names are element names under `<props>`."),
    "X6": (
        "The server does not resolve DTDs or external entities in an XML request: a request that declares them "
        "gets an error envelope or is answered without expanding them, and quickly."),
    "P1": (
        "The same logical request, sent as JSON or as XML and answered as JSON or as XML (four combinations), "
        "yields the same `error`, the same `error_text` and, on success, the same `data`, once the XML is "
        "decoded with the types that the XSD gives."),
    "I1": (
        "get_counter only reads: the same request twice gives the same answer."),
    "V72": (
        "the contract above without D5."),
    "V74": (
        "the contract above with D5."),
    "G1": (
        "Success: `error` 0, `error_text` \"Successful operation\"(ASM, like E2.text), `data` an array of link "
        "objects, and `total_count` (integer >= 0) beside `data` in the envelope."),
    "G2": (
        "A link object has `profile_id_a` and `profile_id_b` (24 lowercase hex), `xxh_a` and `xxh_b` (16 "
        "lowercase hex, xxHash64 seed 0 of the matching id, as D2), `db_b` (integer, the B database) and "
        "`props` (an object: property name -> `{\"value\": v}`)."),
    "G3": (
        "`profile_id_a` of every link is the matched profile; no two links name the same `profile_id_b` (one "
        "link per pair and relation)."),
    "G4": (
        "`total_count` equals the number of links (no paging is documented); an A profile without links gives "
        "`data: []` and `total_count: 0`."),
    "G5": (
        "A property `value` is a number or a boolean (the write examples send both)."),
    "G6": (
        "XML: each link is a repeated `<data>` element under `<xml>` (the page's XML example), `total_count` a "
        "sibling; P1 holds between the JSON and XML answers."),
    "C1": (
        "v74: get_counter's `data.total` equals relations/get's `total_count`; on v72, `props` is `{}` exactly "
        "when relations/get lists no link."),
    "C2": (
        "The property names of get_counter's `props` are exactly the names that the links carry (the v74 "
        "example: one link; Donate, Like and Subscriber each with `total` 1)."),
    "C3": (
        "A property whose `sum` is not null: `sum` equals the sum of that property's values over the links that "
        "carry it (to 1e-9 relative for floats). v74: the property's `total` equals the number of links that "
        "carry it."),
    "C4": (
        "A property whose `top` is not null: every top item names a link (`top[].profile_id` = that link's "
        "`profile_id_b`) with the same value, and no link that top leaves out has a larger value than the "
        "smallest value top shows (ties are free, as in D6)."),
    "W1": (
        "A write that succeeds answers `error` 0, `error_text` a string (\"\" as documented, or \"Successful "
        "operation\"; in XML an empty `<error_text/>` is \"\"; E2.text does not apply), `profile_a` and "
        "`profile_b` (24 lowercase hex) naming the two profiles written, and `relation_id` (an integer)."),
    "W2": (
        "`relation_id` equals the request's `rel_id` (the vendor's example shows another number, read as an "
        "inconsistency of the example; waivable)."),
    "W3": (
        "`edit` replaces the values of the properties it names; a link that did not exist is created."),
    "W4": (
        "`strengthen` adds each numeric weight to the property's value (a negative weight lowers it); a property "
        "the link did not carry starts from 0; a link that did not exist is created."),
    "W5": (
        "`detach` removes the link: relations/get no longer lists it and get_counter no longer counts it."),
    "W6": (
        "`attach` creates a link with the given weights. Its path is not published: it is checked only when the "
        "target file names it (`[endpoints] attach`)."),
    "W7": (
        "Writes are atomic per request: a write answered with any non-zero `error` changes nothing relations/get "
        "or get_counter shows."),
    "W8": (
        "`edit` with the same weights twice leaves the state of once; `strengthen` by `d` then by `-d` restores "
        "every numeric value."),
    "S1": (
        "After every successful write, relations/get shows exactly the links and values the writes so far "
        "predict from the state read at the start, and C1-C4 hold; numbers compare to 1e-9 relative. Free: "
        "link and property order, whether a property at 0 stays listed, detach of a missing link answered "
        "either way, attach on an existing link as edit or as an error, empty `weights` accepted or 400."),
    "S2": (
        "A write naming an unknown profile or `rel_id`, or without `profile_b`, is an error (R5 or R4), and S1 "
        "still holds. The suite's invalid writes name ids no deployment plausibly uses, never a real one."),
    "S3": (
        "The suite's duty, not the server's: a run that writes does so only under `[writes]` (its `rel_id`, "
        "`profile_a`, `profiles_b` and `properties`), and restores every link it touched to the values read "
        "before its first write, also when a check fails, on Ctrl-C and on a transport error. A restore that "
        "fails is reported with the exact state to restore by hand."),
}
