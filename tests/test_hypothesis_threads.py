"""ast.parse under the lock: the same trees, and parses from many threads at once all succeed."""

from __future__ import annotations

import ast
import sys
from concurrent.futures import ThreadPoolExecutor

from altcraft_contract import hypothesis_threads


def test_parse_is_locked_and_gives_the_same_tree() -> None:
    hypothesis_threads.install()
    hypothesis_threads.install()  # idempotent
    if sys.version_info < (3, 13):
        assert ast.parse is hypothesis_threads._parse
    assert ast.dump(ast.parse("x = [1, (2, {3: 4})]")) == ast.dump(hypothesis_threads._PARSE("x = [1, (2, {3: 4})]"))


def test_deep_sources_parse_from_many_threads() -> None:
    hypothesis_threads.install()
    source = "x = " + "(" * 80 + "1" + ")" * 80 + "\n" + "lambda a: a.map(lambda b: [b, {b: (b,)}])\n" * 50
    with ThreadPoolExecutor(8) as pool:
        trees = list(pool.map(lambda _: ast.dump(ast.parse(source)), range(200)))
    assert len(set(trees)) == 1
