"""The import graph of valuecrm: no loops between modules, and data flow downhill only.

Every module under ``valuecrm/`` is parsed with :mod:`ast` (nothing is imported): every
``import`` and ``from ... import`` counts, also those inside functions and under
``TYPE_CHECKING``, since each of them is a dependency a reader has to hold in mind. An import
names the most specific module it reaches (``from valuecrm.models import beta_geo`` is an edge
to ``valuecrm.models.beta_geo``, ``from valuecrm.models import BetaGeo`` one to the package's
``__init__``); the parent packages Python runs on the way are not edges, so a package's
``__init__`` may re-export its own submodules.

Two rules:

- **No cycles.** Any strongly connected set of modules fails, unless every one of its loops
  runs through an edge of ``KNOWN_CYCLES``.
- **Downhill only.** ``LAYERS`` orders the packages, lowest first; a module may import its own
  layer and those below, never one above, unless the edge is in ``KNOWN_UPWARD``.

Both lists record today's exceptions with the reason; they may only shrink: an entry that no
longer exists (or no longer closes a loop) fails the test, so whoever removes it deletes it here.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

import valuecrm

ROOT = Path(valuecrm.__file__).parent

# Lowest first. A module belongs to the layer of the longest prefix that names it.
LAYERS: list[tuple[str, ...]] = [
    # ground: no valuecrm imports but each other (``valuecrm`` itself imports lazily by name)
    ("valuecrm", "valuecrm.errors", "valuecrm._progress", "valuecrm.datasets"),
    ("valuecrm.store",),
    ("valuecrm.synthetic",),  # writes the store's tables
    ("valuecrm.features",),
    ("valuecrm.mining",),  # frequent itemsets and association rules (Ibis and numpy)
    ("valuecrm.config",),  # analyze's settings and the labels' thresholds (money from features)
    ("valuecrm.models",),
    ("valuecrm.value",),
    ("valuecrm.segments",),
    ("valuecrm.voice",),  # surveys: NPS, PLS path models, key drivers (may use segments)
    ("valuecrm.i18n",),  # names of the segments' labels in each language
    ("valuecrm.actions",),
    ("valuecrm.analysis",),
    ("valuecrm.reports",),  # read-only figures over the stored snapshots
    ("valuecrm.views",),  # the one read layer: what the report and the interfaces show
    ("valuecrm.report",),
    ("valuecrm.demo",),  # loads CDNOW, analyses it, writes the report
    # the interfaces: the API, then the dashboard on it, the server mounting both, then the
    # command line (whose 'serve' runs the server)
    ("valuecrm.interfaces", "valuecrm.interfaces.context"),
    ("valuecrm.interfaces.api",),
    ("valuecrm.interfaces.web",),
    ("valuecrm.interfaces.server",),
    ("valuecrm.interfaces.commands", "valuecrm.interfaces.cli", "valuecrm.__main__"),
]

# (importer, imported): an upward import of today, and why it is still there.
KNOWN_UPWARD: list[tuple[str, str, str]] = []

# (importer, imported): an edge that closes an import loop today, and why it is still there.
# The graph without these edges must have no cycle.
KNOWN_CYCLES: list[tuple[str, str, str]] = []

# module under valuecrm/interfaces -> why it still holds a query or fits a model. Only shrinks:
# an entry whose module no longer does fails the test.
KNOWN_QUERIES: dict[str, str] = {}


# ------------------------------------------------------------------------------ the checker
def module_names(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package at ``root``: dotted name -> file (``__init__`` is the
    package's own name)."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _imported(node: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """The dotted names an import statement reaches (``from a import b`` gives ``a.b`` and
    ``a``: the caller keeps the most specific that is a module)."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            parts = module.split(".")
            parts = parts if is_package else parts[:-1]
            parts = parts[: len(parts) - (node.level - 1)]
            base = ".".join([*parts, base] if base else parts)
        for alias in node.names:
            yield f"{base}.{alias.name}"


