"""ChatGPT's export, read from samples written after its public shape (data/import_samples/chatgpt/):
the branch the user ended on, newer content types, custom instructions as notes (once), what a
message carried kept as its context; a bad record is left out and named, a broken file refused."""
import copy
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.intake.readers import ImportFormatError, read_import
from core.intake.readers.model import MAX_TURN_CHARS

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "import_samples" / "chatgpt"
CONVERSATIONS = SAMPLES / "conversations.json"
LISBON, LEASE, FERN = ("6a5b0c1d-0000-4000-8000-00000000a001", "6a5b0c1d-0000-4000-8000-00000000b002",
                       "6a5b0c1d-0000-4000-8000-00000000c003")
QUOTE = "Either party may end this lease with 60 days' written notice."


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def sample() -> list:
    return json.loads(CONVERSATIONS.read_text())


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data))
    return path


def test_the_sample_export_gives_the_branches_the_user_ended_on():
    parsed = read_import(CONVERSATIONS)
    assert parsed.format == "chatgpt"
    assert [(t.conversation_id, t.role) for t in parsed.turns] == (
        [(LISBON, "user"), (LISBON, "assistant")] * 2 + [(LEASE, "user"), (LEASE, "assistant")] * 2
        + [(FERN, "user"), (FERN, "assistant")])
    texts = [t.text for t in parsed.turns]
    assert texts[0] == "I'm moving to Lisbon on 1 July. What should I sort out first?"
    assert texts[1] == "Start with your NIF (tax number), then open a bank account."  # not the regenerated one
    assert not any("regenerated" in t or "thanks" == t for t in texts)  # other branches are left out
    assert texts[6].startswith("Can I give notice by email?")  # no current_node: the newest leaf's branch
    assert texts[8:] == ["Remind me: the fern needs water every Tuesday.", "Noted: water the fern every Tuesday."]
    assert {t.speaker for t in parsed.turns} == {""}
    assert parsed.turns[0].at == utc(2024, 6, 1, 10, 0, 10) and parsed.turns[3].at == utc(2024, 6, 1, 10, 2)
    assert parsed.turns[4].at == utc(2024, 6, 2, 10) and parsed.turns[9].at == utc(2024, 6, 3, 10, 0, 5)
    assert parsed.rejected.total == 0


def test_reasoning_tools_hidden_context_and_media_are_left_out_and_counted():
    parsed = read_import(CONVERSATIONS)
    assert dict(parsed.skipped.reasons) == {
        "hidden context (system messages, instructions)": 3,  # a system message, custom instructions twice
        "the assistant's reasoning (thinking)": 2,  # thoughts, reasoning_recap
        "a tool call or its result": 3,  # code to python, its output, a search in the user's file
        "an image, audio or file without text": 3}  # the floor plan image, two voice recordings
    assert not any("Thought for" in t.text or "print(" in t.text or "9.3" == t.text for t in parsed.turns)
    assert "conversation 1 (6a5b0c1d-0000-4000-8000-00000000a001), message a4" in \
        parsed.skipped.examples["the assistant's reasoning (thinking)"]


def test_custom_instructions_become_notes_about_the_user_once():
    parsed = read_import(CONVERSATIONS)
    assert [n.text for n in parsed.notes] == [
        "About me (from my ChatGPT custom instructions): I'm Marta, a nurse working night shifts in Lisbon. I have a "
        "cat called Pimenta.",
        "How I asked ChatGPT to respond (custom instructions): Keep answers short and practical."]
    assert all(n.at is None or n.at == utc(2024, 6, 1, 10) for n in parsed.notes)
    assert not any("Pimenta" in t.text for t in parsed.turns)  # notes, not turns


def test_custom_instructions_without_their_metadata_are_taken_out_of_chatgpts_preamble(tmp_path):
    data = sample()
    message = data[0]["mapping"]["a2"]["message"]
    message["metadata"] = {"is_visually_hidden_from_conversation": True}
    parsed = read_import(write(tmp_path / "conversations.json", data))
    assert parsed.notes[0].text.endswith(": I'm Marta, a nurse working night shifts in Lisbon. I have a cat called "
                                         "Pimenta.")  # the fenced part of user_profile, not the preamble
    saved = write(tmp_path / "instructions.json", {"about_user_message": "I live in Porto.",
                                                    "about_model_message": "Answer in English."})
    alone = read_import(saved)
    assert alone.format == "chatgpt" and [n.text.split(": ", 1)[1] for n in alone.notes] == ["I live in Porto.",
                                                                                             "Answer in English."]


