"""The domain imports neither Django nor file-format libraries nor the layers above it."""

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "src/chainproof/domain"
FORBIDDEN = ("django", "openpyxl", "python_calamine", "zipfile", "csv", "xml", "chainproof.")
ALLOWED = ("chainproof.domain",)


def imports(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def forbidden(name):
    if name.startswith(ALLOWED):
        return False
    return any(name == f or name.startswith(f if f.endswith(".") else f + ".") for f in FORBIDDEN)


def test_the_domain_imports_no_framework_and_no_file_format():
    files = sorted(DOMAIN.rglob("*.py"))
    assert len(files) > 10
    found = [
        f"{path.relative_to(DOMAIN)}: {name}"
        for path in files
        for name in imports(path)
        if forbidden(name)
    ]
    assert found == []


def test_the_check_would_see_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import zipfile\nfrom openpyxl.utils import get_column_letter\n")
    assert list(imports(sample)) == ["zipfile", "openpyxl.utils"]
    assert [forbidden(n) for n in ("zipfile", "openpyxl.utils", "django.db")] == [True] * 3
    assert [forbidden(n) for n in ("chainproof.fileformats.xlsx", "chainproof.suppliers")] == [
        True,
        True,
    ]
    assert [forbidden(n) for n in ("chainproof.domain.tabular", "csvkit", "re", "yaml")] == [
        False
    ] * 4
