"""Fuzzing the readers of ChatGPT's, Claude's and DeepSeek's exports: whatever their files hold,
reading gives turns and notes, or an ImportFormatError with a one-line sentence; never an
exception of another kind, never a turn Mnemo could not keep. Conversations are built from the
formats' parts with anything in place of any value; samples are damaged and mixed up."""
import copy
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from core.intake.readers import ImportFormatError, read_import
from core.intake.readers.model import MAX_TURN_CHARS

from .fuzzing import FUZZ, json_paths, write

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "import_samples"
OURS = ("chatgpt", "claude", "deepseek")
SAMPLE_FILES = sorted(p for name in OURS for p in (SAMPLES / name).glob("*.json"))

# JSON that parses (NaN, lone surrogates and integers past 64 bits make the file invalid JSON to
# the parser: test_fuzz.py sends those)
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
CHARS = st.characters(blacklist_categories=("Cs",))
JUNK = st.recursive(st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1) | FLOATS
                    | st.text(CHARS, max_size=12), lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(CHARS, max_size=8), inner, max_size=3), max_leaves=8)
TEXT = st.text(CHARS, max_size=40) | st.sampled_from(["**Work context**\n\nLikes tea.\n\n# Home\nLisbon", "x" * 20_100])
TIMES = st.none() | FLOATS | st.integers(-2**63, 2**63 - 1) | st.sampled_from(
    ["2024-05-01T09:30:00Z", "2025-03-30T04:49:37.018000+08:00", "soon", "", "9999-01-01T00:00:00"])
IDS = st.sampled_from(["root", "a", "b", "c", "d"])


def maybe(strategy):
    """The value the format has there (nine times in ten), or anything else."""
    return st.integers(0, 9).flatmap(lambda n: JUNK if n == 0 else strategy)


def obj(required: dict, optional: dict | None = None):
    return maybe(st.fixed_dictionaries(required, optional=optional or {}))


CHATGPT_MESSAGE = obj(
    {"author": obj({"role": maybe(st.sampled_from(["user", "assistant"] * 3 + ["system", "tool", "critic"]))}),
     "content": obj({"content_type": maybe(st.sampled_from(
         ["text", "multimodal_text"] * 4 + ["thoughts", "reasoning_recap", "code", "execution_output",
                                            "user_editable_context", "tether_quote", "model_editable_context"]))},
         {"parts": maybe(st.lists(TEXT | obj({"content_type": st.sampled_from(["audio_transcription",
                                                                              "image_asset_pointer"]),
                                             "text": maybe(TEXT)}), max_size=3)),
          "text": maybe(TEXT), "title": maybe(st.sampled_from(["lease.pdf", "x"])), "domain": maybe(TEXT),
          "user_profile": maybe(TEXT), "user_instructions": maybe(TEXT)})},
    {"create_time": TIMES, "recipient": maybe(st.sampled_from(["all"] * 4 + ["python"])),
     "channel": maybe(st.sampled_from([None] * 4 + ["analysis", "final", "commentary"])),
     "metadata": obj({}, {"attachments": maybe(st.lists(obj({"name": maybe(st.sampled_from(["lease.pdf", "a.png"]))}),
                                                        max_size=2)),
                          "citations": maybe(st.lists(obj({"metadata": obj({"title": maybe(TEXT),
                                                                            "text": maybe(TEXT)})}), max_size=2)),
                          "targeted_reply": maybe(TEXT), "is_visually_hidden_from_conversation": maybe(st.just(False)),
                          "is_thinking_preamble_message": maybe(st.just(False)),
                          "user_context_message_data": obj({"about_user_message": maybe(TEXT),
                                                            "about_model_message": maybe(TEXT)})})})
DEEPSEEK_MESSAGE = obj(
    {"fragments": maybe(st.lists(obj({"type": maybe(st.sampled_from(["REQUEST", "RESPONSE", "THINK", "SEARCH",
                                                                     "TOOL_OPEN", "request", "TIP"]))},
                                     {"content": maybe(TEXT)}), max_size=3))},
    {"inserted_at": TIMES, "role": maybe(st.sampled_from(["USER", "ASSISTANT"])),
     "files": maybe(st.lists(obj({}, {"file_name": maybe(TEXT), "content": maybe(TEXT)}), max_size=2))})


@st.composite
def _mapping(draw, message):
    """A message tree: a root, then each node under one drawn before it (a branch where two
    share a parent), now and then a parent that is anything at all."""
    mapping = {"root": {"id": "root", "parent": None, "children": [], "message": None}}
    for n in range(draw(st.integers(0, 5))):
        parent = draw(st.sampled_from(sorted(mapping)) | IDS | JUNK) if draw(st.integers(0, 9)) == 0 \
            else draw(st.sampled_from(sorted(mapping)))
        mapping[f"n{n}"] = {"id": f"n{n}", "parent": parent, "children": [],
                            "message": draw(st.none() | message | message)}
    return mapping


