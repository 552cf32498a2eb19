"""Faults of the clauses every endpoint shares (T, E), acting on get_counter; importing this module
lists its own faults (``FAULTS``). Each endpoint's own faults live in its folder (``endpoints/<name>/faults.py``)."""

from __future__ import annotations

from typing import Any

from ..incoming import Reject
from . import Fault, _on_error

FAULTS: list[Fault] = []  # this module's faults, in order (the catalogue joins every module's)
register = FAULTS.append


def _reject(code: int, text: str) -> Any:
    def hook(app: Any, inc: Any) -> None:
        raise Reject(code, text)
    return hook


def _when(pred: Any, then: Any) -> Any:
    def hook(app: Any, inc: Any) -> None:
        if pred(inc):
            then(app, inc)
    return hook


# --- T: transport --------------------------------------------------------------------------

def _cp1251(app: Any, inc: Any, reply: Any) -> Any:
    if any(b > 127 for b in reply.body):  # only answers with non-ASCII text (A1's Cyrillic property)
        reply.body = reply.body.decode("utf-8").encode("cp1251", errors="replace")
    return reply


register(Fault("cp1251_when_non_ascii", "T1", "answers in cp1251 whenever the answer has non-ASCII text", wire=_cp1251))
register(Fault("charset_param_rejected", "T2", "refuses a Content-Type with a charset parameter",
               request=_when(lambda inc: ";" in inc.content_type, _reject(400, "Unsupported Content-Type"))))
register(Fault("bearer_token_mismatch", "T3", "compares the Authorization header token wrongly",
               auth=_when(lambda inc: inc.token == inc.header_token, lambda app, inc: setattr(inc, "token_ok", False))))


def _text_plain(app: Any, inc: Any, reply: Any) -> Any:
    if inc.answer_format == "json":
        reply.content_type = "text/plain"
    return reply


register(Fault("json_as_text_plain", "T4", "labels JSON answers text/plain", wire=_text_plain))

# --- E: envelope ---------------------------------------------------------------------------


def _error_as_string(app: Any, inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    return {**env, "error": str(env["error"])}


register(Fault("error_as_string", "E1", "sends the error code as a string", also=("R6",), envelope=_error_as_string))
# Only on success: the malformed requests R6 sends still get whole envelopes, so E1 alone sees it.
register(Fault("success_lacks_error_text", "E1", "leaves error_text out of success envelopes",
               envelope=lambda app, inc, env: {k: v for k, v in env.items() if k != "error_text"}
               if env["error"] == 0 else env))
register(Fault("success_text_ok", "E2.text", 'says "OK" instead of "Successful operation"',
               envelope=lambda app, inc, env: {**env, "error_text": "OK"} if env["error"] == 0 else env))
register(Fault("error_keeps_data", "E3", "puts a data object into failure envelopes",
               envelope=_on_error(lambda env: env.update(data={"reason": env["error_text"]}))))
register(Fault("error_text_empty", "E3", "leaves error_text empty on failures",
               envelope=_on_error(lambda env: env.update(error_text=""))))


def _status(code: int, only: set[int] | None = None) -> Any:
    def hook(app: Any, inc: Any, reply: Any) -> Any:
        if reply.error and (only is None or reply.error in only):
            reply.status = code
        return reply
    return hook


register(Fault("auth_error_http_500", "E4", "answers 401 errors with HTTP 500", also=("R6",), wire=_status(500, {401})))
register(Fault("error_http_422", "E4", "answers 400 errors with HTTP 422", also=("R6",), wire=_status(422, {400})))


def _created(app: Any, inc: Any, reply: Any) -> Any:
    if not reply.error:
        reply.status = 201
    return reply


register(Fault("success_http_201", "E4", "answers successes with HTTP 201", wire=_created))
