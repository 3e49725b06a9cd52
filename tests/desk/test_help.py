"""首问登记 and 帮代办 on the desk: the answer, the referral with all four of 部门、地点、电话、姓名, an open one
followed until the person is told; a 委托 with its 委托书 (read back with pdftotext), handed back; no fee
field anywhere; bad input said next to the field with nothing saved."""

from __future__ import annotations

import datetime
import re
import subprocess

from .support import errors, form_fields


def today():
    from kiosk.desk.deadlines import today as desk_today

    return desk_today()


def ask(client, **fields):
    page = client.get("/asks/new/")
    assert page.status_code == 200
    data = {
        **form_fields(page.content.decode()),
        "way": "phone",
        "asked": today().isoformat(),
        "question": "残疾人两项补贴怎么申请",
        "outcome": "follow",
        "phone": "13811112222",
        **fields,
    }
    return client.post("/asks/new/", data)


def entrust(client, **fields):
    page = client.get("/proxies/new/")
    assert page.status_code == 200
    data = {
        **form_fields(page.content.decode()),
        "person": "张奶奶",
        "phone": "13822223333",
        "agent": "s03",
        "matter_name": "城乡低保年审",
        "received": today().isoformat(),
        "due": (today() + datetime.timedelta(days=7)).isoformat(),
        "handed": "户口本、身份证复印件",
        **fields,
    }
    return client.post("/proxies/new/", data)


def record(response, model):
    found = re.fullmatch(r"/(?:asks|proxies)/(\d+)/", response["Location"])
    assert found, (response.status_code, errors(response))
    return model.objects.get(pk=int(found.group(1)))


def step(client, r, url, **fields):
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return client.post(url, {**form_fields(page.content.decode()), **fields})


def test_a_first_ask_followed_until_the_person_is_told(client_of, users):
    from kiosk.desk.models import FirstAsk

    window = client_of("window")
    a = record(ask(window), FirstAsk)
    assert a.state == "following" and a.created_by == users["window"]  # the one asked is responsible
    listing = window.get("/asks/").content.decode()
    assert "还有 1 件没告诉群众结果" in listing
    a = record(
        step(window, a, f"/asks/{a.pk}/tell/", told=today().isoformat(), result="问了县残联，带残疾证来办"), FirstAsk
    )
    assert a.state == "told"
    assert "还有" not in window.get("/asks/").content.decode()
    page = window.get(f"/asks/{a.pk}/").content.decode()
    assert "首问责任人" in page and users["window"].desk.name in page and "问了县残联" in page
    history = window.get(f"/asks/{a.pk}/history/").content.decode()
    assert "首问登记" in history and "告知结果" in history


def test_a_referral_names_department_place_phone_and_person(client_of):
    from kiosk.desk.models import FirstAsk

    window = client_of("window")
    before = FirstAsk.objects.count()
    response = ask(window, outcome="refer", ref_unit="县民政局", ref_place="", ref_phone="", ref_person="")
    assert response.status_code == 400 and FirstAsk.objects.count() == before
    html = response.content.decode()
    for name in ("ref_place", "ref_phone", "ref_person"):
        assert f'id="id_{name}-error"' in html, name
    assert 'id="id_ref_unit-error"' not in html
    a = record(
        ask(
            window,
            outcome="refer",
            ref_unit="县民政局",
            ref_place="县政务中心二楼",
            ref_phone="0745-1234567",
            ref_person="王科长",
        ),
        FirstAsk,
    )
    assert a.state == "referred"
    assert "县政务中心二楼" in window.get(f"/asks/{a.pk}/").content.decode()
    assert window.get(f"/asks/{a.pk}/tell/").status_code == 302  # nothing to follow: a referral is closed


def test_first_ask_bad_input(client_of):
    from kiosk.desk.models import FirstAsk

    window = client_of("window")
    before = FirstAsk.objects.count()
    response = ask(window, phone="", question="", outcome="answer", answer="")
    said = errors(response)
    assert response.status_code == 400 and "这里要填" in said and "当场答复的，要写答复了什么" in said
    response = ask(window, phone="", asked=(today() + datetime.timedelta(days=1)).isoformat())
    said = errors(response)
    assert "要稍后告知结果的，请留群众的联系电话" in said and any("日期不能晚于今天" in s for s in said)
    assert FirstAsk.objects.count() == before


def test_a_proxy_case_prints_its_letter_and_is_handed_back(client_of, tmp_path):
    from kiosk.desk.models import ProxyCase

    window = client_of("window")
    p = record(entrust(window), ProxyCase)
    assert p.state == "entrusted" and p.agent_name and p.window == "shehui"
    doc = p.documents.get()
    pdf = window.get(doc.get_absolute_url())
    (tmp_path / "letter.pdf").write_bytes(pdf.content)
    text = re.sub(
        r"\s+",
        "",
        subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", str(tmp_path / "letter.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout,
    )
    for part in (
        "帮代办委托书",
        "张奶奶",
        p.agent_name,
        "城乡低保年审",
        f"{p.due.year}年{p.due.month}月{p.due.day}日",
        "户口本、身份证复印件",
        "免费",
        "委托人签字",
        "代办员签字",
    ):
        assert part in text, part
    p = record(
        step(window, p, f"/proxies/{p.pk}/return/", returned=today().isoformat(), returned_what="低保证一本"), ProxyCase
    )
    assert p.state == "returned" and p.returned_what == "低保证一本"
    assert "代办员交回" in window.get(f"/proxies/{p.pk}/history/").content.decode()


def test_no_fee_field_exists_anywhere(client_of):
    from kiosk.desk.forms import help as help_forms
    from kiosk.desk.models import ProxyCase

    names = [f.name for f in ProxyCase._meta.get_fields()] + list(help_forms.ProxyForm.base_fields)
    assert not [n for n in names if re.search(r"fee|charge|cost|price|amount|money", n)], names
    html = client_of("window").get("/proxies/new/").content.decode()
    inputs = re.findall(r'name="([^"]+)"', html)
    assert not [n for n in inputs if re.search(r"fee|charge|cost|price|amount|money", n)], inputs
    assert "代办员不收任何" in html  # the rule's promise, from the center file


def test_proxy_bad_input(client_of):
    from kiosk.desk.models import ProxyCase

    window = client_of("window")
    before = ProxyCase.objects.count()
    response = entrust(window, agent="nobody", due=(today() - datetime.timedelta(days=3)).isoformat(), phone="x")
    said = errors(response)
    assert response.status_code == 400 and "请从列表里选代办员" in said
    assert any("约定办好日期不能早于委托日期" in s for s in said) and any("电话" in s for s in said)
    assert ProxyCase.objects.count() == before
