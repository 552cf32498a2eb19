"""The independent implementation's refusals: ``Fail`` is an error envelope (its code and text),
``Crash`` an answer a deliberately broken server gives when it fails (HTTP 500, no envelope)."""

from __future__ import annotations


class Fail(Exception):
    def __init__(self, code: int, text: str) -> None:
        super().__init__(text)
        self.code, self.text = code, text


class Crash(Exception):
    """Raised only by a deliberate defect: the server answers 500 with a text page."""
