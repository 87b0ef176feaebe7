"""The core stays free of Qt: models/ never imports PySide6, directly or through anything it imports."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_models_source_never_mentions_pyside6():
    for path in (ROOT / "models").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] in ("PySide6", "shiboken6", "ui") for n in names), path


def test_importing_every_model_module_loads_no_qt():
    modules = [p.stem for p in (ROOT / "models").glob("*.py") if p.stem != "__init__"]
    code = (
        "import sys, importlib\n"
        f"for m in {modules!r}: importlib.import_module('models.' + m)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ui_never_writes_sql():
    for path in (ROOT / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")  # SQL is written in capitals in this project
        for verb in (
            "INSERT INTO",
            "UPDATE ",
            "DELETE FROM",
            "CREATE TABLE",
            "SELECT ",
            ".execute(",
            "executemany",
        ):
            assert verb not in text, f"{path.name} contains {verb!r}"


def test_no_translated_string_hides_inside_an_f_string():
    # Babel's extractor does not look inside f-strings on Python < 3.12: such a string would never be translated
    for folder in ("models", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            assert "{_(" not in path.read_text(encoding="utf-8"), path
