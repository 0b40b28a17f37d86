"""Claude data exports: `conversations.json` and `memories.json` (alone or inside the export's
zip), or a single conversation saved on its own (an object rather than a list).

Their public shape: conversations.json is a list of conversations, each {"uuid", "name",
"created_at", "chat_messages": [{"uuid", "sender": "human" | "assistant", "text", "content":
[{"type": "text", "text"} | {"type": "thinking", "thinking"} | {"type": "tool_use", "name",
"input"} | {"type": "tool_result", "content"} | ...], "attachments": [{"file_name",
"extracted_content"}], "files": [{"file_name"}], "created_at"}]}. memories.json is a list of
Claude's memory of the user: [{"conversations_memory": text, "project_memories": {project
uuid: text}, "account_uuid"}].

Kept: the human's and the assistant's text (from the content blocks; the message's `text` when
there are none), each attachment's extracted text appended to its message as context, and the
saved memories as notes about the user (one per section). Left out and counted: thinking
blocks, tool use and tool results, images and files without text. A null message, a message
with a time that is not a time, and the like are rejected with their place."""
from __future__ import annotations

from .model import ParsedImport
from .times import iso_time
from .tolerant import (MEDIA, REASONING, TOOLS, BadRecord, add_memory_notes, each_record, has_body, kind_of,
                       quiet_time, record_time, with_context)

NAME = "claude"
MEMBERS = ("conversations.json", "memories.json")  # read inside an export's zip

ROLES = {"human": "user", "assistant": "assistant"}
REASONING_BLOCKS = {"thinking", "redacted_thinking"}
TOOL_BLOCKS = {"tool_use", "tool_result", "server_tool_use", "web_search_tool_result", "mcp_tool_use",
               "mcp_tool_result"}
MEDIA_BLOCKS = {"image", "document", "file"}
MEMORY_KEYS = ("conversations_memory", "project_memories")


def looks_like(data) -> bool:
    first = data[0] if isinstance(data, list) and data else data
    return isinstance(first, dict) and ("chat_messages" in first or any(k in first for k in MEMORY_KEYS))


def parse(data) -> ParsedImport:
    result = ParsedImport("claude")
    each_record(data, result, lambda n, item: _item(result, n, item), "conversations.json")
    return result


def _item(result: ParsedImport, n: int, item) -> None:
    if isinstance(item, dict) and "chat_messages" not in item and any(k in item for k in MEMORY_KEYS):
        return _memories(result, n, item)
    return _conversation(result, n, item)


def _memories(result: ParsedImport, n: int, item: dict) -> None:
    """Claude's memory of the user (and of each of their projects), as notes."""
    where = f"saved memory {n}"
    if item.get("conversations_memory") is not None:
        add_memory_notes(result, item["conversations_memory"], "Claude's memory of me", None, where)
    projects = item.get("project_memories")
    if isinstance(projects, dict):
        for project, text in projects.items():
            add_memory_notes(result, text, "Claude's memory of a project of mine", None,
                             f"{where}, project {project[:40]}")
    elif projects is not None:
        result.rejected.add("saved project memories that are not an object", where)


def _conversation(result: ParsedImport, n: int, conversation) -> None:
    where = f"conversation {n}"
    if not isinstance(conversation, dict):
        raise BadRecord("a conversation that is not an object", where, f"it should be an object, not "
                                                                       f"{kind_of(conversation)}")
    conv_id = conversation.get("uuid")
    conv_id = conv_id if isinstance(conv_id, str) and conv_id.strip() else f"claude-{n}"
    where = f"conversation {n} ({conv_id[:60]})"
    messages = conversation.get("chat_messages")
    if not isinstance(messages, list):
        raise BadRecord("a conversation without a list of messages", where,
                        f"its 'chat_messages' should be a list, not {kind_of(messages)}")
    fallback = quiet_time(conversation.get("created_at"), iso_time)
    for i, message in enumerate(messages, start=1):
        spot = f"{where}, message {i}"
        try:
            _message(result, message, conv_id, fallback, spot)
        except BadRecord as bad:
            result.rejected.add(bad.reason, bad.where)


def _message(result: ParsedImport, message, conv_id: str, fallback, spot: str) -> None:
    if message is None:
        raise BadRecord("a null message", spot)
    if not isinstance(message, dict):
        raise BadRecord("a message that is not an object", spot)
    sender = message.get("sender")
    if not isinstance(sender, str) or sender not in ROLES:
        raise BadRecord(f"a message from '{str(sender)[:30]}', not the human or the assistant", spot)
    at = record_time(message.get("created_at"), iso_time, spot) or fallback
    left_out = 0
    content = message.get("content")
    if isinstance(content, list) and content:
        texts = []
        for j, block in enumerate(content, start=1):
            kind = block.get("type") if isinstance(block, dict) else None
            if kind == "text":
                texts.append(block.get("text") if isinstance(block.get("text"), str) else "")
                continue
            left_out += 1
            if not isinstance(block, dict) or not isinstance(kind, str):
                result.rejected.add("a content block that cannot be read", f"{spot}, block {j}")
            elif kind in REASONING_BLOCKS:
                result.skip(REASONING, spot)
            elif kind in TOOL_BLOCKS or kind.endswith(("_tool_use", "_tool_result")):
                result.skip(TOOLS, spot)
            elif kind in MEDIA_BLOCKS:
                result.skip(MEDIA, spot)
            else:
                result.skip(f"a '{kind[:40]}' block (not text)", spot)
        text = "\n\n".join(t.strip() for t in texts if t.strip())
    else:  # no content blocks ("content": null in some exports): the message's text
        text = message.get("text") if isinstance(message.get("text"), str) else ""
    context = _attached(message)
    files = message.get("files")
    for _ in files if isinstance(files, list) else []:
        result.skip(MEDIA, spot)  # images and files: the export holds their names only
        left_out += 1
    if not text.strip() and not has_body(context) and left_out:
        return  # nothing but thinking, tools or images: counted as left out
    result.add_turn(with_context(text, context), ROLES[sender], "", conv_id, at, spot)


def _attached(message: dict) -> list[tuple[str, str]]:
    """Attachments whose text Claude extracted (documents, long pasted text)."""
    context = []
    attachments = message.get("attachments")
    for attachment in attachments if isinstance(attachments, list) else []:
        if not isinstance(attachment, dict):
            continue
        name, text = attachment.get("file_name"), attachment.get("extracted_content")
        name = name.strip()[:120] if isinstance(name, str) and name.strip() else "a file"
        if isinstance(text, str) and text.strip():
            context.append((f"attached: {name}", text))
    return context
