"""Fuzzing the readers of Grok, Open WebUI, Gemini (Takeout) and AI Studio files: whatever the
file holds, reading it gives turns or an ImportFormatError with a sentence; never another
exception, never a hang."""
import copy
import json
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from core.intake.readers import FORMATS, ImportFormatError, read_import
from core.intake.readers.gemini import html_text

from .fuzzing import FUZZ, json_paths, write

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "import_samples"
FILES = {"grok": SAMPLES / "grok" / "prod-grok-backend.json",
         "openwebui": SAMPLES / "openwebui" / "chat-export-1717000105000.json",
         "gemini": SAMPLES / "gemini" / "MyActivity.json",
         "aistudio": SAMPLES / "aistudio" / "Porto weekend plan"}
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20)
           | st.sampled_from(["", "human", "assistant", "system", "user", "model", "ASSISTANT", "grok-3",
                              "2024-05-01T09:30:00Z", "Prompted hi", "Gave feedback", "<p>hi</p>", "m1", "r-01",
                              "1717000000", "-1", "9" * 30, "<details type=\"reasoning\">", "</details>"]))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=12) | st.sampled_from(
                        ["$date", "$numberLong", "role", "content", "parentId", "id", "text", "html", "title", "time",
                         "isThought", "chunks", "responses", "response", "sender", "message", "create_time",
                         "history", "messages", "currentId", "chat", "safeHtmlItem", "parent_response_id", "_id"]),
                        inner, max_size=4), max_leaves=20)


def attempt(path: Path, format: str | None = None) -> None:
    try:
        parsed = read_import(path, format)
    except ImportFormatError as exc:
        assert str(exc).strip() and "\n" not in str(exc)[:200]
        return
    assert parsed.format in FORMATS
    for turn in parsed.turns:
        assert turn.text.strip() and turn.role in ("user", "assistant") and isinstance(turn.conversation_id, str)
        assert turn.at is None or turn.at.tzinfo is not None


@FUZZ
@given(format=st.sampled_from(sorted(FILES)), cut=st.floats(0, 1), detect=st.booleans(),
       flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=6))
def test_damaged_sample_files(tmp_path_factory, format, cut, detect, flips):
    data = bytearray(FILES[format].read_bytes())
    for where, value in flips:
        data[min(int(where * len(data)), len(data) - 1)] = value
    data = bytes(data[: max(1, int(cut * len(data)))])
    attempt(write(tmp_path_factory, FILES[format].name, data), None if detect else format)


@FUZZ
@given(format=st.sampled_from(sorted(FILES)), picks=st.lists(st.floats(0, 1), min_size=1, max_size=3),
       value=JSON, detect=st.booleans())
def test_json_values_swapped_anywhere_in_a_sample(tmp_path_factory, format, picks, value, detect):
    data = json.loads(FILES[format].read_text())
    for pick in picks:
        paths = list(json_paths(data))
        path = paths[min(int(pick * len(paths)), len(paths) - 1)]
        if not path:
            data = copy.deepcopy(value)
            continue
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = copy.deepcopy(value)
    attempt(write(tmp_path_factory, "export.json", json.dumps(data).encode()), None if detect else format)


@FUZZ
@given(value=JSON, format=st.sampled_from(sorted(FILES)))
@example(value={"conversations": [{"responses": [{"response": {"sender": "human", "message": "hi",
                                                                "create_time": {"$date": {"$numberLong": "9" * 19}}}}]}]},
         format="grok")
@example(value=[{"chat": {"history": {"messages": {"a": {"parentId": "a", "role": "user", "content": "x"}},
                                      "currentId": "a"}}}], format="openwebui")
@example(value=[{"header": "Gemini Apps", "title": "Prompted ", "time": "9999-99-99"}], format="gemini")
@example(value={"chunkedPrompt": {"chunks": [{"role": "model", "parts": [{"text": 1}, None]}]}}, format="aistudio")
@example(value={"conversations": [{"conversation": {"create_time": 10 ** 400}, "responses": [
    {"sender": "human", "message": "hi", "create_time": -10 ** 400}]}]}, format="grok")
