"""Google AI Studio chats and prompts, as AI Studio saves them in the "Google AI Studio" folder
of Google Drive (one file per chat, usually without an extension; download it from Drive).

Its shape: {"runSettings": {"model", "temperature", ...}, "systemInstruction": {} | {"text"} |
{"parts": [{"text"}]}, "chunkedPrompt": {"chunks": [{"text", "role": "user" | "model",
"tokenCount", "isThought", "finishReason", "createTime", "driveImage" | "driveDocument" |
"inlineImage" | ..., "parts": [{"text", "thought"}]}], "pendingInputs": [{"text", "role"}]}}.

- Each chunk is a turn: "user" the user's, "model" the assistant's; a chunk's `createTime`
  (ISO-8601) is its time when it has one (most files give none).
- Left out and counted (tolerant.py's reasons): the model's thoughts (`isThought` chunks,
  `thought` parts), the system instruction (hidden context), function calls and code runs,
  images and files without text, and an unsent draft (`pendingInputs`).
- The file names no conversation: its id is "aistudio-" and a digest of its first exchange,
  the same each time the same chat is imported (a chat that grew keeps it).
- A chunk that is not an object, has no role or an unreadable time is rejected with its place
  ("chunk 4") and the rest imports. A file without `chunkedPrompt.chunks`, or none of whose
  chunks can be read, is refused."""
from __future__ import annotations

import hashlib

from .model import ImportFormatError, ParsedImport, expect
from .times import iso_time
from .tolerant import HIDDEN, MEDIA, REASONING, TOOLS, BadRecord, each_record, kind_of, record_time

NAME = "aistudio"

ROLES = {"user": "user", "model": "assistant"}
FILES = ("driveImage", "driveDocument", "driveVideo", "driveAudio", "inlineImage", "inlineData", "inlineFile",
         "youtubeVideo", "fileData")
TOOLS_KEYS = ("functionCall", "functionResponse", "executableCode", "codeExecutionResult", "toolCall", "toolResponse")


def looks_like(data) -> bool:
    return isinstance(data, dict) and isinstance(data.get("chunkedPrompt"), dict)


def parse(data) -> ParsedImport:
    if not isinstance(data, dict):
        raise ImportFormatError(f"The AI Studio file should be an object with 'chunkedPrompt', not {kind_of(data)}.")
    prompt = expect(data.get("chunkedPrompt"), dict, "The AI Studio file's 'chunkedPrompt'")
    chunks = expect(prompt.get("chunks"), list, "The AI Studio file's 'chunkedPrompt.chunks'")
    result = ParsedImport(NAME)
    if _instruction(data.get("systemInstruction")):
        result.skip(HIDDEN, "systemInstruction")
    conv_id = _conversation_id(chunks)
    each_record(chunks, result, lambda i, chunk: _chunk(result, chunk, conv_id, f"chunk {i}"), "The AI Studio chat")
    drafts = prompt.get("pendingInputs")
    for i, draft in enumerate(drafts if isinstance(drafts, list) else [], start=1):
        if isinstance(draft, dict) and _has_text(draft.get("text")):
            result.skip("an unsent draft", f"pendingInputs {i}")
    return result


def _chunk(result: ParsedImport, chunk, conv_id: str, where: str) -> None:
    if not isinstance(chunk, dict):
        raise BadRecord("a message that is not an object", where, f"it should be an object, not {kind_of(chunk)}")
    if _thought(chunk.get("isThought")):
        result.skip(REASONING, where)
        return
    role = chunk.get("role")
    if role == "system":
        result.skip(HIDDEN, where)
        return
    if role is None:
        raise BadRecord("a message without a role", where)
    if not isinstance(role, str) or role not in ROLES:
        result.skip(f"a message from '{str(role)[:30]}', not the user or the assistant", where)
        return
    if any(chunk.get(k) for k in TOOLS_KEYS):
        result.skip(TOOLS, where)
        return
    text = chunk.get("text")
    parts = chunk.get("parts")
    if not _has_text(text) and isinstance(parts, list):
        parts = [p for p in parts if isinstance(p, dict) and isinstance(p.get("text"), str)]
        if any(_thought(p.get("thought")) for p in parts):
            result.skip(REASONING, where)
        text = "".join(p["text"] for p in parts if not _thought(p.get("thought")))
    if not _has_text(text) and any(chunk.get(k) for k in FILES):
        result.skip(MEDIA, where)
        return
    at = record_time(chunk.get("createTime"), iso_time, where)
    result.add_turn("" if text is None else text, ROLES[role], "", conv_id, at, where)


def _thought(flag) -> bool:
    return flag is True or flag == "true"


def _conversation_id(chunks) -> str:
    """A digest of the first user chunk's and the first answer's text: the same chat, the same id."""
    firsts = {}
    for chunk in chunks:
        role = chunk.get("role") if isinstance(chunk, dict) else None
        if isinstance(role, str) and role in ROLES and not _thought(chunk.get("isThought")):
            text = chunk.get("text")
            if _has_text(text):
                firsts.setdefault(role, text.strip())
        if len(firsts) == 2:
            break
    seed = "\x00".join((firsts.get("user", ""), firsts.get("model", "")))
    return "aistudio-" + hashlib.sha256(seed.encode("utf-8", "replace")).hexdigest()[:16]


def _instruction(value) -> str:
    """The system instruction's text: {"text"}, {"parts": [{"text"}]} or text."""
    if isinstance(value, str):
        return value.strip()
    if not isinstance(value, dict):
        return ""
    parts = value.get("parts")
    texts = [value.get("text")] + ([p.get("text") for p in parts if isinstance(p, dict)]
                                   if isinstance(parts, list) else [])
    return "\n".join(t for t in texts if _has_text(t)).strip()


def _has_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())
