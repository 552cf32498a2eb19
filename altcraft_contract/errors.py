"""Problems with the suite's own input: each is one line naming the problem and the fix.

Each kind has its own exit status so CI can tell "the target broke the contract" (pytest's 1)
from "the suite could not run".
"""

from __future__ import annotations


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


EXIT_STATUSES = {
    cls.__name__: cls.exit_status
    for cls in (TargetFileMissing, TargetFileInvalid, TokenMissing, TargetUnreachable)
}
