"""The writes: relations/strengthen, edit, detach and attach (CONTRACT-relations.md, W and S).

They are checked by what the reads show afterwards, only when the target file has a ``[writes]``
table and the command line says ``--writes``, and everything they touch is restored (S3). Their
schemas are ``schemas/write-request.schema.json``, ``write-success.schema.json`` and
``write-response.xsd``. ``model.py`` predicts the links, ``steps.py`` sends a write and checks both
reads against the prediction and restores, ``machine.py`` explores sequences (Hypothesis'
stateful testing), ``scenarios.py`` registers the scenarios.
"""

from ..base import Endpoint, Package


def _write(name: str, title: str) -> Endpoint:
    return Endpoint(name, title, "write-request", "write-success", "write-response", "write-response", "",
                    kind="write")


STRENGTHEN = _write("strengthen", "relations/strengthen: add to link properties")
EDIT = _write("edit", "relations/edit: overwrite link properties")
DETACH = _write("detach", "relations/detach: remove a link")
ATTACH = _write("attach", "relations/attach: create a link (path not published; [endpoints] attach)")

PACKAGE = Package(
    "writes", (STRENGTHEN, EDIT, DETACH, ATTACH), owner="writes", group="writes (strengthen, edit, detach, attach)",
    families={"W": "Writes", "S": "State after writes"},
    clauses=(
        ("W1", "DOC", "success: error 0, error_text a string, profile_a/profile_b (24 hex), relation_id"),
        ("W2", "ASM", "relation_id equals the request's rel_id"),
        ("W3", "DOC", "edit replaces the named properties; a missing link is created"),
        ("W4", "DOC", "strengthen adds each weight (negative lowers; missing starts at 0); creates"),
        ("W5", "DOC", "detach removes the link from relations/get and from get_counter"),
        ("W6", "ASM", "attach creates a link with the given weights"),
        ("W7", "ASM", "a write that fails changes nothing"),
        ("W8", "ASM", "the same edit twice is as once; strengthen by d then -d restores"),
        ("S1", "ASM", "after every write, relations/get shows what the writes predict, and C1-C4 hold"),
        ("S2", "ASM", "a write to an unknown profile or rel_id, or without profile_b, is an error"),
        ("S3", "ASM", "the suite restores every link it touched and writes only inside [writes]"),
    ),
)
