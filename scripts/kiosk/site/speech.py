"""Read-aloud audio (语音播报): the text of a page said by espeak-ng and stored as a small Ogg Opus file,
made at build time so the kiosk plays a file and needs no speech engine of its own.

espeak-ng's voice `cmn` reads Chinese characters as English-sounding pinyin ("zui four"); its voice
`cmn-latn-pinyin` reads them as Mandarin but takes the first reading of a polyphone (银行 as yin xing,
长大 as chang da, 重新 as zhong xin), while it reads tone-numbered pinyin ("yin2 hang2") well. So
`spoken()` gives it pinyin from pypinyin, which reads polyphones in context (told the standard readings
of kiosk/text/pinyin.yaml where its own dictionary has others); numbers are first written
as Chinese numerals (2026年 as 二零二六年, 0745-0000103 digit by digit with 幺, 8:30 as 八点三十), and
punctuation becomes the pauses espeak makes at ", " and ". ".

`render()` pipes espeak-ng's WAV into opusenc (mono, about 24 kbit/s: a minute of speech is about
180 KB). A build renders the same texts again and again, so each file is kept in a cache folder under
a key of everything that decides its bytes (the text, the code that makes it pinyin, both command lines,
both tools' versions), and a text said before costs a link;
opusenc's stream serial number is fixed, so the same text gives the same bytes in every run and process.
A failing tool is a build failure (`SpeechError`, naming the tool and what it printed), not a user's
mistake.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from .. import settings
from ..exceptions import SpeechError
from ..files import atomic_write, place
from ..text.pinyin import lazy_pinyin
from ..text.pinyin import version as pinyin_version

# How the kiosk speaks. Change a value here and every file is rendered again on the next build (the
# values are part of each file's cache key). Listen to a few matters before committing a change:
#   espeak-ng -v cmn-latn-pinyin -s 140 -p 40 "ni3 hao3, zhe4 li3 shi4 bian4 min2 fu2 wu4 zhong1 xin1."
# A county that installs another voice reading tone-numbered pinyin sets KIOSK_VOICE instead.
VOICE = "cmn-latn-pinyin"  # espeak-ng voice; `espeak-ng --voices=cmn` lists those installed
SPEED = 140  # words (here: syllables) a minute; espeak's default 175 is fast for elderly listeners
PITCH = 40  # 0-99, espeak's default 50; a little lower is easier for ears that lose high tones
BITRATE = 24  # kbit/s of Opus; plenty for one synthetic voice
COMPLEXITY = 5  # opusenc's effort (0-10, default 10): measured 2.7× faster at 5, same size, for speech
SERIAL = 20260101  # Ogg stream serial number: opusenc picks a random one unless told
TIMEOUT = 300  # seconds one tool may take for one text before the build fails

DIGITS = "零一二三四五六七八九"
PHONE_ONE = "幺"  # 1 in phone numbers, as Chinese telephonists say it: not confused with 七
MEASURES = set("个人次份张本种件户名位天周岁元亩套项条")  # after which a lone 2 is 两 (两个, 两份), not 二
YEAR_BRACKETS = set("〔[(【")  # 国发〔2014〕8号: a year said digit by digit
AMOUNT_UNITS = set("元万亿")  # 12000元 is an amount, 12345 alone a phone number
RAW = "\0"  # marks a run of text pypinyin has no reading for
SENTENCE_END = ".!?。"  # after NFKC: ！？ are ASCII
CLAUSE_END = ",、;:()〔〕【】[]{}「」『』〈〉<>—–-~/|"  # after NFKC: ，；：（） are ASCII

_SYLLABLE = re.compile(r"[a-z]+[1-5]")
_URL = re.compile(r"(?:https?://|www\.)\S*|\S+@\S+\.[A-Za-z]+", re.I)
_THOUSANDS = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")
_RANGE = re.compile(r"(?<=[0-9])\s*[~〜—–]\s*(?=[0-9])|(?<=[0-9]:[0-9]{2})\s*-\s*(?=[0-9])")  # 3~5, 8:30-12:00
_NUMBER = re.compile(
    r"""(?<![0-9])(?:
      (?P<date>[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})
    | (?P<chain>[0-9]+(?:-[0-9]+)+)
    | (?P<time>(?:[01]?[0-9]|2[0-4]):[0-5][0-9])
    | (?P<number>[0-9]+)(?:\.(?P<fraction>[0-9]+))?(?P<percent>%)?
    )(?![0-9])""",
    re.X,
)
_PIECE = re.compile(rf"[A-Za-z]+|[{re.escape(SENTENCE_END)}]|[{re.escape(CLAUSE_END)}]")


def voice() -> str:
    return settings.env("KIOSK_VOICE") or VOICE


def available() -> bool:
    """Are espeak-ng and opusenc installed, and does espeak-ng have the voice? Never raises."""
    if not (shutil.which("espeak-ng") and shutil.which("opusenc")):
        return False
    wanted = voice().split("+")[0].lower()  # a variant (cmn-latn-pinyin+f2) of an installed voice is fine
    try:  # asked for an unknown voice, espeak-ng may fall back to a language ("no-such" is Norwegian)
        listed = subprocess.run(
            ["espeak-ng", "--voices=mb" if wanted.startswith("mb") else "--voices"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, ValueError, subprocess.SubprocessError):
        return False
    names = set()
    for line in listed.stdout.splitlines()[1:]:  # Pty Language Age/Gender VoiceName File ...
        columns = line.lower().split()
        if len(columns) >= 5:
            names.update((columns[1], columns[3], columns[4], columns[4].rsplit("/", 1)[-1]))
    return listed.returncode == 0 and wanted in names


# ---------------------------------------------------------------- text to what espeak reads


def spoken(text: str) -> str:
    """`text` as espeak-ng's pinyin voice should receive it: tone-numbered pinyin syllables ("yin2 hang2"),
    numbers said in Chinese, a clause pause as ", " and a sentence pause as ". " (espeak ends a sentence
    at a full stop only before a capital, so the syllable after one is capitalised). Latin words of up to
    four letters are spelled ("B chao1"), longer ones and web addresses dropped, other symbols dropped."""
    text = _THOUSANDS.sub("", text)  # before NFKC, which makes the Chinese comma an ASCII one
    text = unicodedata.normalize("NFKC", text)  # full-width digits, letters and punctuation as ASCII
    text = _URL.sub(" ", text)
    text = _RANGE.sub("到", text)
    text = _NUMBER.sub(_say_number, text)

    items: list[str] = []  # syllables, spelled letters and pause marks
    for token in lazy_pinyin(text, style="TONE3", neutral_tone_with_five=True, errors=lambda run: [RAW + run]):
        if token.startswith(RAW):
            for piece in _PIECE.findall(token[1:]):
                if piece in SENTENCE_END or piece in CLAUSE_END:
                    items.append("." if piece in SENTENCE_END else ",")
                elif len(piece) <= 4:
                    items.extend(piece.upper())
        else:
            token = token.replace("ê", "e")
            items.append(token if token[-1:].isdigit() else token + "5")

    words: list[str] = []
    pause = ""
    for item in items:
        if item in (",", "."):
            pause = "." if "." in (pause, item) else ","
        elif _SYLLABLE.fullmatch(item) or (len(item) == 1 and item.isupper()):
            if pause and words:  # no pause before the first word, none after the last
                words[-1] += pause
                item = item.capitalize() if pause == "." else item
            words.append(item)
            pause = ""
    return " ".join(words)


def _say_number(m: re.Match) -> str:
    """A number as Chinese numerals, read the way it is meant: a year or a phone number digit by digit,
    a time with 点, an amount as a cardinal (二十五)."""
    text = m.string
    before = text[: m.start()].rstrip()[-1:]
    after = text[m.end() :].lstrip()[:1]
    if m["date"]:
        year, month, day = m["date"].split("-")
        return f"{_digits(year)}年{_cardinal(int(month))}月{_cardinal(int(day))}日"
    if m["chain"]:
        parts = m["chain"].split("-")
        if after == "年" and all(len(p) == 4 for p in parts):  # 2024-2026年
            return "到".join(map(_digits, parts))
        if parts[0].startswith("0") or len(parts) > 2 or sum(map(len, parts)) >= 7:  # 0745-0000103, 400-800-1234
            return ",".join(_digits(p, PHONE_ONE) for p in parts)  # a pause at each hyphen
        return "到".join(_cardinal(int(p)) for p in parts)  # 80-89 周岁
    if m["time"]:
        hour, minute = m["time"].split(":")
        if minute == "00":
            return f"{_cardinal(int(hour))}点"
        return f"{_cardinal(int(hour))}点{'零' if minute[0] == '0' else ''}{_cardinal(int(minute))}"
    number = m["number"]
    if m["fraction"]:
        said = f"{_cardinal(int(number))}点{_digits(m['fraction'])}"
    elif len(number) == 4 and (after == "年" or before in YEAR_BRACKETS):  # 2026年, 国发〔2014〕8号
        said = _digits(number)
    elif (len(number) > 1 and number.startswith("0")) or (len(number) >= 5 and after not in AMOUNT_UNITS):
        said = _digits(number, PHONE_ONE)  # 12345, 13800000000
    elif number == "2" and after in MEASURES and before != "第":
        said = "两"
    else:
        said = _cardinal(int(number))
    return "百分之" + said if m["percent"] else said


def _digits(number: str, one: str = "一") -> str:
    return "".join(one if d == "1" else DIGITS[int(d)] for d in number)


def _cardinal(n: int) -> str:
    """25 -> 二十五, 10 -> 十, 1005 -> 一千零五, 100000 -> 十万."""
    if n == 0:
        return "零"
    if n >= 10**16:
        return _digits(str(n))
    groups = []
    while n:
        n, group = divmod(n, 10000)
        groups.append(group)
    said, gap = "", False
    for i in reversed(range(len(groups))):
        group = groups[i]
        if not group:
            gap = bool(said)
            continue
        if said and (gap or group < 1000):
            said += "零"
        said += _group(group) + ("", "万", "亿", "万亿")[i]
        gap = False
    return said[1:] if said.startswith("一十") else said


def _group(n: int) -> str:
    """1..9999 with 千百十 and one 零 for a gap: 1005 -> 一千零五, 1050 -> 一千零五十."""
    said, gap = "", False
    for unit, d in zip(("千", "百", "十", ""), f"{n:04d}"):
        if d == "0":
            gap = bool(said)
            continue
        said += ("零" if gap else "") + DIGITS[int(d)] + unit
        gap = False
    return said


# ---------------------------------------------------------------- rendering


def render(text: str, path: Path | str, cache_dir: Path | str) -> None:
    """Write `text` said aloud to `path` as Ogg Opus, from `cache_dir` when it was said before (then nothing
    but a link is made: not even the pinyin is worked out again)."""
    kept = Path(cache_dir) / f"{_key(text)}.opus"
    if not kept.is_file():
        said = spoken(text)
        if not said:
            raise ValueError(f"nothing to say in {text!r}")
        atomic_write(kept, _encode(said))
    path = Path(path)
    if not (path.is_file() and os.path.samefile(path, kept)):  # unchanged files keep their time stamp
        place(kept, path)


def render_all(items: dict[str, str], out_dir: Path | str, cache_dir: Path | str, jobs: int = 2) -> dict[str, Path]:
    """Each name's text into `out_dir/<name>.opus` (`jobs` at a time; only what the cache lacks runs the
    tools); .opus files in `out_dir` no longer named are removed. Returns name -> file."""
    out_dir = Path(out_dir)
    for name in items:
        if not name or name.startswith(".") or "/" in name or "\\" in name:
            raise ValueError(f"not a file name: {name!r}")
    paths = {name: out_dir / f"{name}.opus" for name in items}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(lambda name: render(items[name], paths[name], cache_dir), items))
    for old in out_dir.glob("*.opus"):
        if old.stem not in items:
            old.unlink()
    return paths


def _espeak_command() -> list[str]:
    return ["espeak-ng", "-v", voice(), "-s", str(SPEED), "-p", str(PITCH), "--stdin", "--stdout"]


def _opusenc_command() -> list[str]:
    # reads WAV on stdin to its end (espeak cannot know the length when it writes the header), writes
    # Ogg to stdout; its only comments are ENCODER and ENCODER_OPTIONS, which name these options
    return [
        "opusenc",
        "--quiet",
        "--speech",
        "--bitrate",
        str(BITRATE),
        "--comp",
        str(COMPLEXITY),
        "--downmix-mono",
        "--serial",
        str(SERIAL),
        "--padding",
        "0",
        "--ignorelength",
        "-",
        "-",
    ]


def _key(text: str) -> str:
    """Everything that decides the bytes of the file of `text`: the text, what turns it into pinyin (this
    module's code and pypinyin's version), both command lines, both tools' versions."""
    recipe = [text, _spoken_version(), _espeak_command(), _opusenc_command(), _versions()]
    return hashlib.sha256(json.dumps(recipe, ensure_ascii=False).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _spoken_version() -> list[str]:
    return [pinyin_version(), hashlib.sha256(Path(__file__).read_bytes()).hexdigest()]


@lru_cache(maxsize=1)
def _versions() -> list[str]:
    return [
        _run(["espeak-ng", "--version"], b"").decode("utf-8", "replace").strip(),
        _run(["opusenc", "--version"], b"").decode("utf-8", "replace").splitlines()[0],
    ]


def _encode(said: str) -> bytes:
    wav = _run(_espeak_command(), said.encode("utf-8"))
    if len(wav) <= 44:  # a WAV header and no sound
        raise SpeechError(f"espeak-ng produced no audio for {said!r}")
    return _run(_opusenc_command(), wav)


def _run(command: list[str], data: bytes) -> bytes:
    """The standard output of `command` fed `data`; SpeechError naming the tool if it fails."""
    tool = command[0]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=TIMEOUT)
    except FileNotFoundError:
        raise SpeechError(f"{tool} is not on PATH (Debian: apt-get install espeak-ng opus-tools)") from None
    except subprocess.TimeoutExpired:
        raise SpeechError(f"{tool} took more than {TIMEOUT} s: {' '.join(command)}") from None
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace").strip()
        raise SpeechError(f"{tool} failed (exit status {done.returncode}): {' '.join(command)}\n{stderr}")
    return done.stdout