def _resolve(name: str, modules: Iterable[str]) -> str | None:
    """The longest prefix of ``name`` that is a module of the package, if any."""
    known = set(modules)
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (anywhere in its file)."""
    modules = module_names(root, package)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            for target in _imported(node, name, is_package):
                if not (target == package or target.startswith(package + ".")):
                    continue
                found = _resolve(target, modules)
                if found is not None and found != name:
                    graph[name].add(found)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected sets of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:  # iterative, so deep graphs do not hit the recursion limit
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def without(graph: dict[str, set[str]], edges: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    removed = set(edges)
    return {a: {b for b in targets if (a, b) not in removed} for a, targets in graph.items()}


def layer_of(module: str, layers: list[tuple[str, ...]]) -> int:
    """The index of the layer whose longest prefix names ``module``."""
    best, length = None, -1
    for i, prefixes in enumerate(layers):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > length:
                best, length = i, len(prefix)
    if best is None or (length == len("valuecrm") and module != "valuecrm"):  # a new package
        raise AssertionError(f"{module} is in no layer: add it to LAYERS in {__file__}")
    return best


def upward(graph: dict[str, set[str]], layers: list[tuple[str, ...]]) -> set[tuple[str, str]]:
    """Every edge from a lower layer to a higher one."""
    return {(a, b) for a, targets in graph.items() for b in targets
            if layer_of(b, layers) > layer_of(a, layers)}


def problems(graph: dict[str, set[str]], layers: list[tuple[str, ...]],
             known_upward: Iterable[tuple[str, str]],
             known_cycles: Iterable[tuple[str, str]]) -> list[str]:
    """What is wrong with ``graph``, one sentence each (empty when it is fine)."""
    known_upward, known_cycles = set(known_upward), set(known_cycles)
    found = []
    for component in cycles(without(graph, known_cycles)):
        found.append("import cycle between " + ", ".join(component))
    in_cycles = {(a, b) for component in cycles(graph) for a in component
                 for b in graph[a] if b in component}
    for a, b in sorted(known_cycles - in_cycles):
        found.append(f"KNOWN_CYCLES lists {a} -> {b}, which no longer closes a loop: remove it")
    going_up = upward(graph, layers)
    for a, b in sorted(going_up - known_upward):
        found.append(f"upward import: {a} (layer {layer_of(a, layers)}) imports {b} "
                     f"(layer {layer_of(b, layers)})")
    for a, b in sorted(known_upward - going_up):
        found.append(f"KNOWN_UPWARD lists {a} -> {b}, which is gone: remove it")
    return found


# ------------------------------------------------------------------------------ the tests
@functools.cache
def valuecrm_graph() -> dict[str, set[str]]:
    return import_graph(ROOT, "valuecrm")


def test_valuecrm_has_no_import_cycle_and_no_upward_import() -> None:
    graph = valuecrm_graph()
    found = problems(graph, LAYERS, [(a, b) for a, b, _ in KNOWN_UPWARD],
                     [(a, b) for a, b, _ in KNOWN_CYCLES])
    assert not found, "\n".join(found)


def test_every_known_exception_says_why() -> None:
    for a, b, why in [*KNOWN_UPWARD, *KNOWN_CYCLES]:
        assert why.strip(), f"{a} -> {b} needs a reason"
    edges = [(a, b) for a, b, _ in [*KNOWN_UPWARD, *KNOWN_CYCLES]]
    assert len(edges) == len(set(edges)), "an edge is listed twice"


def _top_package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_no_package_imports_the_private_modules_or_names_of_another() -> None:
    """What one package needs of another is public: no ``from valuecrm.models._x import``
    or ``from valuecrm.models.base import _y`` outside ``valuecrm.models`` (``_progress``, a
    ground module, and dunders such as ``__version__`` are public)."""
    modules = module_names(ROOT, "valuecrm")
    found = []
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                continue
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                target = _resolve(full, modules) or node.module
                private = [part for part in full.split(".")[1:]
                           if part.startswith("_") and not part.startswith("__")]
                if (target != "valuecrm._progress" and private
                        and _top_package(target) != _top_package(name)):
                    found.append(f"{name} imports {full}")
    assert not found, "\n".join(found)


def test_no_module_outside_models_reads_the_models_privates() -> None:
    """Other packages use the models' public methods (``parameter_covariance``,
    ``expected_purchases_curve``), never their private methods or class attributes."""
    modules = module_names(ROOT, "valuecrm")
    private = set()
    for name, path in modules.items():
        if _top_package(name) == "valuecrm.models":
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef):
                    for item in node.body:
                        names = ([item.name] if isinstance(item, ast.FunctionDef) else
                                 [item.target.id] if isinstance(item, ast.AnnAssign)
                                 and isinstance(item.target, ast.Name) else [])
                        private |= {n for n in names
                                    if n.startswith("_") and not n.startswith("__")}
    assert "_negative_log_likelihood" in private
    found = []
    for name, path in modules.items():
        if _top_package(name) == "valuecrm.models":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr in private
                    and not (isinstance(node.value, ast.Name)
                             and node.value.id in ("self", "cls"))):
                found.append(f"{name}:{node.lineno} reads .{node.attr}")
    assert not found, "\n".join(found)


# A string that starts like SQL (capital keyword, then a space), in code or in an f-string.
SQL_TEXT = re.compile(r"\s*(SELECT|WITH|INSERT INTO|UPDATE|DELETE FROM|COPY|CREATE|ALTER|DROP)"
                      r"\s")
# calls that run a query or fit a model: DuckDB's .execute / .sql, Ibis' .execute / .sql, .fit
QUERY_CALLS = ("execute", "executemany", "sql", "raw_sql", "fit")


def queries_in(path: Path) -> list[str]:
    """Where the file at ``path`` holds SQL text or calls a query or a fit, one line each."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and SQL_TEXT.match(node.value)):
            found.append(f"{node.lineno}: SQL text {node.value[:40]!r}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in QUERY_CALLS):
            found.append(f"{node.lineno}: calls .{node.func.attr}(")
    return found


def query_problems(root: Path, package: str, known: Iterable[str]) -> list[str]:
    """The modules under ``package``'s ``interfaces`` that hold a query or fit a model (but
    ``known``), and the ``known`` ones that no longer do."""
    known, found, holding = set(known), [], set()
    for name, path in module_names(root, package).items():
        if not name.startswith(f"{package}.interfaces"):
            continue
        where = queries_in(path)
        if where:
            holding.add(name)
        if where and name not in known:
            found += [f"{name}:{line}: put it in a function below the interfaces"
                      for line in where]
    found += [f"KNOWN_QUERIES lists {name}, which holds no query any more: remove it"
              for name in sorted(known - holding)]
    return found


def test_interfaces_hold_no_sql_and_fit_no_model() -> None:
    """Under ``valuecrm/interfaces`` no string constant is SQL and nothing calls ``.execute``,
    ``.sql`` or ``.fit``: the interfaces call the read layer (:mod:`valuecrm.views`)."""
    found = query_problems(ROOT, "valuecrm", KNOWN_QUERIES)
    assert not found, "\n".join(found)
    assert all(why.strip() for why in KNOWN_QUERIES.values())


def test_query_checker_finds_sql_fits_and_stale_entries(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "",
        "views.py": 'def count(cur):\n    return cur.execute("SELECT count(*) FROM t")\n',
        "interfaces/__init__.py": "",
        "interfaces/fine.py": 'HELP = "Select a snapshot with --snapshot."\n'
                              "from shop.views import count\n",
        "interfaces/page.py": "def page(cur, t):\n"
                              '    return cur.sql(f"SELECT {t} FROM x "\n'
                              '                   "WHERE y")\n',
        "interfaces/fits.py": "def fitted(model, data):\n    return model.fit(data)\n",
    })
    assert sorted(query_problems(root, "shop", [])) == [
        "shop.interfaces.fits:2: calls .fit(: put it in a function below the interfaces",
        "shop.interfaces.page:2: SQL text 'SELECT ': put it in a function below the interfaces",
        "shop.interfaces.page:2: calls .sql(: put it in a function below the interfaces",
    ]
    assert query_problems(root, "shop", ["shop.interfaces.page", "shop.interfaces.fits",
                                         "shop.interfaces.fine"]) == [
        "KNOWN_QUERIES lists shop.interfaces.fine, which holds no query any more: remove it"]


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "shop"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


