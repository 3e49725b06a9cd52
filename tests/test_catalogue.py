"""The bundled sample catalogue, the JSON export and the editor's JSON Schema."""

from __future__ import annotations

import json
from collections import Counter

from conftest import SAMPLE, run_kiosk

from kiosk.catalogue.load import load
from kiosk.cli.main import matter_schema_text
from kiosk.model import Catalogue, Matter


def sample():
    loaded = load(SAMPLE)
    assert loaded.ok, "\n".join(map(str, loaded.problems))
    return loaded.catalogue


def test_sample_passes_check_with_no_errors():
    result = run_kiosk("check")
    assert result.returncode == 0, result.stdout
    assert "共 0 个错误" in result.stdout


def test_sample_has_what_a_township_center_handles():
    cat = sample()
    matters = cat.matters
    assert cat.catalogue.sample is True
    assert len(matters) >= 30
    assert len({t for m in matters for t in m.user_topic_type}) >= 8
    with_prereq = [m for m in matters if any(p.matter for p in m.prerequisites)]
    assert len(with_prereq) >= 5
    assert sum(bool(m.proxy and m.proxy.allowed) for m in matters) >= 8
    assert Counter(m.project_type for m in matters).keys() == {"即办件", "承诺件"}
    assert any(x.is_need == "容缺后补" for m in matters for x in m.materials)
    assert any(x.situations for m in matters for x in m.materials)
    assert any(p.name for m in matters for p in m.prerequisites), "an outside approval as prerequisite"


def test_sample_uses_the_elements_real_guides_need():
    """What real guides say beyond the old schema is in the sample where a real matter would have it."""
    from kiosk.calendar.limits import deadline
    from kiosk.catalogue.unstated import unstated

    matters = sample().matters
    assert len([m for m in matters if unstated(m)]) >= 3
    stage_only = [m.id for m in matters if deadline(m, None, None).stage_only]
    assert len(stage_only) >= 2, stage_only
    assert any(len(m.promise_by) >= 2 for m in matters), "limits per applicant type"
    assert any(m.applicant_types and any(x.applicants for x in m.materials) for m in matters), "material sets"
    assert len([m for m in matters if m.supervise_way]) >= 2
    assert len([m for m in matters if m.standards]) >= 2
    assert any(m.online_handle_url for m in matters)
    assert any(m.extension for m in matters)
    assert any(x.original_use == "核验" for m in matters for x in m.materials)


def test_sample_has_a_prerequisite_chain_of_two():
    by_id = {m.id: m for m in sample().matters}
    needs = {m.id: [p.matter for p in m.prerequisites if p.matter] for m in by_id.values()}
    chains = [(a, b, c) for a in needs for b in needs[a] for c in needs.get(b, [])]
    assert chains, "no matter whose prerequisite has a prerequisite of its own"


def test_sample_names_real_topics_residents_ask_for():
    names = " ".join(m.task_name for m in sample().matters)
    for word in (
        "最低生活保障",
        "特困",
        "临时救助",
        "养老保险",
        "医疗保险",
        "残疾人",
        "高龄",
        "宅基地",
        "乡村建设规划许可",
        "林木采伐",
        "生育登记",
        "退役军人",
        "法律援助",
        "人民调解",
    ):
        assert word in names, word


def test_export_holds_every_field_and_round_trips(tmp_path):
    out = tmp_path / "catalogue.json"
    result = run_kiosk("export", "--format", "json", "-o", out)
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(out.read_text("utf-8"))
    assert set(data) == {"township", "center", "catalogue", "matters", "local", "changes", "unstated"}
    assert data["township"] == "dahepingxiang"
    assert data["center"]["name"] == "沅陵县大合坪乡便民服务中心"
    first = data["matters"][0]
    assert set(first) == set(Matter.model_fields), "every field of the model is exported"
    blanks = data.pop("unstated")
    assert {"field": "anticipate_day", "label": "法定办结时限", "reason": "未载明"} in blanks["dibao-apply"]
    assert data["matters"][[m["id"] for m in data["matters"]].index("dibao-apply")]["anticipate_day"] is None
    again = Catalogue.model_validate(data)
    assert again == sample()
    assert again.model_dump(mode="json") == data


def test_export_to_stdout_is_the_same_json(tmp_path):
    to_file = tmp_path / "c.json"
    run_kiosk("export", "-o", to_file)
    assert json.loads(run_kiosk("export").stdout) == json.loads(to_file.read_text("utf-8"))


def test_schema_file_is_not_stale():
    kept = (SAMPLE / "schema.json").read_text("utf-8")
    assert kept == matter_schema_text(), "run: kiosk schema -o matters/schema.json"


def test_schema_describes_fields_in_chinese():
    schema = json.loads(matter_schema_text())
    props = schema["properties"]
    assert props["task_name"]["description"] == "事项名称"
    assert "materials" in schema["required"] or "task_name" in schema["required"]
    assert schema["additionalProperties"] is False
    material = schema["$defs"]["Material"]["properties"]["is_need"]
    assert {"enum": ["必要", "非必要", "容缺后补", "信息免交"], "type": "string"} in material["anyOf"]
    assert {"type": "null"} in material["anyOf"], "left out, it is 未载明"
    assert "必要性" in material["description"]


def test_every_sample_matter_file_points_editors_at_the_schema():
    for f in SAMPLE.glob("[a-z]*.yaml"):
        assert f.read_text("utf-8").startswith("# yaml-language-server: $schema=schema.json"), f.name


def test_usage_errors_exit_2():
    assert run_kiosk("check", "--no-such-option").returncode == 2
    assert run_kiosk("export", "--format", "csv").returncode == 2
    assert run_kiosk("no-such-command").returncode == 2