def test_what_a_message_carried_is_kept_as_its_context():
    turns = read_import(CONVERSATIONS).turns
    assert turns[2].text == ("Here is the flat's floor plan. Is the second bedroom big enough for a desk?\n\n"
                             "[attached: floorplan.png]")
    # the quote ChatGPT read from the attached lease joins the message that attached it
    assert turns[4].text == f"What notice period does my lease give?\n\n[attached: lease.pdf]\n\n" \
                            f"[quoted from lease.pdf]\n{QUOTE}"
    assert turns[5].text == f"Your lease asks for 60 days' written notice.\n\n[quoted: lease.pdf]\n{QUOTE}"
    assert "\ue200" not in turns[5].text  # citation markers are taken out
    assert turns[6].text == "Can I give notice by email?\n\n[replying to]\nYour lease asks for 60 days' written notice."


def test_context_fits_within_the_length_of_one_message(tmp_path):
    data = sample()
    mapping = data[1]["mapping"]
    mapping["b2"]["message"]["content"]["parts"] = ["q" * (MAX_TURN_CHARS - 100)]
    mapping["b4"]["message"]["content"]["text"] = "long quote " * 500
    parsed = read_import(write(tmp_path / "conversations.json", data))
    lease = next(t for t in parsed.turns if t.text.startswith("qqq"))
    assert len(lease.text) == MAX_TURN_CHARS and lease.text.endswith("…")
    mapping["b2"]["message"]["content"]["parts"] = ["q" * (MAX_TURN_CHARS + 1)]
    parsed = read_import(write(tmp_path / "conversations.json", data))
    assert parsed.rejected.reasons == {"the message is longer than 20,000 characters": 1}


def test_a_single_conversation_saved_alone_is_read():
    parsed = read_import(SAMPLES / "single_conversation.json")
    assert parsed.format == "chatgpt"
    assert [(t.role, t.text) for t in parsed.turns] == [("user", "My sister Ana's birthday is on 12 March."),
                                                        ("assistant", "Noted: Ana's birthday is on 12 March.")]
    assert parsed.turns[0].at == utc(2024, 6, 10, 10, 1)


def test_without_current_node_the_newest_leaf_is_followed(tmp_path):
    data = json.loads((SAMPLES / "single_conversation.json").read_text())
    del data["current_node"]
    assert [t.text for t in read_import(write(tmp_path / "c.json", data)).turns][0].startswith("My sister Ana's")
    data["mapping"]["s2"]["message"]["create_time"] += 1000  # the first version is now the newest leaf
    assert [t.text for t in read_import(write(tmp_path / "c.json", data)).turns] == [
        "my sisters birthday is in march", "Which day in March?"]


def test_the_export_zip_is_read_with_its_user_json_left_alone(tmp_path):
    bundle = tmp_path / "chatgpt-export.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.write(CONVERSATIONS, "conversations.json")
        z.writestr("user.json", json.dumps({"id": "user-x", "email": "marta@example.org", "chatgpt_plus_user": True,
                                            "birth_year": 1990, "phone_number": None}))
        z.writestr("chat.html", "<html></html>")
        z.writestr("message_feedback.json", "[]")
    for forced in (None, "chatgpt"):
        parsed = read_import(bundle, forced)
        assert parsed.format == "chatgpt" and len(parsed.turns) == 10 and len(parsed.notes) == 2


def test_custom_instructions_in_the_zips_user_json_are_kept_once(mnemo, tmp_path):
    bundle = tmp_path / "chatgpt-export.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.write(CONVERSATIONS, "conversations.json")
        z.writestr("user.json", json.dumps({"id": "user-x", "email": "marta@example.org", "custom_instructions": {
            "about_user_message": "I'm Marta, a nurse working night shifts in Lisbon. I have a cat called Pimenta.",
            "about_model_message": "Keep answers short and practical."}}))
    parsed = mnemo.read_import(bundle)
    assert [n.text[:8] for n in parsed.notes] == ["About me", "How I as"]
    report = mnemo.import_parsed(parsed, bundle.name)
    assert (report.notes, report.duplicates) == (2, 0)