LAYERED = [("shop", "shop.errors"), ("shop.store",), ("shop.models",)]


def test_checker_finds_a_cycle_through_a_function_and_type_checking(tmp_path: Path) -> None:
    """A loop made of an import inside a function and one under TYPE_CHECKING is a cycle."""
    root = _package(tmp_path, {
        "__init__.py": "",
        "models/__init__.py": "from shop.models.a import A\n",
        "models/a.py": "def f():\n    from .b import g\n    return g\nclass A: ...\n",
        "models/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                       "    from shop.models import a\ndef g(): ...\n",
    })
    graph = import_graph(root, "shop")
    assert graph["shop.models.a"] == {"shop.models.b"}
    assert graph["shop.models.b"] == {"shop.models.a"}
    assert problems(graph, LAYERED, [], []) == [
        "import cycle between shop.models.a, shop.models.b"]
    # listed as known, the loop passes; once the loop is gone the entry fails
    assert problems(graph, LAYERED, [], [("shop.models.b", "shop.models.a")]) == []
    fixed = without(graph, [("shop.models.b", "shop.models.a")])
    assert problems(fixed, LAYERED, [], [("shop.models.b", "shop.models.a")]) == [
        "KNOWN_CYCLES lists shop.models.b -> shop.models.a, which no longer closes a loop: "
        "remove it"]


