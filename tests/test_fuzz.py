"""Broken catalogues, made on purpose and at random: `kiosk check` never crashes, and every error it
prints names an existing file and a line within it.

The property test mutates the small good catalogue (deleting, duplicating, retyping and renaming
fields, cutting files, swapping encodings …). CI runs the `ci` profile; the dedicated run is
`HYPOTHESIS_PROFILE=fuzz python3 -m pytest tests/test_fuzz.py` (10,000 examples).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import yaml
from conftest import GOOD, catalogue_from, run_kiosk
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.catalogue.load import load
from kiosk.problems import ERROR

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("fuzz", max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FILES = {p.relative_to(GOOD).as_posix(): p.read_bytes() for p in sorted(GOOD.rglob("*.yaml"))}
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<field>.+?): (?P<text>.+)$")
ODD_VALUES = [
    0,
    -1,
    3.5,
    True,
    None,
    "",
    "no",
    "010",
    "1e3",
    "2024-01-01",
    "~",
    [],
    {},
    [1, [2]],
    {"a": {"b": 1}},
    "x" * 5000,
    "<script>alert(1)</script>",
    "\u202e反向",
    "𠀀",
    12345678901234567890,
]


def paths(data, here=()):
    """Every path to a value inside parsed YAML."""
    yield here
    if isinstance(data, dict):
        for k, v in data.items():
            yield from paths(v, here + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from paths(v, here + (i,))


def at(data, path):
    for p in path:
        data = data[p]
    return data


@st.composite
def mutated(draw):
    """(file name, new bytes or None to delete it) for one mutation of one file of the good catalogue."""
    name = draw(st.sampled_from(sorted(FILES)))
    raw = FILES[name]
    kind = draw(
        st.sampled_from(
            [
                "delete-key",
                "retype",
                "rename-key",
                "duplicate-line",
                "cut",
                "insert-bytes",
                "encoding",
                "tab",
                "remove-file",
                "empty",
                "swap-lines",
            ]
        )
    )
    text = raw.decode("utf-8")
    if kind in ("delete-key", "retype", "rename-key"):
        data = yaml.safe_load(text)
        target = draw(st.sampled_from([p for p in paths(data) if p]))
        parent, key = at(data, target[:-1]), target[-1]
        if kind == "delete-key":
            del parent[key]
        elif kind == "retype":
            parent[key] = draw(st.sampled_from(ODD_VALUES))
        elif isinstance(parent, dict):
            new = draw(st.one_of(st.text(min_size=1, max_size=12), st.just(str(key)[::-1]), st.just(str(key) + "s")))
            parent[new] = parent.pop(key)
        return name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
    lines = text.splitlines(keepends=True)
    if kind == "duplicate-line":
        i = draw(st.integers(0, len(lines) - 1))
        lines.insert(i, lines[i])
        return name, "".join(lines).encode("utf-8")
    if kind == "swap-lines":
        i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
        return name, "".join(lines).encode("utf-8")
    if kind == "cut":
        return name, raw[: draw(st.integers(0, len(raw)))]
    if kind == "insert-bytes":
        i = draw(st.integers(0, len(raw)))
        return name, raw[:i] + draw(st.binary(min_size=1, max_size=8)) + raw[i:]
    if kind == "encoding":
        codec = draw(st.sampled_from(["utf-16", "gb18030", "big5", "latin-1", "utf-8-sig", "utf-32"]))
        return name, text.encode(codec, errors="replace")
    if kind == "tab":
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = "\t" + lines[i]
        return name, "".join(lines).encode("utf-8")
    if kind == "remove-file":
        return name, None
    return name, b""


def check_invariants(root: Path) -> None:
    loaded = load(root)  # must not raise
    for p in loaded.problems:
        shown = str(p)
        found = LINE.match(shown)
        assert found, shown
        assert p.line >= 1 and p.col >= 1, shown
        path = Path(p.file)
        if path.is_file():
            lines = path.read_bytes().count(b"\n") + 1
            assert p.line <= lines, shown
        else:
            assert "找不到" in p.text or "没有" in p.text or path.is_dir(), shown
    errors = [p for p in loaded.problems if p.severity == ERROR]
    assert loaded.ok == (not errors)


@given(mutated())
def test_check_never_crashes_and_every_error_names_a_real_line(change):
    name, data = change
    root = Path(tempfile.mkdtemp(prefix="fuzz-")) / "matters"
    try:
        shutil.copytree(GOOD, root)
        if data is None:
            (root / name).unlink()
        else:
            (root / name).write_bytes(data)
        check_invariants(root)
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)


def test_the_command_exits_0_or_1_and_prints_no_traceback(tmp_path):
    target = catalogue_from(tmp_path)
    (target / "renmin-tiaojie.yaml").write_bytes(FILES["renmin-tiaojie.yaml"][:200])
    (target / "dibao-apply.yaml").write_bytes(FILES["dibao-apply.yaml"].decode("utf-8").encode("utf-16"))
    result = run_kiosk("check", "matters", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    for line in result.stdout.splitlines()[:-1]:
        assert LINE.match(line), line


# ---------------------------------------------------------------- YAML's own traps


def write_matter(tmp_path, text: str, name="odd.yaml") -> Path:
    target = catalogue_from(tmp_path)
    (target / name).write_text(text, "utf-8")
    return target


def test_an_alias_bomb_is_refused_at_once(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi")
    )
    target = write_matter(tmp_path, "id: odd\n" + bomb)
    started = time.perf_counter()
    loaded = load(target)
    assert time.perf_counter() - started < 5
    assert any("不支持 YAML 锚点和别名" in p.text and p.file.endswith("odd.yaml") for p in loaded.problems)


def test_a_10_mb_file_gets_a_clear_error(tmp_path):
    target = write_matter(tmp_path, "id: odd\nsummary: " + "长" * 3_500_000 + "\n")
    problems = [str(p) for p in load(target).problems]
    assert any(p.startswith(f"{target.as_posix()}/odd.yaml:1:1: -: 文件太大") for p in problems), problems


def test_deep_nesting_gets_a_clear_error(tmp_path):
    target = write_matter(tmp_path, "id: odd\nsummary: " + "[" * 5000 + "]" * 5000 + "\n")
    assert any("嵌套太深" in p.text for p in load(target).problems)
    target = write_matter(
        tmp_path / "b", "id: odd\nsummary:" + "".join(f"\n{' ' * (2 * i + 2)}k{i}:" for i in range(60)) + " x\n"
    )
    assert any("嵌套太深" in p.text for p in load(target).problems)


def test_yaml_1_1_surprises_stay_the_text_the_editor_meant(tmp_path):
    text = FILES["renmin-tiaojie.yaml"].decode("utf-8")
    text = text.replace("summary: 邻里、家庭有纠纷，可以请调解员免费调解。", "summary: no")
    text = text.replace(
        "keywords: [调解, 吵架, 纠纷]", "keywords: [yes, 'on', 010, 0x1F, 1e3, 2024-01-01, 12:30, .inf, 0o17]"
    )
    target = write_matter(tmp_path, text, "renmin-tiaojie.yaml")
    loaded = load(target)
    assert loaded.ok, loaded.problems
    m = loaded.matter("renmin-tiaojie")
    assert m.summary == "no"
    assert m.keywords == ["yes", "on", "010", "0x1F", "1e3", "2024-01-01", "12:30", ".inf", "0o17"]


def test_empty_value_in_a_required_text_field_is_an_error_not_a_guess(tmp_path):
    text = FILES["renmin-tiaojie.yaml"].decode("utf-8").replace("task_name: 人民调解申请", "task_name: ~")
    target = write_matter(tmp_path, text, "renmin-tiaojie.yaml")
    problems = [str(p) for p in load(target).problems]
    assert (
        f"{target.as_posix()}/renmin-tiaojie.yaml:2:1: task_name: 这里是空的（~、null 或什么也没写），应写上内容"
        in problems
    )


def test_ten_thousand_matters_are_read(tmp_path):
    target = catalogue_from(tmp_path)
    body = FILES["renmin-tiaojie.yaml"].decode("utf-8")
    for i in range(10_000):
        (target / f"m{i:05d}.yaml").write_text(body.replace("id: renmin-tiaojie", f"id: m{i:05d}"), "utf-8")
    loaded = load(target)
    assert loaded.ok, loaded.problems[:3]
    assert len(loaded.catalogue.matters) == 10_002