def tree(message, extra: dict):
    return obj({"mapping": maybe(_mapping(message))},
               {"current_node": maybe(IDS | st.sampled_from(["n0", "n1", "n2", "n4"])), "id": maybe(TEXT),
                "title": maybe(TEXT), **extra})


CHATGPT = tree(CHATGPT_MESSAGE, {"create_time": TIMES, "gizmo_id": maybe(TEXT)})
DEEPSEEK = tree(DEEPSEEK_MESSAGE, {"inserted_at": TIMES})
CLAUDE_MESSAGE = obj(
    {"sender": maybe(st.sampled_from(["human", "assistant"]))},
    {"text": maybe(TEXT), "created_at": TIMES,
     "content": st.none() | maybe(st.lists(obj({"type": maybe(st.sampled_from(
         ["text", "text", "thinking", "tool_use", "tool_result", "image", "voice_note"]))}, {"text": maybe(TEXT)}),
         max_size=3)),
     "attachments": maybe(st.lists(obj({}, {"file_name": maybe(TEXT), "extracted_content": maybe(TEXT)}), max_size=2)),
     "files": maybe(st.lists(obj({"file_name": maybe(TEXT)}), max_size=2))})
CLAUDE = obj({"chat_messages": maybe(st.lists(st.none() | CLAUDE_MESSAGE, max_size=4))},
             {"uuid": maybe(TEXT), "created_at": TIMES})
CLAUDE_MEMORY = obj({}, {"conversations_memory": maybe(TEXT), "project_memories": maybe(st.dictionaries(
    st.text(CHARS, max_size=8), maybe(TEXT), max_size=2)), "account_uuid": maybe(TEXT)})
BUILT = {"chatgpt": CHATGPT, "claude": CLAUDE | CLAUDE_MEMORY, "deepseek": DEEPSEEK}


def attempt(path: Path, format: str | None = None) -> None:
    """Read the file: it gives what Mnemo can keep, or a one-line sentence; nothing else."""
    try:
        parsed = read_import(path, format)
    except ImportFormatError as exc:
        assert str(exc).strip() and "\n" not in str(exc)
        return
    for turn in parsed.turns:
        assert turn.text.strip() and len(turn.text) <= MAX_TURN_CHARS and turn.role in ("user", "assistant")
        assert isinstance(turn.conversation_id, str) and (turn.at is None or isinstance(turn.at, datetime))
    for note in parsed.notes:
        assert note.text.strip() and len(note.text) <= MAX_TURN_CHARS and isinstance(note.where, str)
    assert parsed.rejected.total >= 0 and parsed.skipped.total >= 0


def dumps(value) -> bytes:
    return json.dumps(value).encode()


@FUZZ
@given(format=st.sampled_from(OURS), data=st.data(), many=st.booleans(), forced=st.booleans())
def test_conversations_built_from_the_formats_parts(tmp_path_factory, format, data, many, forced):
    strategy = BUILT[format]
    value = data.draw(st.lists(strategy, min_size=1, max_size=3) if many else strategy)
    attempt(write(tmp_path_factory, "conversations.json", dumps(value)), format if forced else None)


@FUZZ
@given(sample=st.sampled_from(SAMPLE_FILES), picks=st.lists(st.floats(0, 1), min_size=1, max_size=3),
       value=JUNK, forced=st.booleans())
@example(sample=SAMPLES / "chatgpt" / "conversations.json", picks=[0.0], value=None, forced=True)
def test_any_value_swapped_anywhere_in_a_sample(tmp_path_factory, sample, picks, value, forced):
    data = json.loads(sample.read_text())
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
    attempt(write(tmp_path_factory, sample.name, dumps(data)), sample.parent.name if forced else None)


@FUZZ
@given(sample=st.sampled_from(SAMPLE_FILES), cut=st.floats(0, 1),
       flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=6))
def test_damaged_samples(tmp_path_factory, sample, cut, flips):
    raw = bytearray(sample.read_bytes())
    for where, byte in flips:
        raw[min(int(where * len(raw)), len(raw) - 1)] = byte
    attempt(write(tmp_path_factory, sample.name, bytes(raw[: max(1, int(cut * len(raw)))])))


@FUZZ
@given(value=JUNK, format=st.sampled_from(OURS))
def test_any_json_read_as_one_of_these_formats(tmp_path_factory, value, format):
    attempt(write(tmp_path_factory, "x.json", dumps(value)), format)


@FUZZ
@given(members=st.dictionaries(st.sampled_from(["conversations.json", "memories.json", "user.json", "users.json",
                                                "data/conversations.json"]),
                               st.one_of(st.sampled_from(SAMPLE_FILES).map(lambda p: p.read_bytes()),
                                         JUNK.map(dumps), st.binary(max_size=40)), min_size=1, max_size=4),
       format=st.none() | st.sampled_from(OURS))
def test_export_zips_of_any_members(tmp_path_factory, members, format):
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as bundle:
        for name, data in members.items():
            bundle.writestr(name, data)
    attempt(write(tmp_path_factory, "export.zip", raw.getvalue()), format)