def test_checker_allows_reexports_but_not_a_submodule_importing_its_package(
        tmp_path: Path) -> None:
    """``__init__`` importing its submodules is fine; a submodule importing the ``__init__``
    that imports it back is a cycle."""
    files = {
        "__init__.py": "",
        "store/__init__.py": "from shop.store.db import Database\n",
        "store/db.py": "class Database: ...\n",
    }
    graph = import_graph(_package(tmp_path / "fine", files), "shop")
    assert problems(graph, LAYERED, [], []) == []
    files["store/db.py"] = "from shop.store import Database as D\nclass Database: ...\n"
    graph = import_graph(_package(tmp_path / "loop", files), "shop")
    assert problems(graph, LAYERED, [], []) == ["import cycle between shop.store, shop.store.db"]


def test_checker_finds_upward_imports_and_stale_exceptions(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "",
        "errors.py": "",
        "store/__init__.py": "import shop.errors\n",
        "models/__init__.py": "from shop import store\n",
        "store/db.py": "def f():\n    import shop.models\n",
    })
    graph = import_graph(root, "shop")
    assert problems(graph, LAYERED, [], []) == [
        "upward import: shop.store.db (layer 1) imports shop.models (layer 2)"]
    assert problems(graph, LAYERED, [("shop.store.db", "shop.models")], []) == []
    assert problems(graph, LAYERED, [("shop.store.db", "shop.models"),
                                     ("shop.errors", "shop.store")], []) == [
        "KNOWN_UPWARD lists shop.errors -> shop.store, which is gone: remove it"]


@pytest.mark.parametrize("module", ["valuecrm.models.beta_geo", "valuecrm.store.database"])
def test_real_modules_are_found(module: str) -> None:
    """The checker sees the real package (a guard against checking an empty graph)."""
    graph = import_graph(ROOT, "valuecrm")
    assert graph.get(module)


# the read layers: they show what the pipeline stored or fitted, and fit nothing themselves
READ_LAYERS = ("valuecrm.reports", "valuecrm.views", "valuecrm.report")


def fits_in(path: Path) -> list[str]:
    """The lines of the file at ``path`` that call ``.fit(``."""
    return [f"{node.lineno}: calls .fit(" for node in ast.walk(ast.parse(
        path.read_text(encoding="utf-8"), filename=str(path)))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr == "fit"]


def test_read_layers_fit_no_model() -> None:
    """``reports``, ``views`` and ``report`` fit no model: fitting is the pipeline's
    (:mod:`valuecrm.analysis`) or the models' own."""
    found = [f"{name}:{line}: fit the model in valuecrm.analysis and read its result here"
             for name, path in module_names(ROOT, "valuecrm").items()
             if name.startswith(READ_LAYERS) for line in fits_in(path)]
    assert not found, "\n".join(found)


def test_fit_checker_finds_a_fit(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text("def shown(model, data):\n    return model.fit(data).summary()\n")
    assert fits_in(page) == ["2: calls .fit("]
