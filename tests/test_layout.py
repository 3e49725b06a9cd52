"""The package's layout: stages as subpackages that import only what their __init__ allows, no circles, the
benchmark outside, MkDocs in the site alone; templates and browser files with the code that uses them (the
desk's printed documents in the desk, the search matcher in the site); the sheets' version key follows only
the templates the sheets use; the environment read in the settings modules only."""

from __future__ import annotations

from pathlib import Path

import kiosk
from kiosk.printing.documents import SHEET_TEMPLATES, used_templates
from kiosk.site import assets

PACKAGE = Path(kiosk.__file__).resolve().parent


def test_the_sheets_key_follows_every_template_a_sheet_uses_and_no_other():
    used = used_templates(SHEET_TEMPLATES)
    for name in (
        "notice.html",
        "limits.html",
        "macros.html",
        "print/base.html",
        "print/macros.html",
        "print/parts/sheet.html",
        "print/parts/form-proxy.html",
    ):
        assert name in used, name
    assert not [n for n in used if "desk" in n], "a desk document never re-renders the kiosk's sheets"
    assert "print/correction.html" not in used, "the 补正 notice is rendered on demand, not cached"


def test_the_search_matcher_is_the_packages_own():
    path = assets.path(assets.SEARCH)
    assert path.is_file() and path.is_relative_to(PACKAGE)
    assert not (PACKAGE.parent.parent / "overrides" / "assets" / assets.SEARCH).exists(), "one copy only"


def test_the_environment_is_read_in_the_settings_modules_only():
    """Every setting is declared once (kiosk.settings, kiosk.desk.config) and read there; elsewhere the
    environment is only copied for a child process or set for one."""
    import re

    reads = re.compile(r"os\.environ\.get\(|os\.environ\[[^\]]+\](?!\s*=)|os\.getenv\(")
    allowed = {PACKAGE / "settings.py", PACKAGE / "desk" / "config.py"}
    child = re.compile(r"dict\(os\.environ|\*\*os\.environ")  # a child process's environment, copied whole
    found = [
        f"{p.relative_to(PACKAGE)}:{n}: {line.strip()}"
        for p in sorted(PACKAGE.rglob("*.py"))
        if p not in allowed and not p.name.startswith("bench")
        for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
        if reads.search(line) and not child.search(line)
    ]
    assert not found, "read the environment through kiosk.settings.env / kiosk.desk.config.env:\n" + "\n".join(found)


# ---------------------------------------------------------------- the package laid out by stage

BASE = ("exceptions", "problems", "settings", "files", "clock")  # kiosk/*.py: what every stage may use


def _imports(path: Path, module: str) -> list[tuple[int, str]]:
    """Every kiosk module `path` (module `module`) imports, anywhere in it, as (line, dotted name)."""
    import ast

    tree = ast.parse(path.read_text("utf-8"))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            for a in node.names:
                found.append((node.lineno, f"{base}.{a.name}" if base else a.name))
    return [(n, name) for n, name in found if name == "kiosk" or name.startswith("kiosk.")]


def _stage(dotted: str) -> str:
    """The stage a kiosk name belongs to: a subpackage (catalogue, printing, desk …) or one base module."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else ""


def _modules():
    root = PACKAGE.parent
    for p in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in p.parts:
            continue
        parts = p.relative_to(root).with_suffix("").parts
        yield p, ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_each_stage_imports_only_what_its_init_allows():
    """Each subpackage's __init__ says what it may import ("May import: …"); no module imports more."""
    import re

    allowed = {}
    for init in PACKAGE.glob("*/__init__.py"):
        said = " ".join((init.read_text("utf-8").split('"""')[1]).split())
        m = re.search(r"May import: (.*?)\.(?:\s|$)", said)
        assert m, f"{init.relative_to(PACKAGE.parent)} does not say what it may import"
        allowed[init.parent.name] = {w.removeprefix("kiosk.") for w in re.findall(r"kiosk\.\w+", m.group(1))}
        if "base modules" in m.group(1):
            allowed[init.parent.name] |= set(BASE)
    for name in BASE:
        allowed[name] = set(BASE)
    wrong = []
    for path, module in _modules():
        own = _stage(module)
        if own not in allowed:
            continue
        for line, name in _imports(path, module):
            other = _stage(name)
            if other and other != own and other not in allowed[own]:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {own} imports {name}")
    assert not wrong, "an arrow the stage's __init__ does not allow:\n" + "\n".join(wrong)


