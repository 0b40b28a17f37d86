"""Grok (xAI) exports: prod-grok-backend.json, alone or in the export's zip, read from a sample
written after the export's public shape (Mongo-style times, wrapped responses, thinking)."""
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.intake.readers import ImportFormatError, read_import

SAMPLE = Path(__file__).resolve().parents[3] / "data" / "import_samples" / "grok" / "prod-grok-backend.json"
LISBON = "c0ffee00-1111-4aaa-8bbb-000000000001"
BREAD = "c0ffee00-2222-4aaa-8bbb-000000000002"
REASONING, TOOLS = "the assistant's reasoning (thinking)", "a tool call or its result"
HIDDEN = "hidden context (system messages, instructions)"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def export() -> dict:
    return json.loads(SAMPLE.read_text())


def write(tmp_path, data, name="export.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_the_branch_the_user_ended_on_with_times_speakers_and_conversations():
    parsed = read_import(SAMPLE)
    assert parsed.format == "grok"
    assert [(t.role, t.text[:32]) for t in parsed.turns] == [
        ("user", "I'm moving to Lisbon in Septembe"),
        ("assistant", "Congratulations on the new job! "),  # not the regenerated answer before it
        ("user", "My budget is 1,400 euros a month"),
        ("assistant", "With 1,400 euros a month you can"),  # sender "grok-3": Grok
        ("user", "My sourdough starter is called B"),
        ("assistant", "Bubbles will be happy there. Fee")]
    assert [t.conversation_id for t in parsed.turns] == [LISBON] * 4 + [BREAD] * 2
    assert all(t.speaker == "" for t in parsed.turns)
    assert [t.at for t in parsed.turns[:4]] == [
        utc(2025, 3, 10, 9), utc(2025, 3, 10, 9, 1),
        utc(2025, 3, 10, 9, 5),  # {"$date": ISO-8601}
        utc(2025, 3, 10, 9, 6, 30)]  # {"$date": {"$numberLong": ms}}
    assert dict(parsed.skipped.reasons) == {REASONING: 1, TOOLS: 1, HIDDEN: 1}  # HIDDEN: the project's instructions
    assert parsed.skipped.examples[REASONING] == [f"conversation 1 ({LISBON}), response 3"]
    assert not parsed.rejected.total


def test_detected_by_content_under_any_name_and_inside_the_export_zip(tmp_path):
    assert read_import(write(tmp_path, export(), "whatever.json")).format == "grok"
    bundle = tmp_path / "grok-export.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        folder = "ttl/30d/export_data/5e7a9d1c-0000-4000-8000-00000000aaaa/"
        z.write(SAMPLE, folder + "prod-grok-backend.json")
        z.writestr(folder + "prod-mc-auth-mgmt-api.json", json.dumps({"user": {"email": "me@example.org"}}))
        z.writestr(folder + "prod-mc-billing.json", json.dumps({"balance": 0}))
        z.writestr(folder + "prod-mc-asset-server/0b1c/content", b"\x89PNG...")
    parsed = read_import(bundle)
    assert parsed.format == "grok" and len(parsed.turns) == 6


def test_imported_through_mnemo(mnemo, tmp_path):
    report = mnemo.import_parsed(mnemo.read_import(SAMPLE), "prod-grok-backend.json")
    assert (report.format, report.imported, report.conversations, report.rejected.total) == ("grok", 6, 2, 0)
    assert report.skipped.total == 3 and any("not your conversation: 3" in line for line in report.lines())
    turns = mnemo.store.all(kinds=["turn"])
    bubbles = next(m for m in turns if "Bubbles and lives" in m.text)
    assert (bubbles.role, bubbles.speaker, bubbles.conversation_id) == ("user", "", BREAD)
    assert bubbles.event_at == utc(2025, 3, 12, 18, 30).timestamp()
    assert {m.source for m in turns} == {"import:prod-grok-backend.json"}
    assert mnemo.import_parsed(mnemo.read_import(SAMPLE), "prod-grok-backend.json").duplicates == 6


def bad(change) -> dict:
    data = export()
    change(data["conversations"][0]["responses"])
    return data


@pytest.mark.parametrize("change, reason, place", [
    (lambda rs: rs.__setitem__(3, {"response": None, "share_link": None}), "a message that is not an object",
     "response 4"),
    (lambda rs: rs[3]["response"].__setitem__("create_time", {"$date": "yesterday"}),
     "a message whose time cannot be read", "response 4"),
    (lambda rs: rs[3]["response"].__setitem__("create_time", {"$date": {"$numberLong": "soon"}}),
     "a message whose time cannot be read", "response 4"),
    (lambda rs: rs[3]["response"].pop("sender"), "a message without a sender", "response 4"),
])
def test_a_bad_response_is_rejected_with_its_place_and_the_rest_imports(mnemo, tmp_path, change, reason, place):
    path = write(tmp_path, bad(change))
    report = mnemo.import_parsed(mnemo.read_import(path), path.name)
    assert report.imported == 5 and report.rejected.reasons == {reason: 1}
    assert f"{reason} (e.g. conversation 1 ({LISBON}), {place})" in "\n".join(report.lines())


def test_a_damaged_conversation_is_left_out_and_the_others_import(tmp_path):
    data = export()
    data["conversations"][0]["responses"][0]["response"]["parent_response_id"] = "r-05"  # a loop
    data["conversations"].append("not a conversation")
    parsed = read_import(write(tmp_path, data))
    assert [t.conversation_id for t in parsed.turns] == [BREAD] * 2
    assert parsed.rejected.reasons == {"a conversation whose message tree is damaged": 1,
                                       "a conversation that is not an object": 1}
    assert parsed.rejected.examples["a conversation that is not an object"] == ["conversation 3"]


def test_responses_without_parent_links_are_read_in_time_order(tmp_path):
    data = export()
    responses = data["conversations"][1]["responses"]
    data["conversations"][1]["responses"] = responses[::-1]  # (newest first)
    responses[0]["response"]["create_time"] = 1741804200000  # plain milliseconds
    parsed = read_import(write(tmp_path, data))
    assert [t.text[:7] for t in parsed.turns[4:]] == ["My sour", "Bubbles"]
    assert parsed.turns[4].at == utc(2025, 3, 12, 18, 30)


@pytest.mark.parametrize("content, problem", [
    ({"conversations": "all of them"}, "'conversations' should be a list"),
    ({"conversations": [1, None]}, "Conversation 1: it should be an object, not a number"),
    ('"grok"', "should be an object, not text"),
])
def test_a_file_that_is_not_a_grok_export_is_refused_with_a_sentence(tmp_path, content, problem):
    path = tmp_path / "prod-grok-backend.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    with pytest.raises(ImportFormatError, match=problem):
        read_import(path, "grok")
    truncated = tmp_path / "cut.json"
    truncated.write_text(SAMPLE.read_text()[:700])
    with pytest.raises(ImportFormatError, match="not valid JSON"):
        read_import(truncated)
