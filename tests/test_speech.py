"""Read-aloud audio: what espeak-ng is given (pinyin, numbers in words, pauses), and the files it makes:
Ogg Opus that decodes to speech of the right length, the same bytes every time, rendered once per text."""

from __future__ import annotations

import array
import math
import os
import re
import subprocess
import sys
import wave
from pathlib import Path

import pytest
from conftest import SAMPLE

from kiosk import exceptions
from kiosk.catalogue.load import load_or_raise
from kiosk.site import speech

SYLLABLE_OR_LETTER = re.compile(r"[A-Za-z][a-z]*[1-5][,.]?|[A-Z][,.]?")


@pytest.fixture(scope="module")
def sample():
    return load_or_raise(SAMPLE).catalogue


@pytest.fixture(scope="module")
def texts(sample):
    """A matter name, a matter summary, and a sentence with a number, a time and a phone number."""
    dibao = next(m for m in sample.matters if m.id == "dibao-apply")
    return {
        "name": dibao.task_name,
        "summary": dibao.summary,
        "phone": "每月 10 日前发到卡上，有疑问请在 8:30 以后打电话 0745-0000301 咨询。",
    }


# ---------------------------------------------------------------- what espeak is given


def test_polyphones_are_read_in_context():
    # espeak-ng alone says yin2 xing2, chang2 da4, zhong4 xin1
    assert speech.spoken("银行") == "yin2 hang2"
    assert speech.spoken("长大") == "zhang3 da4"
    assert speech.spoken("重新") == "chong2 xin1"
    assert (
        speech.spoken("孩子长大了，到银行重新办卡") == "hai2 zi5 zhang3 da4 le5, dao4 yin2 hang2 chong2 xin1 ban4 ka3"
    )


@pytest.mark.parametrize(
    "written, said",
    [
        ("2", "二"),
        ("10", "十"),
        ("25", "二十五"),
        ("101 人", "一百零一人"),
        ("110 元", "一百一十元"),
        ("1005 元", "一千零五元"),
        ("10005 元", "一万零五元"),
        ("12,000 元", "一万二千元"),
        ("100000元", "十万元"),
        ("１８岁", "十八岁"),
        ("2 个", "两个"),
        ("第 2 名", "第二名"),
        ("1.5 倍", "一点五倍"),
        ("50%", "百分之五十"),
        ("2026年", "二零二六年"),
        ("2024-2026年", "二零二四到二零二六年"),
        ("国发〔2014〕8号", "国发〔二零一四〕八号"),
        ("2026-01-05", "二零二六年一月五日"),
        ("0745-0000103", "零七四五，零零零零幺零三"),
        ("400-800-1234", "四零零，八零零，幺二三四"),
        ("拨打 12345", "拨打幺二三四五"),
        ("13800000000", "幺三八零零零零零零零零"),
        ("8:30", "八点三十"),
        ("8:05", "八点零五"),
        ("12:00", "十二点"),
        ("8:30-12:00", "八点三十到十二点"),
        ("80-89 周岁", "八十到八十九周岁"),
        ("3~5 个工作日", "三到五个工作日"),
    ],
)
def test_numbers_are_said_as_their_chinese_words(written, said):
    assert speech.spoken(written) == speech.spoken(said)


def test_numbers_in_pinyin():
    assert speech.spoken("2") == "er4"
    assert speech.spoken("25") == "er4 shi2 wu3"
    assert speech.spoken("2026年") == "er4 ling2 er4 liu4 nian2"
    assert speech.spoken("8:30") == "ba1 dian3 san1 shi2"
    assert speech.spoken("电话 0745-0000103") == "dian4 hua4 ling2 qi1 si4 wu3, ling2 ling2 ling2 ling2 yao1 ling2 san1"


def test_punctuation_becomes_pauses_and_whitespace_collapses():
    # espeak ends a sentence at a full stop only before a capital: "hao3. Wo3", never "hao3. wo3"
    assert (
        speech.spoken("你好，我们。他们！好吗？对；是：的、（示例）结束。")
        == "ni3 hao3, wo3 men5. Ta1 men5. Hao3 ma5. Dui4, shi4, de5, shi4 li4, jie2 shu4"
    )
    assert speech.spoken("“你好”，《我们》……") == "ni3 hao3, wo3 men5"  # quotes and title marks say nothing
    assert speech.spoken("  你 \n\t 好  ") == "ni3 hao3"
    assert speech.spoken("，。你好。，我们，") == "ni3 hao3. Wo3 men5"  # the stronger of two marks; none at the ends


