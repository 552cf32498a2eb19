"""ast.parse under the lock: the same trees, and parses from many threads at once all succeed."""

from __future__ import annotations

import ast
import sys
from concurrent.futures import ThreadPoolExecutor

from altcraft_contract.run import engine


def test_parse_is_locked_and_gives_the_same_tree() -> None:
    engine.serialise_parsing()
    engine.serialise_parsing()  # idempotent
    if sys.version_info < (3, 13):
        assert ast.parse is engine._parse
    assert ast.dump(ast.parse("x = [1, (2, {3: 4})]")) == ast.dump(engine._PARSE("x = [1, (2, {3: 4})]"))


def test_deep_sources_parse_from_many_threads() -> None:
    engine.serialise_parsing()
    source = "x = " + "(" * 80 + "1" + ")" * 80 + "\n" + "lambda a: a.map(lambda b: [b, {b: (b,)}])\n" * 50
    with ThreadPoolExecutor(8) as pool:
        trees = list(pool.map(lambda _: ast.dump(ast.parse(source)), range(200)))
    assert len(set(trees)) == 1


def test_the_engine_lock_is_let_go_only_by_its_holder() -> None:
    with engine.engine_released():  # outside any engine: nothing to let go, and no error
        pass
    with engine.engine_held():
        with engine.engine_released():
            assert engine._ENGINE.acquire(blocking=False)  # another thread could take it now
            engine._ENGINE.release()
        assert not engine._ENGINE.acquire(blocking=False)  # held again
