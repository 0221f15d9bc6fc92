"""The layout of the test suite: no test file imports another test file.

Every ``.py`` file under ``tests/`` is parsed with :mod:`ast` (nothing is imported). Test files and
``conftest.py`` files may import from ``tests.helpers`` (plain modules of builders, constants and
servers), never from another test file or a conftest module: pytest hands fixtures to the tests
that need them, and a shared helper has one home. Relative imports are refused too, since they
would reach a sibling test file by another name.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent
HELPERS = "tests.helpers"


def _imported(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, module) of every import in ``tree``, also inside functions; relative imports keep
    their leading dots."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if module == "tests":  # ``from tests import x`` reaches the module ``tests.x``
                found += [(node.lineno, f"tests.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, module))
    return found


def _allowed(module: str) -> bool:
    if module.startswith("."):
        return False
    if module == "tests" or module.startswith("tests."):
        return module == HELPERS or module.startswith(HELPERS + ".")
    return True


def imports_of_test_files(root: Path) -> list[str]:
    """``path:line module`` of every import of a test file or a conftest module under ``root``
    (a ``tests`` folder)."""
    wrong = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, module in sorted(_imported(tree)):
            if not _allowed(module):
                wrong.append(f"{path.relative_to(root.parent)}:{line} {module}")
    return wrong


def test_no_test_file_imports_another_test_file():
    wrong = imports_of_test_files(TESTS)
    assert not wrong, ("Test files import test files or conftest modules; move what they share "
                       "to tests/helpers/ (or a fixture in a conftest):\n" + "\n".join(wrong))


def test_the_check_finds_a_planted_import(tmp_path: Path):
    root = tmp_path / "tests"
    (root / "api").mkdir(parents=True)
    (root / "helpers").mkdir()
    (root / "helpers" / "data.py").write_text("import pandas\n")
    (root / "api" / "conftest.py").write_text("from tests.helpers.data import x\n")
    (root / "api" / "test_a.py").write_text(
        "import os\nfrom tests.helpers import data\nfrom tests.helpers.data import insert\n"
        "from tests.api.conftest import Server\n"
        "def f():\n    from tests.api.test_b import VALUES\n"
        "import tests.web.conftest\nfrom tests.api import test_b\nfrom .test_b import y\n"
        "from tests import test_c\n")
    assert imports_of_test_files(root) == [
        "tests/api/test_a.py:4 tests.api.conftest",
        "tests/api/test_a.py:6 tests.api.test_b",
        "tests/api/test_a.py:7 tests.web.conftest",
        "tests/api/test_a.py:8 tests.api",
        "tests/api/test_a.py:9 .test_b",
        "tests/api/test_a.py:10 tests.test_c",
    ]
