"""DeepSeek data exports: `conversations.json` (alone or inside the export's zip, beside
user.json), or a single conversation saved on its own (an object rather than a list).

Its public shape: a list of conversations, each {"id", "title", "inserted_at", "updated_at",
"mapping": {node id: {"id", "parent", "children", "message": null | {"model", "inserted_at",
"files": [...], "fragments": [{"type": "REQUEST" | "RESPONSE" | "THINK" | "SEARCH" | ...,
"content"}]}}}}: a tree of messages like ChatGPT's (its root is "root"), where a message's
text comes in fragments: the user's question is a REQUEST, the answer a RESPONSE, the model's
reasoning (DeepThink) a THINK, a web search a SEARCH.

Kept: the branch the user ended on (chat_tree.py: the current node when the export names one,
else the newest leaf); the REQUEST and RESPONSE text; the names (and any text) of attached
files as context of their message. Left out and counted: THINK fragments (reasoning), SEARCH
and other tool fragments. A message whose time cannot be read is rejected with its place."""
from __future__ import annotations

from datetime import datetime

from .chat_tree import branch, has_fragments
from .model import ParsedImport
from .times import epoch_time, iso_time
from .tolerant import (MEDIA, REASONING, TOOLS, BadRecord, each_record, has_body, kind_of, quiet_time, record_time,
                       with_context)

NAME = "deepseek"
MEMBERS = ("conversations.json",)  # read inside an export's zip

SAID = {"REQUEST": "user", "RESPONSE": "assistant", "TEMPLATE_RESPONSE": "assistant"}
THINKING = {"THINK"}
TOOL_STEPS = {"SEARCH", "TOOL_SEARCH", "TOOL_OPEN", "TOOL_CALL", "TOOL_RESULT", "READ_LINK", "FILE"}


def looks_like(data) -> bool:
    first = data[0] if isinstance(data, list) and data else data
    return isinstance(first, dict) and isinstance(first.get("mapping"), dict) and has_fragments(first)


def parse(data) -> ParsedImport:
    result = ParsedImport("deepseek")
    each_record(data, result, lambda n, item: _conversation(result, n, item), "conversations.json")
    return result


def _time(value, what: str) -> datetime:
    """DeepSeek writes ISO-8601 times with their offset (its web API: seconds since 1970)."""
    return epoch_time(value, what) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else iso_time(value, what)


def _stamp(node: dict) -> float | None:
    message = node.get("message")
    at = quiet_time(message.get("inserted_at"), _time) if isinstance(message, dict) else None
    return at.timestamp() if at is not None else None


def _conversation(result: ParsedImport, n: int, conversation) -> None:
    where = f"conversation {n}"
    if not isinstance(conversation, dict):
        raise BadRecord("a conversation that is not an object", where, f"it should be an object, not "
                                                                       f"{kind_of(conversation)}")
    conv_id = conversation.get("id")
    conv_id = conv_id if isinstance(conv_id, str) and conv_id.strip() else f"deepseek-{n}"
    where = f"conversation {n} ({conv_id[:60]})"
    mapping = conversation.get("mapping")
    if not isinstance(mapping, dict):
        raise BadRecord("a conversation without its message tree ('mapping')", where,
                        f"its 'mapping' should be an object, not {kind_of(mapping)}")
    first = next((node["message"] for node in mapping.values()
                  if isinstance(node, dict) and isinstance(node.get("message"), dict)), None)
    if first is not None and "author" in first and "fragments" not in first:
        raise BadRecord("a conversation whose messages have no 'fragments' (not DeepSeek's)", where,
                        "its messages have no 'fragments': it is not a DeepSeek conversation (a ChatGPT one is "
                        "imported as chatgpt)")
    fallback = quiet_time(conversation.get("inserted_at"), _time)
    current = conversation.get("current_node", conversation.get("current_message_id"))
    current = str(current) if isinstance(current, int) and not isinstance(current, bool) else current
    for node_id, node in branch(mapping, current, where, _stamp):
        message = node.get("message")
        if message is None:
            continue
        spot = f"{where}, message {node_id}"
        try:
            _message(result, message, conv_id, fallback, spot)
        except BadRecord as bad:
            result.rejected.add(bad.reason, bad.where)


def _message(result: ParsedImport, message, conv_id: str, fallback, spot: str) -> None:
    if not isinstance(message, dict):
        raise BadRecord("a message that is not an object", spot, f"it should be an object, not {kind_of(message)}")
    fragments = message.get("fragments")
    if not isinstance(fragments, list):
        raise BadRecord("a message whose 'fragments' is not a list", spot, f"its 'fragments' should be a list, not "
                                                                           f"{kind_of(fragments)}")
    at = record_time(message.get("inserted_at"), _time, spot) or fallback
    texts: dict[str, list[str]] = {"user": [], "assistant": []}
    left_out = 0
    for fragment in fragments:
        kind = fragment.get("type") if isinstance(fragment, dict) else None
        kind = kind.upper() if isinstance(kind, str) else None
        if kind in SAID:
            content = fragment.get("content")
            texts[SAID[kind]].append(content if isinstance(content, str) else "")
            continue
        left_out += 1
        if kind is None:
            result.rejected.add("a fragment that cannot be read", spot)
        elif kind in THINKING:
            result.skip(REASONING, spot)
        elif kind in TOOL_STEPS or kind.startswith("TOOL"):
            result.skip(TOOLS, spot)
        else:
            result.skip(f"a '{kind[:30]}' fragment (not text)", spot)
    role = message.get("role")
    role = role.lower() if isinstance(role, str) and role.lower() in texts else \
        "user" if texts["user"] and not texts["assistant"] else "assistant"
    text = "\n\n".join(t.strip() for t in texts["user"] + texts["assistant"] if t.strip())
    context, files = _files(message)
    if not text.strip() and not has_body(context) and (left_out or files):
        if files and not left_out:
            result.skip(MEDIA, spot)
        return  # nothing said: the reasoning, a search or a file alone (counted as left out)
    result.add_turn(with_context(text, context), role, "", conv_id, at, spot)


def _files(message: dict) -> tuple[list[tuple[str, str]], int]:
    """Attached files: their names, and their text when the export holds it."""
    context, count = [], 0
    files = message.get("files")
    for item in files if isinstance(files, list) else []:
        if not isinstance(item, dict):
            continue
        name = item.get("file_name", item.get("name"))
        text = item.get("content", item.get("text"))
        count += 1
        label = f"attached: {name.strip()[:120]}" if isinstance(name, str) and name.strip() else "attached: a file"
        context.append((label, text if isinstance(text, str) else ""))
    return context, count
