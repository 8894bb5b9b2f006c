"""The layers hold: interfaces parse, ask and render; services write and audit; nothing below the views
sees an ``HttpRequest`` (docs/architecture.md, "Layers and the acting context"); the registries are read
through ``registries/sources.py`` ("Import rules")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "careerbreak"
INTERFACES = ("employer", "worker", "portal", "office", "api")
# The apps below the interfaces: they get who acts as an Acting, never the request.
BELOW_THE_VIEWS = ("interruptions", "registries", "mailbox", "documents")
BELOW_THE_VIEWS_FILES = ("identity/access.py", "identity/services.py")
# Admin classes get Django's request by the admin's own contract.
FRAMEWORK_HOOKS = ("admin.py",)
WRITES = {"create", "update", "delete", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}


def _modules(*apps: str) -> list[Path]:
    return sorted(
        path
        for app in apps
        if (SRC / app).is_dir()
        for path in (SRC / app).rglob("*.py")
        if "migrations" not in path.parts
    )


def _names_in_chain(node: ast.expr) -> list[str]:
    names = []
    while isinstance(node, ast.Attribute | ast.Call):
        if isinstance(node, ast.Call):
            node = node.func
            continue
        names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        names.append(node.id)
    return names


def _writes(path: Path) -> list[str]:
    """The audit calls and ORM writes in one module, as ``line: what``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in {"audit_log", "audit_write"}:
            found.append(f"{node.lineno}: {func.id}(")
        elif isinstance(func, ast.Attribute):
            receiver = _names_in_chain(func.value)
            if func.attr in WRITES and "objects" in receiver:
                found.append(f"{node.lineno}: .objects…{func.attr}(")
            elif func.attr in {"save", "delete"} and "session" not in receiver:
                found.append(f"{node.lineno}: .{func.attr}(")
    return found


@pytest.mark.parametrize("path", _modules(*INTERFACES), ids=lambda p: str(p.relative_to(SRC)))
def test_an_interface_module_neither_writes_the_orm_nor_the_audit(path: Path) -> None:
    assert _writes(path) == [], "move the write into a service that takes the Acting"


def _takes_a_request(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
                annotation = ast.unparse(arg.annotation) if arg.annotation else ""
                if arg.arg == "request" or "HttpRequest" in annotation:
                    found.append(f"{node.lineno}: {node.name}({arg.arg})")
    return found


@pytest.mark.parametrize(
    "path",
    [
        *[p for p in _modules(*BELOW_THE_VIEWS) if p.name not in FRAMEWORK_HOOKS],
        *[SRC / name for name in BELOW_THE_VIEWS_FILES],
    ],
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_no_service_or_selector_takes_the_http_request(path: Path) -> None:
    assert _takes_a_request(path) == [], "take an Acting (identity.acting) instead of the request"


REGISTRY_MODELS = {"Person", "Enterprise", "Employment", "JointCommittee", "WorkerStatus", "PriorLeave"}
# The registries themselves, the demo data that fills them, and the development identity provider's list
# of test citizens read the local tables by design.
REGISTRY_OWNERS = ("registries", "demo", "devidp")


def _registry_reads(path: Path) -> list[str]:
    """Queries on the registries' models, but for a row lock (``select_for_update``: ADR 0007)."""
    lines = path.read_text().splitlines()
    return [
        f"{node.lineno}: {node.value.id}.objects"
        for node in ast.walk(ast.parse("\n".join(lines), str(path)))
        if isinstance(node, ast.Attribute)
        and node.attr == "objects"
        and isinstance(node.value, ast.Name)
        and node.value.id in REGISTRY_MODELS
        and "select_for_update" not in lines[node.lineno - 1]
    ]


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in _modules(*[d.name for d in SRC.iterdir() if d.is_dir()])
        if p.relative_to(SRC).parts[0] not in REGISTRY_OWNERS
    ],
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_the_registries_are_read_through_their_sources_only(path: Path) -> None:
    assert _registry_reads(path) == [], (
        "read through registries/sources.py (national_register(), dimona(), …)"
    )


def test_the_checks_see_what_they_look_for(tmp_path: Path) -> None:
    """The two checks above find a write and a request where there is one (so that they can fail)."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def view(request: HttpRequest) -> None:\n"
        "    audit_log(action='x')\n"
        "    Draft.objects.filter(pk=1).delete()\n"
        "    draft.save()\n"
        "    request.session.save()\n"
        "    types.update({})\n"
        "    Person.objects.filter(niss=niss).first()\n"
        "    Person.objects.select_for_update().get(niss=niss)\n"
    )
    assert _writes(sample) == ["2: audit_log(", "3: .objects…delete(", "4: .save("]
    assert _takes_a_request(sample) == ["1: view(request)"]
    assert _registry_reads(sample) == ["7: Person.objects"]
