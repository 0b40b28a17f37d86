"""Fuzzing the importers: whatever the file holds, reading it either gives turns (or an
archive) or a MnemoError with a sentence; never a crash of another kind, never a hang.
Inputs that once broke an importer are kept in data/import_samples/fuzz_regressions/."""
import json
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from core.intake.readers import FORMATS, ImportFormatError, read_import
from core.transfer.crypto import DecryptError, Passphrase

from .fuzzing import FUZZ, JSON, json_paths, write

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "import_samples"
REGRESSIONS = SAMPLES / "fuzz_regressions"
SAMPLE_FILES = sorted(p for p in SAMPLES.iterdir() if p.is_file())


def attempt(path: Path, format: str | None = None) -> None:
    try:
        parsed = read_import(path, format, passphrase=lambda: Passphrase("fuzzing passphrase"))
    except (ImportFormatError, DecryptError) as exc:
        assert str(exc) and "\n" not in str(exc)[:200]
        return
    assert parsed.format in FORMATS
    for turn in parsed.turns:
        assert turn.text.strip() and turn.role in ("user", "assistant") and isinstance(turn.conversation_id, str)


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".json", ".jsonl", ".txt", ".zip", ".mnemo", ""]))
@example(data=b"PK\x03\x04" + b"\x00" * 40, suffix=".zip")
@example(data=b"MNEMO-ENCRYPTED\n\x00\x00\x00\x02{}", suffix=".mnemo")
def test_arbitrary_bytes(tmp_path_factory, data, suffix):
    attempt(write(tmp_path_factory, "f" + suffix, data))


@FUZZ
@given(sample=st.sampled_from(SAMPLE_FILES), cut=st.floats(0, 1), flips=st.lists(st.tuples(st.floats(0, 1),
                                                                                         st.integers(0, 255)),
                                                                              max_size=6))
def test_damaged_sample_files(tmp_path_factory, sample, cut, flips):
    data = bytearray(sample.read_bytes())
    for where, value in flips:
        data[min(int(where * len(data)), len(data) - 1)] = value
    data = bytes(data[: max(1, int(cut * len(data)))])
    attempt(write(tmp_path_factory, sample.name, data))


JSON_SAMPLES = [p for p in SAMPLE_FILES if p.suffix == ".json"]


@FUZZ
@given(sample=st.sampled_from(JSON_SAMPLES), pick=st.floats(0, 1), value=JSON)
def test_json_values_swapped_anywhere_in_a_sample(tmp_path_factory, sample, pick, value):
    data = json.loads(sample.read_text())
    paths = list(json_paths(data))
    path = paths[min(int(pick * len(paths)), len(paths) - 1)]
    if not path:
        data = value
    else:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    attempt(write(tmp_path_factory, sample.name, json.dumps(data).encode()))


@FUZZ
@given(value=JSON, format=st.sampled_from([f for f in FORMATS if f != "mnemo"]))
def test_any_json_with_a_forced_format(tmp_path_factory, value, format):
    attempt(write(tmp_path_factory, "x.json", json.dumps(value).encode()), format)


@pytest.mark.parametrize("case", sorted(REGRESSIONS.glob("*")), ids=lambda p: p.name)
def test_inputs_that_once_broke_an_importer(case):
    """NAME.FORMAT.EXT files are read with that format forced; others are detected."""
    forced = case.suffixes[-2][1:] if len(case.suffixes) > 1 and case.suffixes[-2][1:] in FORMATS else None
    attempt(case, forced)