def test_latin_letters_spelled_or_dropped_and_symbols_dropped():
    assert speech.spoken("B超") == "B chao1"
    assert speech.spoken("做CT检查") == "zuo4 C T jian3 cha2"
    assert speech.spoken("用WeChat扫码") == "yong4 sao3 ma3"
    assert speech.spoken("见 https://zwfw.example.org/dibao 。") == "jian4"
    assert speech.spoken("★※#@&*你好^_^") == "ni3 hao3"
    with pytest.raises(ValueError, match="nothing to say"):
        speech.render("★ ※", "unused.opus", "unused")


def test_catalogue_texts_leave_only_syllables_and_pauses(sample):
    texts = [t for m in sample.matters for t in (m.task_name, m.summary) if t]
    assert any(re.search("[0-9]", t) for t in texts)  # the sample has numbers (18 岁, 80 周岁)
    for text in texts:
        said = speech.spoken(text)
        assert said.isascii(), text
        bad = [w for w in said.split(" ") if not SYLLABLE_OR_LETTER.fullmatch(w)]
        assert not bad, (text, bad)
        if not re.search("[0-9A-Za-z]", text):  # one syllable for each Chinese character
            assert len(said.split()) == len(re.findall(r"[\u4e00-\u9fff]", text)), text


def test_capitalised_syllables_read_the_same(sample):
    """The syllable after a full stop is capitalised (so espeak pauses): espeak must read it unchanged."""
    syllables = sorted(
        {
            w.rstrip(",.").lower()
            for m in sample.matters
            for t in (m.task_name, m.summary)
            if t
            for w in speech.spoken(t).split()
        }
    )
    assert len(syllables) > 200

    def phonemes(words):
        out = subprocess.run(
            ["espeak-ng", "-v", speech.voice(), "-x", "-q", "--stdin"],
            input=", ".join(words),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return out.split()

    lower = phonemes(syllables)
    assert len(lower) == len(syllables)
    assert phonemes([s.capitalize() for s in syllables]) == lower


# ---------------------------------------------------------------- the audio files


def decoded(path: Path, tmp_path: Path) -> tuple[float, float]:
    """(seconds, share of 20 ms windows that are not silent) of an Opus file, decoded by opusdec."""
    wav = tmp_path / f"{path.stem}.wav"
    subprocess.run(["opusdec", "--quiet", str(path), str(wav)], check=True, capture_output=True)
    with wave.open(str(wav)) as w:
        rate, samples = w.getframerate(), array.array("h", w.readframes(w.getnframes()))
    window = rate // 50
    loud = [
        math.sqrt(sum(x * x for x in samples[i : i + window]) / window) > 300
        for i in range(0, len(samples) - window, window)
    ]
    return len(samples) / rate, sum(loud) / max(1, len(loud))


def seconds_per_syllable(seconds: float, said: str) -> float:
    """At speech.SPEED; measured 0.37-0.39 with cmn-latn-pinyin (pauses included), while the wrong voice
    cmn (pinyin read as English) takes 0.47-0.50 and en 0.64."""
    return seconds / len(said.split()) * speech.SPEED / 140


def fits(seconds: float, said: str) -> bool:
    return 0.28 < seconds_per_syllable(seconds, said) < 0.45


def ogg_pages(data: bytes) -> list[tuple[int, int, bytes]]:
    """(header type, serial number, body) of each Ogg page."""
    pages, at = [], 0
    while at < len(data):
        assert data[at : at + 4] == b"OggS", f"no Ogg page at byte {at}"
        count = data[at + 26]
        size = sum(data[at + 27 : at + 27 + count])
        start = at + 27 + count
        pages.append((data[at + 5], int.from_bytes(data[at + 14 : at + 18], "little"), data[start : start + size]))
        at = start + size
    return pages


def comments(tags: bytes) -> list[str]:
    assert tags.startswith(b"OpusTags")
    at = 12 + int.from_bytes(tags[8:12], "little")  # after the vendor string
    found = []
    for _ in range(int.from_bytes(tags[at : at + 4], "little")):
        size = int.from_bytes(tags[at + 4 : at + 8], "little")
        found.append(tags[at + 8 : at + 8 + size].decode("utf-8"))
        at += 4 + size
    return found


@pytest.fixture(scope="module")
def rendered(texts, tmp_path_factory):
    """Each text rendered into a fresh cache: name -> file."""
    folder = tmp_path_factory.mktemp("speech")
    for name, text in texts.items():
        speech.render(text, folder / f"{name}.opus", folder / "cache")
    return {name: folder / f"{name}.opus" for name in texts}


def test_files_are_mono_ogg_opus_at_speech_bitrate_without_dates(rendered, tmp_path):
    for path in rendered.values():
        data = path.read_bytes()
        assert data.startswith(b"OggS")
        pages = ogg_pages(data)
        head, tags = pages[0][2], pages[1][2]
        assert head.startswith(b"OpusHead") and head[9] == 1  # one channel
        assert {serial for _, serial, _ in pages} == {speech.SERIAL}
        assert pages[-1][0] & 4, "the last page is not marked end of stream: a truncated file"
        assert [c.split("=")[0] for c in comments(tags)] == ["ENCODER", "ENCODER_OPTIONS"]  # no date, nothing random
        seconds, _ = decoded(path, tmp_path)
        assert 16 < len(data) * 8 / seconds / 1000 < 34, "kbit/s"


def test_duration_fits_the_text_and_it_is_not_silence(texts, rendered, tmp_path):
    for name, text in texts.items():
        said = speech.spoken(text)
        seconds, loud = decoded(rendered[name], tmp_path)
        assert fits(seconds, said), (name, seconds, seconds_per_syllable(seconds, said))
        assert loud > 0.5, (name, loud)  # measured 0.84


def test_duration_check_fails_a_wrong_voice_and_a_truncated_file(texts, rendered, tmp_path, monkeypatch):
    said = speech.spoken(texts["summary"])
    truncated = tmp_path / "truncated.opus"
    truncated.write_bytes(rendered["summary"].read_bytes()[:20000])
    assert not fits(decoded(truncated, tmp_path)[0], said)
    assert not ogg_pages(truncated.read_bytes())[-1][0] & 4
    for voice in ("cmn", "en"):
        monkeypatch.setenv("KIOSK_VOICE", voice)
        speech.render(texts["summary"], tmp_path / f"{voice}.opus", tmp_path / "cache")
        assert not fits(decoded(tmp_path / f"{voice}.opus", tmp_path)[0], said), voice


def test_pauses_are_heard(tmp_path):
    seconds = {}
    for name, text in {"none": "你好我们", "comma": "你好，我们", "stop": "你好。我们"}.items():
        speech.render(text, tmp_path / f"{name}.opus", tmp_path / "cache")
        seconds[name] = decoded(tmp_path / f"{name}.opus", tmp_path)[0]
    # measured: 1.63 s, 1.92 s, 2.14 s
    assert seconds["comma"] > seconds["none"] + 0.15
    assert seconds["stop"] > seconds["comma"] + 0.1


def test_same_text_same_bytes_in_other_caches_and_processes(texts, rendered, tmp_path):
    text = texts["phone"]
    speech.render(text, tmp_path / "again.opus", tmp_path / "other-cache")
    package = Path(speech.__file__).resolve().parents[1]
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from kiosk.site.speech import render; render(*sys.argv[1:])",
            text,
            tmp_path / "process.opus",
            tmp_path / "third-cache",
        ],
        check=True,
        env={**os.environ, "PYTHONPATH": str(package)},
    )
    assert (tmp_path / "again.opus").read_bytes() == rendered["phone"].read_bytes()
    assert (tmp_path / "process.opus").read_bytes() == rendered["phone"].read_bytes()


