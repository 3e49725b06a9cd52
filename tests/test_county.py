"""County publishing: townships over one county catalogue, change reports, safe publish and rollback."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import threading
import urllib.request

import pytest
from browser import served
from conftest import FIXTURES, GOOD, SAMPLE, catalogue_from, project_copy, run_kiosk

from kiosk.catalogue.load import load_or_raise, localized
from kiosk.cli.common import contexts
from kiosk.publish import releases as releases
from kiosk.publish import server as county_server
from kiosk.publish import signing, status


def tree(folder) -> dict[str, str]:
    """Every file under `folder` with its checksum."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


# ---------------------------------------------------------------- two townships


def test_check_covers_every_township_and_build_picks_one():
    result = run_kiosk("check")
    assert result.returncode == 0, result.stdout
    assert "2 个乡镇（dahepingxiang、guanzhuangzhen）" in result.stdout
    # every {乡镇} each township's offices fill in is listed, township by township; no 提醒 is counted for it
    out = result.stdout.splitlines()
    here = out.index("大合坪乡（dahepingxiang）按 matters/_townships/dahepingxiang/center.yaml 的 offices 填入 79 处：")
    there = out.index(
        "官庄镇（guanzhuangzhen）按 matters/_townships/guanzhuangzhen/center.yaml 的 offices 填入 79 处："
    )
    assert (
        out[here + 1 : there].count("matters/dibao-apply.yaml:9: entrust_name: {乡镇}人民政府 → 大合坪乡人民政府") == 1
    )
    assert "matters/dibao-apply.yaml:9: entrust_name: {乡镇}人民政府 → 官庄镇人民政府" in out[there + 1 :]
    assert "matters/falv-yuanzhu.yaml:11: other_dept[0].name: {乡镇}司法所 → 官庄镇司法所" in out[there + 1 :]
    assert load_or_raise(SAMPLE).township == "dahepingxiang"
    assert load_or_raise(SAMPLE, "guanzhuangzhen").catalogue.center.name == "沅陵县官庄镇便民服务中心"
    unknown = run_kiosk("check", "--township", "nowhere")
    assert unknown.returncode == 1 and "没有乡镇 nowhere" in unknown.stdout


def test_two_townships_build_from_one_county_catalogue(built_sites):
    """`kiosk build --all-townships`: every township's site in one run, one progress line each."""
    sites, said = built_sites
    lines = said.strip().splitlines()
    assert lines[0].startswith("[1/2] 沅陵县大合坪乡便民服务中心（dahepingxiang）：30 个事项")
    assert lines[1].startswith("[2/2] 沅陵县官庄镇便民服务中心（guanzhuangzhen）：30 个事项")
    assert lines[2] == "共 2 个乡镇：成功 2 个，失败 0 个（—）"
    built_site, other = sites / "dahepingxiang", sites / "guanzhuangzhen"
    here = (built_site / "matters" / "dibao-apply" / "index.html").read_text("utf-8")
    there = (other / "matters" / "dibao-apply" / "index.html").read_text("utf-8")
    assert "0745-0000103" in here and "李某某" in here and "大合坪乡便民服务中心" in here
    assert "0745-0000203" in there and "钟某某" in there and "官庄镇便民服务中心" in there
    assert "本镇每月 1 日至 20 日集中受理低保申请" in there and "本镇每月" not in here
    # a county matter the town does not handle is shown, with where to go instead
    elsewhere = (other / "matters" / "linmu-caifa" / "index.html").read_text("utf-8")
    assert "本中心不办这件事，请到沅陵县林业局（县政务服务中心林业窗口）办理" in elsewhere
    assert "林木采伐许可证核发" in (other / "topics" / "linye" / "index.html").read_text("utf-8")
    assert "到县里办" in (other / "topics" / "linye" / "index.html").read_text("utf-8")
    # the town's extra material is on its page and its sheet, and only there
    assert "建房安全告知签收单" in (other / "matters" / "zhaijidi-apply" / "index.html").read_text("utf-8")
    assert "建房安全告知签收单" not in (built_site / "matters" / "zhaijidi-apply" / "index.html").read_text("utf-8")
    assert (other / "sheets" / "zhaijidi-apply.pdf").is_file()


