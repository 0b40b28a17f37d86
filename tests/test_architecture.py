"""The house rules, checked on the source itself (scripts/import_graph.py reads the imports
with `ast`, including those inside functions and under TYPE_CHECKING)."""
import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import import_graph  # noqa: E402

PRIMITIVES = {"core.clock", "core.errors", "core.text", "core.days", "core.bounded"}
# what each core package may import besides itself and the primitives (see each __init__.py)
ALLOWED = {
    "memory": set(),
    "recall": {"memory"},
    "transfer": {"memory"},
    "intake": {"memory", "recall", "transfer"},
    "lifecycle": {"memory", "recall"},
    "guard": {"memory", "recall"},
    "models": set(),
    "answering": {"memory", "recall", "intake", "lifecycle", "guard", "models"},
}
GRAPH = import_graph.graph()


def _package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else None


def test_there_is_no_import_circle_anywhere():
    assert import_graph.cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_circle():
    assert import_graph.cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_core_holds_only_the_facade_and_the_shared_primitives_at_its_top():
    top = {m for m in GRAPH if m.count(".") == 1 and m.startswith("core.") and _package(m) is None}
    assert top <= PRIMITIVES | {"core.mnemo"}


def test_the_shared_primitives_import_nothing_of_core_but_each_other():
    for module in PRIMITIVES:
        assert {m for m in GRAPH[module] if m.startswith("core")} - PRIMITIVES == set(), module


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_core_package_imports_only_downward(package):
    wrong = {}
    for module, targets in GRAPH.items():
        if module.startswith("core.") and _package(module) == package:
            for target in targets:
                other = _package(target)
                if target.startswith("core") and target not in PRIMITIVES and other != package \
                        and other not in ALLOWED[package]:
                    wrong.setdefault(module, []).append(target)
    assert wrong == {}


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_core_package_says_what_it_owns_and_may_import(package):
    doc = ast.get_docstring(ast.parse((ROOT / "core" / package / "__init__.py").read_text()))
    assert doc and "May import" in doc


def test_core_never_imports_qt():
    for module, path in import_graph.modules().items():
        if module.startswith("core"):
            assert not import_graph.external_imports(path) & {"PySide6", "shiboken6", "PyQt5", "PyQt6"}, module


def test_the_ui_never_opens_the_store_or_a_model_itself():
    forbidden = {"lancedb", "pyarrow", "llama_cpp", "onnxruntime", "sentence_transformers", "torch"}
    inner = {"core.memory.store", "core.answering.llm", "core.recall.embedder"}
    for module, path in import_graph.modules().items():
        if module.startswith("ui"):
            assert not import_graph.external_imports(path) & forbidden, module
            assert not GRAPH[module] & inner, module


def test_no_source_file_is_longer_than_the_limit():
    assert import_graph.long_files() == []


def test_the_readme_map_matches_the_tree():
    """The "How it works" map lists exactly the folders of core/, and every top-level folder."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## How it works", 1)[1].split("```")[1]
    listed_core = set(re.findall(r"^  (\w+)/", block, re.M))
    listed_top = set(re.findall(r"^(\w+)/", block, re.M))
    assert listed_core == {p.name for p in (ROOT / "core").iterdir() if (p / "__init__.py").exists()}
    for name in listed_core:
        assert (ROOT / "core" / name).is_dir()
    assert listed_top == {"core", "app", "ui", "resources", "tests", "scripts", "packaging"}
    assert all((ROOT / name).is_dir() for name in listed_top)