def test_a_cached_text_runs_no_tool(texts, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    speech.render(texts["name"], tmp_path / "first.opus", cache)
    [kept] = cache.iterdir()
    assert re.fullmatch(r"[0-9a-f]{64}\.opus", kept.name)

    def no_tools(*args, **kwargs):
        raise AssertionError(f"a tool ran: {args}")

    monkeypatch.setattr(speech.subprocess, "run", no_tools)
    speech.render(texts["name"], tmp_path / "second.opus", cache)
    assert (tmp_path / "second.opus").read_bytes() == kept.read_bytes() == (tmp_path / "first.opus").read_bytes()


def test_render_all_renders_what_the_cache_lacks_and_removes_stale_files(texts, tmp_path, monkeypatch):
    out, cache = tmp_path / "audio", tmp_path / "cache"
    out.mkdir()
    (out / "old-matter.opus").write_bytes(b"OggS")
    (out / "notes.txt").write_text("not ours")
    encoded = []
    encode = speech._encode
    monkeypatch.setattr(speech, "_encode", lambda said: encoded.append(said) or encode(said))

    files = speech.render_all(texts, out, cache, jobs=2)
    assert files == {name: out / f"{name}.opus" for name in texts}
    assert sorted(p.name for p in out.iterdir()) == ["name.opus", "notes.txt", "phone.opus", "summary.opus"]
    assert len(encoded) == 3

    encoded.clear()
    speech.render_all({"name": texts["name"], "phone": "咨询电话 0745-0000302"}, out, cache)
    assert encoded == [speech.spoken("咨询电话 0745-0000302")]
    assert sorted(p.name for p in out.iterdir()) == ["name.opus", "notes.txt", "phone.opus"]

    with pytest.raises(ValueError, match="not a file name"):
        speech.render_all({"../escape": "你好"}, out, cache)


def test_a_failing_tool_is_named_with_what_it_said(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_VOICE", "no-such-voice")  # espeak-ng would read it as Norwegian ("no")
    assert not speech.available()
    monkeypatch.setenv("KIOSK_VOICE", "nosuchvoice")
    assert not speech.available()
    with pytest.raises(exceptions.SpeechError, match=r"espeak-ng failed[\s\S]*does not exist"):
        speech.render("你好", tmp_path / "a.opus", tmp_path / "cache")
    monkeypatch.setenv("KIOSK_VOICE", "cmn-latn-pinyin+f2")  # a variant of the voice
    assert speech.available()
    monkeypatch.delenv("KIOSK_VOICE")
    assert speech.available()

    stub = tmp_path / "bin"
    stub.mkdir()
    (stub / "opusenc").write_text("#!/bin/sh\necho 'opusenc: out of luck' >&2\nexit 3\n")
    (stub / "opusenc").chmod(0o755)
    monkeypatch.setenv("PATH", f"{stub}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(exceptions.SpeechError, match=r"opusenc failed \(exit status 3\)[\s\S]*out of luck"):
        speech.render("你好", tmp_path / "b.opus", tmp_path / "cache")
    assert not (tmp_path / "b.opus").exists()

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert not speech.available()
    with pytest.raises(exceptions.SpeechError, match="espeak-ng is not on PATH"):
        speech.render("你好", tmp_path / "c.opus", tmp_path / "cache")


def test_every_audio_file_of_the_built_site_fits_its_text(built_site, tmp_path):
    """The kiosk's own 朗读 files, as published: one per matter and the home page, each as long as what it
    says (the texts of site/templates/site/read-aloud*.txt), and not silent."""
    from kiosk.catalogue.view import CatalogueView
    from kiosk.site.pages import environment

    cv = CatalogueView(load_or_raise(SAMPLE).catalogue)
    texts = {"home": environment().get_template("site/read-aloud-home.txt").render(c=cv.c)}
    texts |= {v.m.id: environment().get_template("site/read-aloud.txt").render(v=v) for v in cv.views()}
    files = {p.stem: p for p in (built_site / "audio").glob("*.opus")}
    assert set(files) == set(texts)
    for name, text in texts.items():
        seconds, audible = decoded(files[name], tmp_path)
        assert fits(seconds, speech.spoken(text)), (name, seconds)
        assert audible > 0.5, name


# ---------------------------------------------------------------- standard readings (kiosk.text.pinyin)


def catalogue_words(catalogue) -> dict[str, str]:
    """Every word of the catalogue's text (as pypinyin cuts it, told pinyin.yaml's phrases) of two or more
    characters with one of pinyin.yaml's polyphones, with where it is first found."""
    from pypinyin.seg.mmseg import seg

    from kiosk.catalogue.checks import texts as every_text
    from kiosk.text import pinyin

    pinyin.lazy_pinyin("")  # the phrases told: the cutting knows them
    polyphones = set(pinyin.readings()["polyphones"])
    found: dict[str, str] = {}
    for m in catalogue.matters:
        for loc, text in every_text(m.model_dump(mode="json")):
            for run in re.findall(r"[\u4e00-\u9fff]+", text):
                for word in seg.cut(run):
                    if len(word) > 1 and polyphones & set(word):
                        found.setdefault(word, f"{m.id}: {'.'.join(map(str, loc))}")
    return found


def test_every_word_with_a_polyphone_is_read_as_a_person_checked(sample):
    """A word the list lacks is a reading nobody has heard: add it to kiosk/text/pinyin.yaml's `reviewed`
    with its reading from the dictionary (and to `phrases` where pypinyin reads it otherwise)."""
    from kiosk.text import pinyin

    reviewed = pinyin.readings()["reviewed"]
    words = catalogue_words(sample)
    missing = {w: where for w, where in words.items() if w not in reviewed}
    assert missing == {}, "not yet checked: " + "; ".join(
        f"{w} ({where}) reads {' '.join(pinyin.lazy_pinyin(w, style='TONE'))}" for w, where in missing.items()
    )
    wrong = {
        w: " ".join(pinyin.lazy_pinyin(w, style="TONE"))
        for w in words
        if " ".join(pinyin.lazy_pinyin(w, style="TONE")) != reviewed[w]
    }
    assert wrong == {}, "read otherwise than checked (add to `phrases`)"


def test_standard_readings_in_speech_and_in_the_keyboards_index():
    from kiosk.site.pages import syllables

    assert speech.spoken("供养老人") == "gong1 yang3 lao3 ren2"
    assert speech.spoken("近期照片") == "jin4 qi1 zhao4 pian4"
    assert speech.spoken("本行政区域") == "ben3 xing2 zheng4 qu1 yu4"
    assert speech.spoken("无人参加") == "wu2 ren2 can1 jia1"
    assert syllables("特困人员供养") == ["te", "kun", "ren", "yuan", "gong", "yang"]
