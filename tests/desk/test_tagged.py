"""The desk's printed records as tagged PDF/A (issue 22, point 9): a screen reader can read them (pdfinfo says
Tagged, the language is zh-CN, the title is the document's own) and they are archival (PDF/A-2u)."""

from __future__ import annotations

import html
import re
import subprocess

from pypdf import PdfReader

from .support import intake, record_of


def test_a_record_document_is_tagged_pdf_a_in_chinese_with_its_title(client_of, tmp_path):
    from kiosk.desk import paper

    app = record_of(intake(client_of("window"), brought=["1", "2"]))  # materials missing: the 补正 notice
    doc = app.documents.get()
    response = client_of("window").get(f"/records/{app.pk}/documents/{doc.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(response.content)
    title = html.unescape(re.search(r"<title>(.*?)</title>", doc.html, re.S).group(1)).strip()
    assert "补正" in title

    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    info = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}
    assert info["Tagged"] == "yes"
    assert info["Title"] == title

    reader = PdfReader(pdf)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-CN"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]  # a viewer shows the title, not the file name
    # PDF/A-2u: said in the XMP metadata, with an sRGB output intent
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r'pdfaid:part="2"', xmp) and re.search(r'pdfaid:conformance="U"', xmp), xmp
    assert [i.get_object()["/S"] for i in root["/OutputIntents"]] == ["/GTS_PDFA1"]
    # tagging warns of what it cannot tag (an image without alt text, a page without a language): not here
    assert paper.pdf(doc.html)[1] == []
    no_lang = paper.pdf("<!DOCTYPE html><html><head><title>无语言</title></head><body><p>中文</p></body></html>")[1]
    assert any('"lang"' in w for w in no_lang), no_lang  # the check above can fail
