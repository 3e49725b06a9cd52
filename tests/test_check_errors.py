"""`kiosk check` on broken catalogues: every mistake at once, exact to the line, never a traceback.

Each folder under fixtures/broken/ holds the files laid over the small good
catalogue (fixtures/good/), an optional `remove` list, and `expect`: the exact
lines `kiosk check` must print for it.
"""

from __future__ import annotations

import pytest

from conftest import FIXTURES, catalogue_from, run_kiosk

CASES = sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_fixture_reports_exact_lines(case, tmp_path):
    catalogue_from(tmp_path, overlay=case)
    result = run_kiosk("check", "matters", cwd=tmp_path)
    expected = (case / "expect").read_text("utf-8").splitlines()
    assert expected, f"{case.name}/expect is empty"
    assert "Traceback" not in result.stdout + result.stderr
    printed = result.stdout.splitlines()
    for line in expected:
        assert line in printed, f"missing line: {line}\nprinted:\n{result.stdout}"
    warnings_only = all("提醒：" in line for line in expected)
    assert result.returncode == (0 if warnings_only else 1)


def test_every_issue_case_has_a_fixture():
    names = {c.name for c in CASES}
    assert {
        "yaml-syntax", "tab-indent", "duplicate-key", "not-utf8", "empty-file", "top-level-list",
        "unknown-field", "missing-required", "wrong-type", "enum-values", "bad-days", "promise-over-limit",
        "instant-with-days", "stem-not-id", "duplicate-id", "duplicate-task-code", "prerequisite-missing",
        "prerequisite-cycle", "unknown-staff-window", "unknown-topic", "bad-url-phone", "duplicate-material",
        "no-materials", "center-missing", "calendar-unknown-year", "warnings", "local-unknown-field",
        "local-missing-matter",
    } <= names


def test_unknown_field_suggests_the_nearest_name(tmp_path):
    catalogue_from(tmp_path, overlay=FIXTURES / "broken" / "unknown-field")
    out = run_kiosk("check", "matters", cwd=tmp_path).stdout
    assert "matters/unknown-field.yaml:13:1: materails: 不认识的字段 materails，是不是要写 materials？" in out


def test_all_problems_of_all_files_at_once_sorted_then_counted(tmp_path):
    target = catalogue_from(tmp_path, overlay=FIXTURES / "broken" / "enum-values")
    for name in ("wrong-type", "tab-indent"):
        src = FIXTURES / "broken" / name / f"{name}.yaml"
        (target / src.name).write_bytes(src.read_bytes())
    result = run_kiosk("check", "matters", cwd=tmp_path)
    lines = result.stdout.splitlines()
    problems = lines[:-1]
    assert [l.split(":")[0] for l in problems] == sorted(l.split(":")[0] for l in problems)
    assert {l.split(":")[0] for l in problems} == {
        "matters/enum-values.yaml", "matters/tab-indent.yaml", "matters/wrong-type.yaml"}
    assert lines[-1] == f"共 {len(problems)} 个错误，0 个提醒"
    assert result.returncode == 1


def test_nothing_is_written_on_errors(tmp_path):
    catalogue_from(tmp_path, overlay=FIXTURES / "broken" / "wrong-type")
    result = run_kiosk("export", "matters", "-o", "out/catalogue.json", cwd=tmp_path)
    assert result.returncode == 1
    assert "matters/wrong-type.yaml:12:1: promise_day:" in result.stdout
    assert not (tmp_path / "out").exists()


def test_missing_folder_is_an_error_not_a_traceback(tmp_path):
    result = run_kiosk("check", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert "找不到事项目录" in result.stdout
    assert "Traceback" not in result.stderr