def test_importing_the_sample_through_mnemo(mnemo):
    report = mnemo.import_parsed(mnemo.read_import(CONVERSATIONS), "conversations.json")
    assert (report.imported, report.notes, report.conversations, report.rejected.total) == (12, 2, 3, 0)
    assert report.skipped.total == 11 and "Left out as not your conversation: 11:" in report.lines()
    notes = [m for m in mnemo.memories() if m.kind == "note"]
    assert sorted(n.text[:8] for n in notes) == ["About me", "How I as"]
    turns = [m for m in mnemo.memories() if m.kind == "turn"]
    assert {m.conversation_id for m in turns} == {LISBON, LEASE, FERN} and len(turns) == 10
    again = mnemo.import_parsed(mnemo.read_import(CONVERSATIONS), "conversations.json")
    assert (again.imported, again.duplicates) == (0, 12)


def _break(data, change):
    data = copy.deepcopy(data)
    change(data)
    return data


A3 = "conversation 1 (6a5b0c1d-0000-4000-8000-00000000a001), message a3"
BAD_RECORDS = [
    # what breaks, how, the reason reported, where, turns that still import
    ("a null message node", lambda d: d[0]["mapping"]["a3"].update(message=5),
     "a message that is not an object", A3, 9),
    ("an unreadable time", lambda d: d[0]["mapping"]["a3"]["message"].update(create_time="soon"),
     "a message whose time cannot be read", A3, 9),
    ("a time out of range", lambda d: d[0]["mapping"]["a3"]["message"].update(create_time=1e15),
     "a message whose time cannot be read", A3, 9),
    ("parts not a list", lambda d: d[0]["mapping"]["a3"]["message"]["content"].update(parts="hi"),
     "a message whose 'parts' is not a list", A3, 9),
    ("a role that is a number", lambda d: d[0]["mapping"]["a3"]["message"]["author"].update(role=5),
     "a message whose author cannot be read", A3, 9),
    ("null content", lambda d: d[0]["mapping"]["a3"]["message"].update(content=None),
     "a message without readable content", A3, 9),
    ("a conversation that is not an object", lambda d: d.insert(1, 5),
     "a conversation that is not an object", "conversation 2", 10),
    ("a tree that loops", lambda d: d[1]["mapping"]["b0"].update(parent="b7"),
     "a conversation whose message tree is damaged", "conversation 2 (6a5b0c1d-0000-4000-8000-00000000b002)", 6),
    ("a node that is not an object", lambda d: d[2]["mapping"].update(c0=None),
     "a conversation whose message tree is damaged", "conversation 3 (6a5b0c1d-0000-4000-8000-00000000c003)", 8),
    ("a missing mapping", lambda d: d[2].pop("mapping"),
     "a conversation without its message tree ('mapping')", "conversation 3 (6a5b0c1d-0000-4000-8000-00000000c003)", 8),
]


@pytest.mark.parametrize("name,change,reason,where,turns", BAD_RECORDS, ids=[b[0] for b in BAD_RECORDS])
def test_a_bad_record_is_left_out_named_and_the_rest_imports(mnemo, tmp_path, name, change, reason, where, turns):
    path = write(tmp_path / "conversations.json", _break(sample(), change))
    parsed = mnemo.read_import(path)
    assert len(parsed.turns) == turns and len(parsed.notes) == 2
    assert dict(parsed.rejected.reasons) == {reason: 1} and parsed.rejected.examples[reason] == [where]
    report = mnemo.import_parsed(parsed, path.name)
    assert report.imported == turns + 2
    assert f"  1 × {reason} (e.g. {where})" in report.lines()


@pytest.mark.parametrize("content,phrase", [
    (b'{"title": "x", "mapping": 5}', r"^Conversation 1 \(chatgpt-1\): its 'mapping' should be an object, not a "
                                      r"number\.$"),
    (b'[{"mapping": {"a": {"parent": "a", "message": null}}, "current_node": "a"}]', "loops back to node a"),
    (b'[{"mapping": []}, 7, {"mapping": {"a": 1}}]', r"^Conversation 1 \(chatgpt-1\): its 'mapping' should be"),
    (b'[{"mapping": {"a": {"message": {"author": {"role": "user"}, "content": {"parts": ["hi"]}}}}}',
     "not valid JSON"),
])
def test_an_unreadable_file_is_refused_with_a_sentence(tmp_path, content, phrase):
    path = tmp_path / "conversations.json"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError, match=phrase) as refused:
        read_import(path, "chatgpt")
    assert "\n" not in str(refused.value) and str(refused.value).endswith((".", ")"))


def test_a_forced_format_that_does_not_fit_is_refused(tmp_path):
    with pytest.raises(ImportFormatError, match="not a ChatGPT export"):
        read_import(write(tmp_path / "x.json", {"chat_messages": []}), "chatgpt")