def test_a_townships_own_words_for_a_matter_find_it_there_and_only_there(tmp_path):
    """What people of one township call a matter (its local.yaml `keywords`, where the desk's page of unfound
    searches sends them) is a 俗称 of that matter on that township's kiosk: in the keyboard's index (which the
    desk's intake search and `kiosk searches` use too), on the page's 也叫, among the characters handwriting
    offers; the other township's kiosk does not have it."""
    import yaml

    from kiosk.catalogue.view import CatalogueView, page_source
    from kiosk.printing.context import BuildContext
    from kiosk.site.pages import catalogue_characters, search_index, site_files
    from kiosk.site.searches import suggest

    matters = catalogue_from(tmp_path, SAMPLE)
    local_file = matters / "_townships" / "guanzhuangzhen" / "local.yaml"
    local = yaml.safe_load(local_file.read_text("utf-8"))
    local["matters"].setdefault("kunjing-ertong", {})["keywords"] = [
        "娃崽没人带",
        "没人管的孩子",
    ]  # the 2nd: the county's
    local_file.write_text(yaml.safe_dump(local, allow_unicode=True), "utf-8")

    def kiosk(township):
        loaded = load_or_raise(matters, township)
        index = search_index(CatalogueView(loaded.catalogue))
        page = site_files(BuildContext(loaded))[page_source("kunjing-ertong")]
        return index, page, catalogue_characters(CatalogueView(loaded.catalogue))

    index, page, chars = kiosk("guanzhuangzhen")
    entry = next(e for e in index if e["id"] == "kunjing-ertong")
    words = [k for k, _ in entry["kw"]]
    assert words[-1] == "娃崽没人带" and words.count("没人管的孩子") == 1, "after the county's, each once"
    assert dict(entry["kw"])["娃崽没人带"] == ["wa", "zai", "mei", "ren", "dai"]
    assert suggest("娃崽没人带", index)["id"] == "kunjing-ertong"
    assert "也叫：孤儿补助" in page and "没人管的孩子、娃崽没人带" in page
    assert "崽" in chars
    index, page, chars = kiosk("dahepingxiang")
    assert "娃崽没人带" not in json.dumps(index, ensure_ascii=False) and "娃崽没人带" not in page
    assert "崽" not in chars


def test_all_townships_are_checked_before_any_is_built(tmp_path):
    project = project_copy(tmp_path / "project")
    center = project / "matters" / "_townships" / "guanzhuangzhen" / "center.yaml"
    center.write_text(center.read_text("utf-8").replace("0745-0000203", "12-34", 1), "utf-8")
    result = run_kiosk("build", "--all-townships", cwd=project)
    assert result.returncode == 1
    assert "matters/_townships/guanzhuangzhen/center.yaml:" in result.stdout
    assert not (project / "sites").exists(), "no township is built while one has errors"
    both = run_kiosk("build", "--all-townships", "--township", "dahepingxiang", cwd=project)
    assert both.returncode == 2 and "只能选一个" in both.stderr


