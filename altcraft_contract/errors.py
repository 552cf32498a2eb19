"""Problems with the suite's own input: each is one line naming the problem and the fix.

Each kind has its own exit status so CI can tell "the target broke the contract" (pytest's 1)
from "the suite could not run".
"""

from __future__ import annotations

from typing import Any


class SuiteInputError(Exception):
    """The suite cannot run; ``str(err)`` is a single line that names the problem and the fix."""

    exit_status = 65

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(f"{problem}; {fix}")
        self.problem = problem
        self.fix = fix


class TargetFileMissing(SuiteInputError):
    exit_status = 66  # EX_NOINPUT


class TargetFileInvalid(SuiteInputError):
    exit_status = 65  # EX_DATAERR


class TokenMissing(SuiteInputError):
    exit_status = 78  # EX_CONFIG


class TargetUnreachable(SuiteInputError):
    exit_status = 69  # EX_UNAVAILABLE


class IdentityUnknown(SuiteInputError):
    """The preflight: a profile or relation the target file names is unknown to the target."""

    exit_status = 67  # EX_NOUSER (addressee unknown)
    preflight: dict[str, Any] | None = None  # the reads that showed it, for results.json


class TokenRefused(SuiteInputError):
    """The preflight: the target refused the token to a well-formed read (401/403)."""

    exit_status = 77  # EX_NOPERM
    preflight: dict[str, Any] | None = None


class OutputExists(SuiteInputError):
    """``init``: the file it would write exists (without --force), or cannot be written."""

    exit_status = 73  # EX_CANTCREAT


EXIT_STATUSES = {
    cls.__name__: cls.exit_status
    for cls in (TargetFileMissing, TargetFileInvalid, TokenMissing, TargetUnreachable, IdentityUnknown, TokenRefused,
                OutputExists)
}