def test_no_import_circles_between_stages():
    """The stages form layers: following imports from any stage never leads back to it."""
    graph: dict[str, set[str]] = {}
    for path, module in _modules():
        own = _stage(module)
        graph.setdefault(own, set()).update(_stage(n) for _, n in _imports(path, module) if _stage(n) not in ("", own))

    def reaches(start, goal, seen=()):
        return any(n == goal or (n not in seen and reaches(n, goal, (*seen, n))) for n in graph.get(start, ()))

    circles = sorted(s for s in graph if s and reaches(s, s))
    assert not circles, f"stages in an import circle: {circles}"


def test_no_module_imports_one_that_imports_it_back():
    """No circle between modules either (an import inside a function counts): the package and the
    benchmark read as a tree of steps."""
    graph: dict[str, set[str]] = {}
    bench = PACKAGE.parent / "kiosk_bench"
    for path in sorted([*PACKAGE.rglob("*.py"), *bench.rglob("*.py")]):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        names = {n for _, n in _imports(path, module)} | {n for _, n in _bench_imports(path, module)}
        graph[module] = {_module_of(n) for n in names} - {module, None}

    def circle(start):
        todo, seen = [(start, (start,))], set()
        while todo:
            at, way = todo.pop()
            for n in graph.get(at, ()):
                if n == start:
                    return way
                if n not in seen:
                    seen.add(n)
                    todo.append((n, (*way, n)))
        return None

    found = {tuple(sorted(c)) for m in graph if (c := circle(m))}
    assert not found, f"modules in an import circle: {sorted(found)}"


def _bench_imports(path: Path, module: str):
    import ast

    tree = ast.parse(path.read_text("utf-8"))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level and package[0] == "kiosk_bench":
            base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            for a in node.names:
                yield node.lineno, f"{base}.{a.name}"
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kiosk_bench"):
            for a in node.names:
                yield node.lineno, f"{node.module}.{a.name}"


def _module_of(name: str) -> str | None:
    """The module (file) a dotted name lives in: the longest prefix that is a module of ours."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        base = PACKAGE.parent.joinpath(*parts[:i])
        if base.with_suffix(".py").is_file() or (base / "__init__.py").is_file():
            return ".".join(parts[:i])
    return None


def test_the_benchmark_is_outside_the_runtime_package():
    """kiosk_bench imports the package, never the other way: only the `kiosk bench` command reaches it, when
    run (an import inside the command)."""
    import ast

    import kiosk_bench

    assert not list(PACKAGE.rglob("bench*.py")), "benchmarks live in kiosk_bench"
    assert Path(kiosk_bench.__file__).resolve().parent.parent == PACKAGE.parent
    found = []
    for path, _ in _modules():
        tree = ast.parse(path.read_text("utf-8"))
        top = {id(n) for n in tree.body}
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n.split(".")[0] == "kiosk_bench" for n in names):
                found.append((str(path.relative_to(PACKAGE)), id(node) in top))
    assert found and all(p == "cli/site.py" and not at_top for p, at_top in found), found


def test_mkdocs_is_used_only_by_the_sites_plugin_and_build():
    import re

    uses = re.compile(r"^\s*(from|import) mkdocs\b", re.M)
    found = sorted(str(p.relative_to(PACKAGE)) for p, _ in _modules() if uses.search(p.read_text("utf-8")))
    assert found and set(found) <= {"site/plugin.py", "site/build.py"}, found