@example(value=[{"chat": {"history": {"messages": {"a": {"role": "user", "content": "x", "timestamp": 10 ** 400}},
                                      "currentId": "a"}}}], format="openwebui")
def test_any_json_with_one_of_these_formats_forced(tmp_path_factory, value, format):
    attempt(write(tmp_path_factory, "x.json", json.dumps(value).encode()), format)


RESPONSE = st.fixed_dictionaries({}, optional={
    "_id": st.sampled_from(["a", "b", "c", "d"]), "parent_response_id": st.sampled_from(["a", "b", "c", "d", "", None]),
    "sender": st.sampled_from(["human", "assistant", "system", "grok-3", ""]) | SCALARS,
    "message": st.text(max_size=30) | SCALARS,
    "create_time": st.integers(-10**20, 10**20) | st.builds(lambda v: {"$date": v}, SCALARS | st.builds(
        lambda n: {"$numberLong": n}, st.text("0123456789-", max_size=22) | SCALARS)),
    "thinking_trace": SCALARS, "steps": JSON, "generated_image_urls": JSON})
MESSAGE = st.fixed_dictionaries({}, optional={
    "parentId": st.sampled_from(["m1", "m2", "m3", None]), "role": st.sampled_from(["user", "assistant", "system"]) | SCALARS,
    "content": st.text(max_size=40) | st.sampled_from(['<details type="reasoning">x</details>y', "<think>a", "<THINK>b</think>c"])
    | JSON, "timestamp": st.integers(-10**25, 10**25) | st.floats(allow_nan=True) | SCALARS})


@FUZZ
@given(responses=st.lists(st.fixed_dictionaries({"response": RESPONSE}) | RESPONSE, max_size=6))
def test_grok_conversations_of_any_shape(tmp_path_factory, responses):
    doc = {"conversations": [{"conversation": {"id": "c"}, "responses": responses}]}
    attempt(write(tmp_path_factory, "prod-grok-backend.json", json.dumps(doc).encode()))


@FUZZ
@given(messages=st.dictionaries(st.sampled_from(["m1", "m2", "m3"]), MESSAGE | SCALARS, max_size=3),
       current=st.sampled_from(["m1", "m2", "m3", None]), shown=st.none() | st.lists(MESSAGE | SCALARS, max_size=3))
def test_open_webui_message_trees_of_any_shape(tmp_path_factory, messages, current, shown):
    chat = {"history": {"messages": messages, "currentId": current}}
    if shown is not None:
        chat["messages"] = shown
    attempt(write(tmp_path_factory, "chats.json", json.dumps([{"id": "x", "chat": chat}]).encode()), "openwebui")


@FUZZ
@given(items=st.lists(st.fixed_dictionaries({"header": st.sampled_from(["Gemini Apps", "Bard", "Search"]),
                                             "title": st.text(max_size=30) | SCALARS, "time": SCALARS},
                                            optional={"safeHtmlItem": JSON | st.lists(st.fixed_dictionaries(
                                                {"html": st.text(max_size=60)})), "details": JSON, "text": SCALARS}),
                      min_size=1, max_size=6))
def test_gemini_activity_of_any_shape(tmp_path_factory, items):
    attempt(write(tmp_path_factory, "MyActivity.json", json.dumps(items).encode()))


@FUZZ
@given(html=st.text(max_size=300) | st.lists(st.sampled_from(
    ["<p>", "</p>", "<li>", "<pre>", "</pre>", "<script>", "</script>", "<![if x]>", "<!--", "-->", "&#x", "&amp;",
     "<br/>", "<", ">", "text", " ", "\n", "<a href='", "'>"]), max_size=40).map("".join))
def test_html_answers_always_give_text(html):
    assert isinstance(html_text(html), str)
