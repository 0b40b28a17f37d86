"""Fuzzing the chat apps' readers (WhatsApp, Telegram, SillyTavern): whatever the file holds,
reading it gives turns or an ImportFormatError with a sentence; never a crash of another kind."""
import io
import json
import zipfile
from datetime import timezone
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from core.intake.readers import ImportFormatError, read_import, settle_me

from .fuzzing import FUZZ, JSON, json_paths, write

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "import_samples"
CHAT_SAMPLES = sorted(p for folder in ("whatsapp", "telegram", "sillytavern")
                      for p in (SAMPLES / folder).rglob("*") if p.is_file())
CHAT_FORMATS = [None, "whatsapp", "whatsapp-dmy", "whatsapp-mdy", "telegram", "sillytavern"]


def attempt(path: Path, format: str | None = None) -> None:
    try:
        parsed = read_import(path, format)
        if parsed.speakers:
            settle_me(parsed, path.name, next(iter(parsed.speakers)))
    except ImportFormatError as exc:
        assert str(exc).strip() and "\n" not in str(exc) and not str(exc).startswith("Traceback")
        return
    for turn in parsed.turns:
        assert turn.text.strip() and turn.role in ("user", "assistant") and isinstance(turn.conversation_id, str)
        assert isinstance(turn.speaker, str)
        assert turn.at is None or turn.at.tzinfo == timezone.utc


@FUZZ
@given(sample=st.sampled_from(CHAT_SAMPLES), format=st.sampled_from(CHAT_FORMATS), cut=st.floats(0, 1),
       flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=6))
def test_damaged_chat_samples(tmp_path_factory, sample, format, cut, flips):
    data = bytearray(sample.read_bytes())
    for where, value in flips:
        data[min(int(where * len(data)), len(data) - 1)] = value
    attempt(write(tmp_path_factory, sample.name, bytes(data[: max(1, int(cut * len(data)))])), format)


DATE = st.builds(lambda a, s1, b, s2, c: f"{a}{s1}{b}{s2}{c}", st.integers(0, 2100).map(str), st.sampled_from("/.-"),
                 st.integers(0, 99).map(str), st.sampled_from(["/", ".", "-", ". "]),
                 st.sampled_from(["23", "2023", "1969", "9999", "0", "31", "12"]))
TIME = st.builds(lambda h, m, s: f"{h}:{m:02d}" + (f":{s:02d}" if s is not None else ""), st.integers(0, 99),
                 st.integers(0, 99), st.none() | st.integers(0, 99))
AMPM = st.sampled_from(["", " AM", "\u202fPM", " p. m.", " a.m.", " nachm.", " xyz", " 午後"])
NAME = st.sampled_from(["Ana", "Rui", "~\u202fTio Zé", "\u202a+41 79 123 45 67\u202c", "User", "", "A: B"])
TEXT = st.sampled_from(["hi", "", "<Media omitted>", "\u200eimage omitted", "This message was deleted",
                        "You deleted this message", "\u200eMissed voice call", "null", "IMG-20231231-WA0001.jpg "
                        "(file attached)", "a <This message was edited>", "x" * 300]) | st.text(max_size=30)
LINE = st.one_of(
    st.builds(lambda d, t, ap, n, x: f"{d}, {t}{ap} - {n}: {x}", DATE, TIME, AMPM, NAME, TEXT),
    st.builds(lambda d, t, ap, n, x: f"[{d}, {t}{ap}] {n}: {x}", DATE, TIME, AMPM, NAME, TEXT),
    st.builds(lambda d, t, x: f"{d}, {t} - {x}", DATE, TIME, TEXT),  # a notice
    TEXT)  # a continued line


@FUZZ
@given(lines=st.lists(LINE, min_size=1, max_size=12), format=st.sampled_from([None, "whatsapp", "whatsapp-dmy",
                                                                                "whatsapp-mdy"]),
       zipped=st.booleans())
@example(lines=["31/12/2023, 21:05 - Ana: hi"], format=None, zipped=False)
@example(lines=["01/02/2024, 10:00 - Kim: a", "02/03/2024, 10:00 - Kim: b"], format=None, zipped=True)
def test_whatsapp_like_lines(tmp_path_factory, lines, format, zipped):
    text = "\n".join(lines).encode("utf-8", "surrogatepass")
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return  # (not text: refused before any reader, elsewhere)
    if zipped:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("_chat.txt", text)
            z.writestr("00000001-PHOTO.jpg", b"\xff\xd8")
        attempt(write(tmp_path_factory, "WhatsApp Chat - Ana.zip", buffer.getvalue()), format)
    else:
        attempt(write(tmp_path_factory, "WhatsApp Chat with Ana.txt", text), format)


def _swapped(data, pick: float, value):
    paths = list(json_paths(data))
    path = paths[min(int(pick * len(paths)), len(paths) - 1)]
    if not path:
        return value
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@FUZZ
@given(full=st.booleans(), pick=st.floats(0, 1), value=JSON, forced=st.booleans())
def test_telegram_values_swapped_anywhere(tmp_path_factory, full, pick, value, forced):
    sample = SAMPLES / "telegram" / ("full_export/result.json" if full else "result.json")
    data = _swapped(json.loads(sample.read_text()), pick, value)
    attempt(write(tmp_path_factory, "result.json", json.dumps(data).encode()), "telegram" if forced else None)


@FUZZ
@given(value=JSON, format=st.sampled_from(["telegram", "sillytavern", "whatsapp"]))
def test_any_json_with_a_chat_format_forced(tmp_path_factory, value, format):
    attempt(write(tmp_path_factory, "x.json", json.dumps(value).encode()), format)


SILLY = SAMPLES / "sillytavern" / "Seraphina - 2024-6-3 @16h 05m 12s 345ms.jsonl"


@FUZZ
@given(row=st.integers(0, 6), pick=st.floats(0, 1), value=JSON, raw=st.none() | st.text(max_size=40),
       forced=st.booleans())
def test_sillytavern_lines_changed_anywhere(tmp_path_factory, row, pick, value, raw, forced):
    rows = [json.loads(line) for line in SILLY.read_text().splitlines()]
    lines = [json.dumps(r) for r in rows]
    lines[row] = raw.replace("\n", " ") if raw is not None else json.dumps(_swapped(rows[row], pick, value))
    attempt(write(tmp_path_factory, "chat.jsonl", "\n".join(lines).encode("utf-8", "replace")),
            "sillytavern" if forced else None)
