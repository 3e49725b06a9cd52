"""`kiosk check` on broken catalogues: every mistake at once, exact to the line, never a traceback.

Each folder under fixtures/broken/ holds the files laid over the small good
catalogue (fixtures/good/), an optional `remove` list, and `expect`: every line
`kiosk check` must print for it, before its count (a wrong extra line fails too).
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
    printed = [line for line in result.stdout.splitlines() if not line.startswith(("共 ", "检查通过："))]
    assert printed == expected, "the whole report, no line more or less:\n" + result.stdout
    warnings_only = all("提醒：" in line for line in expected)
    assert result.returncode == (0 if warnings_only else 1)


def test_every_issue_case_has_a_fixture():
    names = {c.name for c in CASES}
    assert {
        "yaml-syntax",
        "tab-indent",
        "duplicate-key",
        "not-utf8",
        "empty-file",
        "top-level-list",
        "unknown-field",
        "missing-required",
        "wrong-type",
        "enum-values",
        "bad-days",
        "promise-over-limit",
        "instant-with-days",
        "stem-not-id",
        "duplicate-id",
        "duplicate-task-code",
        "prerequisite-missing",
        "prerequisite-cycle",
        "unknown-staff-window",
        "unknown-topic",
        "bad-url-phone",
        "duplicate-material",
        "no-materials",
        "center-missing",
        "calendar-unknown-year",
        "warnings",
        "local-unknown-field",
        "local-missing-matter",
        "limit-units",
        "unit-instant",
        "yes-no",
        "person-id",
        "applicant-sets",
        "placeholders",
        "names-township",
        "unit-not-said",
        "unstated",
        "fees-flag",
        "center-empty-list",
        "guide-shape",
        "guide-shape-types",
        "office-placeholder",
    } <= names


def test_unknown_field_suggests_the_nearest_name(tmp_path):
    catalogue_from(tmp_path, overlay=FIXTURES / "broken" / "unknown-field")
    out = run_kiosk("check", "matters", cwd=tmp_path).stdout
    assert "matters/unknown-field.yaml:15:1: materails: 不认识的字段 materails，是不是要写 materials？" in out


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
        "matters/enum-values.yaml",
        "matters/tab-indent.yaml",
        "matters/wrong-type.yaml",
    }
    assert lines[-1] == f"共 {len(problems)} 个错误，0 个提醒"
    assert result.returncode == 1


def test_nothing_is_written_on_errors(tmp_path):
    catalogue_from(tmp_path, overlay=FIXTURES / "broken" / "wrong-type")
    result = run_kiosk("export", "matters", "-o", "out/catalogue.json", cwd=tmp_path)
    assert result.returncode == 1
    assert "matters/wrong-type.yaml:13:1: promise_day:" in result.stdout
    assert not (tmp_path / "out").exists()


def test_missing_folder_is_an_error_not_a_traceback(tmp_path):
    result = run_kiosk("check", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert "找不到事项目录" in result.stdout
    assert "Traceback" not in result.stderr


def test_complete_makes_unstated_elements_and_placeholders_errors(tmp_path):
    """A county that wants a complete catalogue: `kiosk check --complete` (and `kiosk publish --complete`)."""
    target = catalogue_from(tmp_path, overlay=FIXTURES / "broken" / "unstated")
    for name in ("placeholders",):
        src = FIXTURES / "broken" / name / f"{name}.yaml"
        (target / src.name).write_bytes(src.read_bytes())
    plain = run_kiosk("check", "matters", cwd=tmp_path)
    assert plain.returncode == 0, plain.stdout
    strict = run_kiosk("check", "matters", "--complete", cwd=tmp_path)
    assert strict.returncode == 1
    lines = strict.stdout.splitlines()
    for line in (
        "matters/unstated.yaml:1:1: task_type: 未载明：事项类型（要求目录写全：请照原指南补上，原指南没有的请向实施部门问清楚）",
        "matters/unstated.yaml:9:5: materials[0].is_need: 未载明：材料1的必要性（要求目录写全：请照原指南补上，原指南没有的请向实施部门问清楚）",
        "matters/unstated.yaml:11:5: materials[1].original: 未载明：材料2的份数（要求目录写全：请照原指南补上，原指南没有的请向实施部门问清楚）",
        "matters/unstated.yaml:17:5: special_procedure[0].counted: 未载明：公示是否计入时限（要求目录写全：请照原指南补上，原指南没有的请向实施部门问清楚）",
        "matters/placeholders.yaml:6:1: dept_name: 这里像是没填完的模板文字“待定”，不是原指南的内容",
    ):
        assert line in lines, strict.stdout
    assert not any("原指南未载明 17 项" in line for line in lines), "each element on its own line, not the summary"


def test_the_samples_own_marks_are_allowed_only_in_a_sample(tmp_path):
    """The sample's 某某 names and （示例） addresses say what they are while `sample: true`."""
    target = catalogue_from(tmp_path)
    assert "sample: true" in (target / "_catalogue.yaml").read_text("utf-8")
    assert "某某" not in run_kiosk("check", "matters", cwd=tmp_path).stdout
    info = target / "_catalogue.yaml"
    info.write_text(info.read_text("utf-8").replace("sample: true", "sample: false"), "utf-8")
    out = run_kiosk("check", "matters", cwd=tmp_path).stdout
    assert "提醒：这里像是没填完的模板文字“某某”" in out and "提醒：这里像是没填完的模板文字“示例”" in out


ALLOWED_ASCII = {"true", "false", "http", "https", "javascript", "data", "matters", "schema", "json", "yaml"}


@pytest.mark.parametrize("kind", __import__("typing").get_args(__import__("pydantic_core").core_schema.ErrorType))
def test_no_english_of_the_validator_reaches_a_message(kind):
    """Every error type pydantic knows, fed through the messages: plain Chinese, never pydantic's English."""
    import re

    from pydantic_core import PydanticKnownError

    from kiosk.catalogue.validation import explain
    from kiosk.model import Matter

    ctx = {
        "gt": 0,
        "ge": 0,
        "lt": 9,
        "le": 9,
        "min_length": 1,
        "max_length": 9,
        "actual_length": 0,
        "expected": "'必要' or '非必要'",
        "pattern": "^[a-z]+$",
        "multiple_of": 2,
        "error": "Value error, boom",
        "field_type": "List",
        "class_name": "Matter",
        "attribute": "x",
        "tag": "x",
        "discriminator": "x",
        "expected_tags": "x",
        "max_digits": 3,
        "decimal_places": 2,
        "whole_digits": 1,
        "expected_plural": "x",
        "expected_version": 4,
        "url_type": "x",
        "max_length_url": 9,
        "reason": "x",
        "tz_expected": 0,
        "tz_actual": 1,
        "type_name": "x",
        "object_type": "x",
        "expected_schemes": "'http'",
        "errors": "x",
        "schema_type": "x",
        "input_type": "x",
        "ordinal": "x",
        "unit": "x",
        "key": "x",
        "msg": "x",
        "ctx": "x",
        "name": "x",
        "expected_length": 1,
    }
    try:
        english = PydanticKnownError(kind, ctx).message()
    except Exception:  # a type pydantic cannot render with this context: its own name stands in
        english = kind.replace("_", " ")
    err = {"type": kind, "loc": ("materials", 0, "xq"), "msg": english, "input": "五天", "ctx": ctx}
    said = explain(Matter, err)
    assert english not in said
    words = set(re.findall(r"[A-Za-z]{4,}", said)) - ALLOWED_ASCII - set(Matter.model_fields)
    assert not words, f"{kind}: {said}"
    assert "{" not in said and "}" not in said, said
