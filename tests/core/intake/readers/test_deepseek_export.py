"""DeepSeek's export, read from a sample written after its public shape
(data/import_samples/deepseek/): a message tree like ChatGPT's whose messages hold fragments
(REQUEST, RESPONSE, THINK, SEARCH); the branch the user ended on; told apart from ChatGPT's
export; a bad record is left out and named, a broken file refused."""
import copy
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.intake.readers import ImportFormatError, read_import

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "import_samples"
CONVERSATIONS = SAMPLES / "deepseek" / "conversations.json"
MANDARIN, DINNER = "801e9692-0000-4000-8000-00000000e001", "801e9692-0000-4000-8000-00000000e002"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def sample() -> list:
    return json.loads(CONVERSATIONS.read_text())


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data))
    return path


def test_the_sample_export_gives_the_branches_the_user_ended_on():
    parsed = read_import(CONVERSATIONS)
    assert parsed.format == "deepseek"
    assert [(t.conversation_id, t.role, t.text) for t in parsed.turns] == [
        (MANDARIN, "user", "I want to learn Mandarin before my trip to Taipei in May."),
        (MANDARIN, "assistant", "Start with pinyin and the four tones, then 20 phrases for travel."),  # regenerated
        (MANDARIN, "user", "I can practise 20 minutes a day. Here is my week.\n\n[attached: week.txt]"),
        (MANDARIN, "assistant", "Twenty minutes a day works: ten on tones, ten on phrases."),
        (DINNER, "user", "A vegetarian dinner for two, please: I'm allergic to peanuts."),  # the edited question
        (DINNER, "assistant", "Try a mushroom risotto; it has no nuts.")]
    assert parsed.turns[0].at == utc(2025, 3, 29, 20, 49, 37, 18000)  # +08:00 kept as the instant it was
    assert parsed.turns[5].at == utc(2025, 4, 2, 10, 3, 9)
    assert {t.speaker for t in parsed.turns} == {""} and parsed.rejected.total == 0
    assert dict(parsed.skipped.reasons) == {"the assistant's reasoning (thinking)": 1, "a tool call or its result": 1}
    assert not any("Two months" in t.text or "Peanut" in t.text for t in parsed.turns)


def test_the_current_node_is_followed_when_the_export_names_one(tmp_path):
    data = sample()
    data[1]["current_node"] = "2"  # the user went back to the first version of the question
    parsed = read_import(write(tmp_path / "conversations.json", data))
    assert [t.text for t in parsed.turns if t.conversation_id == DINNER] == ["A dinner recipe for two?",
                                                                             "Peanut noodles are quick."]


def test_deepseek_and_chatgpt_exports_are_told_apart(tmp_path):
    assert read_import(CONVERSATIONS).format == "deepseek"
    assert read_import(SAMPLES / "chatgpt" / "conversations.json").format == "chatgpt"
    for name, source, expected in (("deepseek.zip", CONVERSATIONS, "deepseek"),
                                   ("chatgpt.zip", SAMPLES / "chatgpt" / "conversations.json", "chatgpt")):
        with zipfile.ZipFile(tmp_path / name, "w") as z:
            z.write(source, "conversations.json")
            z.writestr("user.json", json.dumps({"user_id": "u-1", "email": "marta@example.org"}))
        assert read_import(tmp_path / name).format == expected
    single = write(tmp_path / "one.json", sample()[0])
    assert read_import(single).format == "deepseek" and len(read_import(single).turns) == 4


def test_a_forced_format_that_does_not_fit_is_refused_with_a_sentence():
    with pytest.raises(ImportFormatError, match="is a DeepSeek conversation.*import it as deepseek"):
        read_import(CONVERSATIONS, "chatgpt")
    with pytest.raises(ImportFormatError, match="not a DeepSeek conversation"):
        read_import(SAMPLES / "chatgpt" / "conversations.json", "deepseek")


def test_importing_the_sample_through_mnemo(mnemo):
    report = mnemo.import_parsed(mnemo.read_import(CONVERSATIONS), "conversations.json")
    assert (report.imported, report.conversations, report.rejected.total, report.skipped.total) == (6, 2, 0, 2)
    assert report.format == "deepseek"
    turns = sorted((m for m in mnemo.memories() if m.kind == "turn"), key=lambda m: m.event_at)
    assert turns[0].event_at == utc(2025, 3, 29, 20, 49, 37, 18000).timestamp()
    assert {m.source for m in turns} == {"import:conversations.json"}


M1 = "conversation 1 (801e9692-0000-4000-8000-00000000e001), message 1"
BAD_RECORDS = [
    ("an unreadable time", lambda d: d[0]["mapping"]["1"]["message"].update(inserted_at="yesterday"),
     "a message whose time cannot be read", M1, 5),
    ("fragments not a list", lambda d: d[0]["mapping"]["1"]["message"].update(fragments=None),
     "a message whose 'fragments' is not a list", M1, 5),
    ("a fragment that is not an object", lambda d: d[0]["mapping"]["1"]["message"]["fragments"].append(None),
     "a fragment that cannot be read", M1, 6),
    ("a message that is not an object", lambda d: d[0]["mapping"]["1"].update(message=[]),
     "a message that is not an object", M1, 5),
    ("a tree that loops", lambda d: d[1]["mapping"]["root"].update(parent="4"),
     "a conversation whose message tree is damaged", "conversation 2 (801e9692-0000-4000-8000-00000000e002)", 4),
    ("a missing parent", lambda d: d[1]["mapping"]["3"].update(parent="gone"),
     "a conversation whose message tree is damaged", "conversation 2 (801e9692-0000-4000-8000-00000000e002)", 4),
]


@pytest.mark.parametrize("name,change,reason,where,turns", BAD_RECORDS, ids=[b[0] for b in BAD_RECORDS])
def test_a_bad_record_is_left_out_named_and_the_rest_imports(mnemo, tmp_path, name, change, reason, where, turns):
    data = copy.deepcopy(sample())
    change(data)
    path = write(tmp_path / "conversations.json", data)
    parsed = mnemo.read_import(path, "deepseek")
    assert len(parsed.turns) == turns
    assert dict(parsed.rejected.reasons) == {reason: 1} and parsed.rejected.examples[reason] == [where]
    report = mnemo.import_parsed(parsed, path.name)
    assert report.imported == turns and f"  1 × {reason} (e.g. {where})" in report.lines()


@pytest.mark.parametrize("content,phrase", [
    (b'{"id": "d1", "mapping": []}', r"^Conversation 1 \(d1\): its 'mapping' should be an object, not a list\.$"),
    (b'[{"id": "d1", "mapping": {"root": {"parent": "root", "message": null}}}]', "loops back to node root"),
    (b'[{"id": "d1", "mapping": {"root": 5}}]', "node root of its message tree should be an object"),
    (b"[1, 2, 3]", r"^Conversation 1: it should be an object, not a number\.$"),
])
def test_an_unreadable_file_is_refused_with_a_sentence(tmp_path, content, phrase):
    path = tmp_path / "conversations.json"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError, match=phrase) as refused:
        read_import(path, "deepseek")
    assert "\n" not in str(refused.value)