def test_publish_all_townships_gives_each_its_own_live_release(tmp_path):
    project = project_copy(tmp_path / "project")
    out = tmp_path / "out"
    result = run_kiosk("publish", "--to", out, "--all-townships", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    for township, name in (("dahepingxiang", "大合坪乡便民服务中心"), ("guanzhuangzhen", "官庄镇便民服务中心")):
        live = out / township / "live"
        assert json.loads((live / "manifest.json").read_text("utf-8"))["township"] == township
        assert name in (live / "site" / "index.html").read_text("utf-8")
        releases.verify_manifest(releases.live_release(out / township))


def test_every_page_and_sheet_of_a_center_names_that_township(tmp_path):
    """官庄镇's site never says 大合坪乡: its title is its own, and where a county matter writes {乡镇}
    ({乡镇}人民政府) 官庄镇 is printed (its center file's `offices`)."""
    other = tmp_path / "guanzhuang"
    result = run_kiosk("build", "--township", "guanzhuangzhen", "--site-dir", other)
    assert result.returncode == 0, result.stdout + result.stderr
    pages = sorted(other.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        html = page.read_text("utf-8")
        assert "大合坪乡" not in html, page.relative_to(other)
        if "<title>" in html and page.parent.name != "sheets":  # a sheet's print view is titled by its matter
            assert "官庄镇便民服务中心" in html[html.index("<title>") : html.index("</title>")], page
    dibao = (other / "matters" / "dibao-apply" / "index.html").read_text("utf-8")
    assert "<dt>承办</dt><dd>官庄镇人民政府</dd>" in dibao
    assert "向户籍所在地的乡镇人民政府、街道办事处提出书面申请" in dibao, "a law is quoted as written"
    for sheet in sorted((other / "sheets").glob("*.pdf")):
        text = subprocess.run(["pdftotext", sheet, "-"], capture_output=True, text=True).stdout
        assert "大合坪乡" not in text, sheet.name
    # the matter it does not handle says only where to go: no local window or person beside it
    elsewhere = (other / "matters" / "linmu-caifa" / "index.html").read_text("utf-8")
    notice = elsewhere[elsewhere.index('<div class="notice"') : elsewhere.index('<section class="n-qr">')]
    assert "本中心不办这件事" in notice
    assert "<dt>找谁</dt>" not in notice and "<dt>责任部门</dt>" not in notice
    assert "0745-0000206" not in notice, "no phone of the township's own staff"


def test_offices_fill_only_the_placeholders_a_matter_writes(tmp_path):
    """{乡镇} is filled in every text of a matter; 乡镇 written without braces stays as written."""
    matters = catalogue_from(tmp_path)
    edit(matters / "dibao-apply.yaml", "entrust_name: 乡镇人民政府", 'entrust_name: "{乡镇}人民政府"')
    edit(matters / "dibao-apply.yaml", "summary: ", "summary: 在{乡镇}便民服务中心办。")
    m = load_or_raise(matters).matter("dibao-apply")
    assert m.entrust_name == "大合坪乡人民政府"
    assert m.summary.startswith("在大合坪乡便民服务中心办。")
    assert m.responsible.dept == "乡镇社会事务综合服务中心", "no placeholder: as written"
    assert m.use_level == "县级（乡镇受理、审核）"
    assert "户籍所在地的乡镇人民政府、街道办事处" in m.by_law[0].content
    assert load_or_raise(GOOD).matter("dibao-apply").entrust_name == "乡镇人民政府", "nothing filled without {}"
    # a matter without placeholders is the county's own object; an unmapped one stays as written
    assert localized(m, {"乡镇": "官庄镇"}) is m
    assert localized(m.model_copy(update={"entrust_name": "{村}委会"}), {"乡镇": "官庄镇"}).entrust_name == "{村}委会"


def test_a_placeholder_the_township_does_not_map_is_an_error_at_its_line(tmp_path):
    """The broken catalogue office-placeholder: {村委会} is no key of the center's offices; kiosk check says so at
    the line, names the center file, and lists what it did fill."""
    catalogue_from(tmp_path, overlay=FIXTURES / "broken" / "office-placeholder")
    result = run_kiosk("check", "matters", cwd=tmp_path)
    assert result.returncode == 1
    out = result.stdout.splitlines()
    assert (
        "matters/office-placeholder.yaml:14:16: steps[0].who: {村委会} 填不上：matters/_townships/dahepingxiang/"
        "center.yaml 的 offices 里没有“村委会”（请加一行 村委会: 本乡镇的叫法）"
    ) in out
    assert out[:4] == [
        "大合坪乡（dahepingxiang）按 matters/_townships/dahepingxiang/center.yaml 的 offices 填入 3 处：",
        "matters/office-placeholder.yaml:3: summary: 到{乡镇}便民服务中心办。 → 到大合坪乡便民服务中心办。",
        "matters/office-placeholder.yaml:7: entrust_name: {乡镇}人民政府 → 大合坪乡人民政府",
        "matters/office-placeholder.yaml:14: steps[0].who: {村委会}初审，{乡镇}复核 → {村委会}初审，大合坪乡复核",
    ], "transact_addr (乡镇人民政府 without braces) is not listed: nothing filled there"
    assert not any("transact_addr" in line for line in out)


def test_a_real_guide_prints_as_written_for_a_township_with_offices(tmp_path):
    """Real guides say 乡镇人民政府, 各乡镇（街道办、社区）: never rewritten into one township's name."""
    from test_real_guides import GUIDES, notice_text, page_notice

    from kiosk.catalogue.view import CatalogueView

    guides = tmp_path / "guides"
    shutil.copytree(GUIDES, guides)
    edit(
        guides / "_townships" / "dahepingxiang" / "center.yaml",
        "county: 沅陵县\n",
        "county: 沅陵县\noffices:\n  乡镇: 大合坪乡\n",
    )
    loaded = load_or_raise(guides)
    assert loaded.catalogue.center.offices == {"乡镇": "大合坪乡"}
    cv = CatalogueView(loaded.catalogue)
    for matter_id, words in (
        ("dibao-anhua", "户籍所在地村（居）委或乡镇人民政府"),
        ("gaoling-luochuan", "各乡镇（街道办、社区）民政站"),
        ("linshi-hezhuang", "户籍所在地乡镇人民政府受理、审核"),
    ):
        text = notice_text(page_notice(cv, matter_id))
        assert words in text, (matter_id, words)
        assert "大合坪乡人民政府" not in text and "各大合坪乡" not in text and "地大合坪乡" not in text, matter_id
    assert loaded.filled == [], "nothing to list: no guide writes {乡镇}"


# ---------------------------------------------------------------- what changed


@pytest.fixture
def changed(tmp_path):
    """A copy of the sample with a new version: shorter limit, a renamed material, a suspended matter …"""
    new = tmp_path / "new"
    shutil.copytree(SAMPLE, new)
    edit(new / "_catalogue.yaml", 'version: "2026.1"', 'version: "2026.2"')
    edit(new / "canji-butie.yaml", "promise_day: 25", "promise_day: 20")
    edit(new / "dibao-apply.yaml", "  - material_name: 户口本\n", "  - material_name: 户口簿\n")
    edit(new / "gaoling-jintie.yaml", "task_type:", "task_state: 暂停\ntask_state_note: 等待新标准\ntask_type:")
    edit(new / "_townships" / "dahepingxiang" / "center.yaml", "0745-0000103", "0745-0000133")
    edit(new / "jiuye-dengji.yaml", "task_name: ", "task_name: 新")
    (new / "tuiyi-xinxi.yaml").unlink()
    edit(new / "tuiyi-youdaizheng.yaml", "matter: tuiyi-xinxi", "name: 退役军人信息采集")
    return new


def test_diff_reports_changes_by_matter_in_plain_chinese(changed):
    result = run_kiosk("diff", SAMPLE, changed)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout.splitlines()
    assert out[0] == "事项目录 2026.1 → 2026.2（2026-03-01 起施行）"
    for line in [
        "【取消】1 项",
        "  退役军人和其他优抚对象信息采集和登记（tuiyi-xinxi）",
        "【暂停】1 项",
        "    - 状态：在用 → 暂停（等待新标准）",
        "    - 新增材料：户口簿",
        "    - 不再需要：户口本",
        "    - 承诺时限缩短：25 个工作日 → 20 个工作日",
        "    - 首问责任人电话：0745-0000103 → 0745-0000133",
        "  - 工作人员 李某某（s03）：电话 0745-0000103 → 0745-0000133",
    ]:
        assert line in out, line
    assert any(l.startswith("    - 名称：") and "→ 新" in l for l in out)
    assert "【更名】1 项" in out


def test_change_notice_pdf_for_staff_to_sign(changed, tmp_path):
    pdf = tmp_path / "notice.pdf"
    result = run_kiosk("diff", SAMPLE, changed, "--pdf", pdf)
    assert result.returncode == 0, result.stdout + result.stderr
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
    for words in (
        "事项目录变更通知",
        "2026.1 版更新为 2026.2 版",
        "承诺时限缩短：25 个工作日 → 20 个工作日",
        "新增材料：户口簿",
        "已读签名",
        "向某某",
        "李某某",
        "周某某",
    ):
        assert words in text.replace("\n", ""), words


def test_diff_of_two_git_revisions(tmp_path, changed):
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE, repo / "matters")
    git = lambda *a: subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    git("add", "-A")
    git("-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "v1")
    shutil.rmtree(repo / "matters")
    shutil.copytree(changed, repo / "matters")
    git("add", "-A")
    git("-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "v2")
    result = run_kiosk("diff", "HEAD~1", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "事项目录 2026.1 → 2026.2（2026-03-01 起施行）" in result.stdout
    assert "承诺时限缩短：25 个工作日 → 20 个工作日" in result.stdout
    assert run_kiosk("diff", "no-such-rev", "HEAD", cwd=repo).returncode == 2


def test_saved_report_shows_as_recent_updates_on_the_kiosk(tmp_path, changed):
    assert run_kiosk("diff", SAMPLE, changed, "--save").returncode == 0
    assert (changed / "_changes.yaml").is_file()
    project = project_copy(tmp_path / "p", changed)
    result = run_kiosk("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    updates = (project / "site" / "lists" / "updates" / "index.html").read_text("utf-8")
    assert "事项目录从 2026.1 版更新到 2026.2 版" in updates
    assert "承诺时限缩短：25 个工作日 → 20 个工作日" in updates
    page = (project / "site" / "matters" / "dibao-apply" / "index.html").read_text("utf-8")
    assert "更新于 2026.2 版" in page
    untouched = (project / "site" / "matters" / "falv-yuanzhu" / "index.html").read_text("utf-8")
    assert "更新于" not in untouched
    assert "最近更新" in (project / "site" / "index.html").read_text("utf-8")


# ---------------------------------------------------------------- publish and roll back


@pytest.fixture
def project(tmp_path):
    return project_copy(tmp_path / "project")


def test_publish_signed_pull_at_the_hall_and_the_county_sees_it(project, tmp_path):
    """End to end, county and hall as two folders: the county publishes, signed; its server gives the files;
    the hall pulls, and its kiosk (and desk catalogue) show the change; `kiosk status` sees the hall."""
    signing.init(tmp_path / "keys", "county")
    signing.init(tmp_path / "hallkeys", "hall")
    key = ("--key", tmp_path / "keys" / "county.key")
    county, hall = tmp_path / "county", tmp_path / "hall"
    out = county / "dahepingxiang"
    first = run_kiosk("publish", "--to", out, *key, cwd=project)
    assert first.returncode == 0, first.stdout + first.stderr
    live = out / "live"
    assert live.is_symlink()
    manifest = json.loads((live / "manifest.json").read_text("utf-8"))
    assert manifest["catalogue_version"] == "2026.1" and manifest["township"] == "dahepingxiang"
    assert manifest["sequence"] == 1 and manifest["center_name"] == "沅陵县大合坪乡便民服务中心"
    assert manifest["files"]["site/sheets/dibao-apply.pdf"]["size"] > 0
    assert "site/matters/dibao-apply/index.html" in manifest["files"]
    (out / status.HALL_KEY).write_bytes((tmp_path / "hallkeys" / "hall.pub").read_bytes())
    httpd = county_server.make_server(county, 0, "127.0.0.1")
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/dahepingxiang/"
    pull = ("pull", "--from", url, "--key", tmp_path / "keys" / "county.pub", "--to", hall)
    pull += ("--hall-key", tmp_path / "hallkeys" / "hall.key")
    try:
        result = run_kiosk(*pull)
        assert result.returncode == 0 and "已更新到" in result.stdout, result.stdout + result.stderr
        desk = load_or_raise(hall / "live" / "catalogue", "dahepingxiang")  # what the hall's desk reads
        assert desk.matter("dibao-apply") is not None
        with served(live / "site") as at_county, served(hall / "live" / "site") as at_hall:
            for site in (at_county, at_hall):
                assert "每月领生活补助" in urllib.request.urlopen(site + "matters/dibao-apply/").read().decode()
            edit(project / "matters" / "dibao-apply.yaml", "每月领生活补助", "每月领低保金")
            assert run_kiosk("publish", "--to", out, *key, cwd=project).returncode == 0
            after = urllib.request.urlopen(at_county + "matters/dibao-apply/").read().decode("utf-8")
            assert "每月领低保金" in after, "the county's running server shows the new release"
            behind = run_kiosk("status", "--to", county).stdout
            assert "大合坪乡便民服务中心（dahepingxiang）：落后" in behind, behind
            result = run_kiosk(*pull)
            assert result.returncode == 0 and "已更新到" in result.stdout, result.stdout + result.stderr
            after = urllib.request.urlopen(at_hall + "matters/dibao-apply/").read().decode("utf-8")
            assert "每月领低保金" in after, "the hall's running kiosk shows the change, without a restart"
        fetched = json.loads(run_kiosk("status", "--to", county, "--json").stdout)
        assert [(r["state"], r["hall_sequence"]) for r in fetched] == [("up_to_date", 2)]
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_broken_catalogue_publishes_nothing(project, tmp_path):
    out = tmp_path / "out"
    assert run_kiosk("publish", "--to", out, cwd=project).returncode == 0
    before = tree(out)
    edit(project / "matters" / "canji-butie.yaml", "promise_day: 25", "promise_day: 二十")
    result = run_kiosk("publish", "--to", out, cwd=project)
    assert result.returncode == 1
    assert "matters/canji-butie.yaml" in result.stdout and "promise_day" in result.stdout
    assert tree(out) == before


def test_publish_complete_refuses_a_catalogue_with_blanks(project, tmp_path):
    """A county that wants a complete catalogue: the sample leaves elements 未载明, so nothing is published."""
    out = tmp_path / "out"
    result = run_kiosk("publish", "--to", out, "--complete", cwd=project)
    assert result.returncode == 1
    assert "matters/dibao-apply.yaml:1:1: anticipate_day: 未载明：法定办结时限" in result.stdout
    assert not (out / "live").exists()


def test_an_error_while_writing_leaves_the_live_release_as_it_was(project, tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.chdir(project)
    ctx = contexts("mkdocs.yml", None)[0]
    releases.publish(out, ctx, keep=5)
    before = tree(out)
    live_before = releases.live_release(out)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(releases, "write_manifest", disk_full)
    with pytest.raises(OSError):
        releases.publish(out, ctx, keep=5)
    assert releases.live_release(out) == live_before
    assert tree(out) == before, "no partial release is left behind"


def test_publish_publish_rollback_returns_the_first_release_byte_for_byte(project, tmp_path):
    out = tmp_path / "out"
    assert run_kiosk("publish", "--to", out, cwd=project).returncode == 0
    first = tree(out / "live")
    edit(project / "matters" / "canji-butie.yaml", "promise_day: 25", "promise_day: 18")
    assert run_kiosk("publish", "--to", out, cwd=project).returncode == 0
    assert tree(out / "live") != first
    result = run_kiosk("rollback", "--to", out, cwd=project)
    assert result.returncode == 0, result.stderr
    signed = ("manifest.json", "manifest.sig")
    assert {k: v for k, v in tree(out / "live").items() if k not in signed} == {
        k: v for k, v in first.items() if k not in signed
    }, "a new release (a higher sequence for the halls) of the first one's files"
    assert json.loads((out / "live" / "manifest.json").read_text("utf-8"))["sequence"] == 3
    assert run_kiosk("rollback", "--to", out, cwd=project).returncode == 1  # nothing older


def test_two_publishes_of_the_same_catalogue_give_identical_files(project, tmp_path):
    out = tmp_path / "out"
    assert run_kiosk("publish", "--to", out, "--keep", "2", cwd=project).returncode == 0
    assert run_kiosk("publish", "--to", out, "--keep", "2", cwd=project).returncode == 0
    a, b = releases.releases_of(out)
    ma = json.loads((a / "manifest.json").read_text("utf-8"))
    mb = json.loads((b / "manifest.json").read_text("utf-8"))
    assert ma["files"] == mb["files"]
    assert {k: v for k, v in tree(a).items() if k != "manifest.json"} == {
        k: v for k, v in tree(b).items() if k != "manifest.json"
    }
    assert run_kiosk("publish", "--to", out, "--keep", "2", cwd=project).returncode == 0
    assert len(releases.releases_of(out)) == 2, "only the newest two are kept"
