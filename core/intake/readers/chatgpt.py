"""ChatGPT data exports: `conversations.json` (alone or inside the export's zip).

Its public shape: a list of conversations, each {"id" or "conversation_id", "title",
"create_time", "current_node", "mapping": {node id: {"message": {"author": {"role"},
"create_time", "content": {"content_type", "parts": [...]}} | null, "parent", "children"}}}.
The turns are the branch the user last saw: from `current_node` up to the root (edited and
regenerated branches are left out); without `current_node`, every message by time."""
from __future__ import annotations

from .model import ImportFormatError, ParsedImport, expect
from .times import epoch_time

NAME = "chatgpt"
MEMBERS = ("conversations.json",)  # read inside an export's zip

ROLES = {"user": "user", "assistant": "assistant"}


def looks_like(data) -> bool:
    return isinstance(data, list) and bool(data) and isinstance(data[0], dict) and "mapping" in data[0]


def parse(data) -> ParsedImport:
    expect(data, list, "conversations.json")
    result = ParsedImport("chatgpt")
    for n, conversation in enumerate(data, start=1):
        where = f"conversation {n}"
        expect(conversation, dict, where)
        conv_id = conversation.get("conversation_id") or conversation.get("id") or f"chatgpt-{n}"
        expect(conv_id, str, f"{where}: 'id'")
        mapping = expect(conversation.get("mapping"), dict, f"{where} ({conv_id}): 'mapping'")
        fallback = conversation.get("create_time")
        for node_id, message in _branch(mapping, conversation.get("current_node"), f"{where} ({conv_id})"):
            _message(result, message, conv_id, fallback, f"{where}, message {node_id}")
    return result


def _branch(mapping: dict, current, where: str) -> list[tuple[str, dict]]:
    for node_id, node in mapping.items():
        expect(node, dict, f"{where}: node {node_id}")
    if isinstance(current, str) and current in mapping:
        chain, seen, node_id = [], set(), current
        while node_id is not None:
            if node_id in seen:
                raise ImportFormatError(f"{where}: the message tree loops back to node {node_id}.")
            if node_id not in mapping:
                raise ImportFormatError(f"{where}: node {node_id} is named as a parent but is missing.")
            seen.add(node_id)
            node = mapping[node_id]
            if node.get("message") is not None:
                chain.append((node_id, node["message"]))
            node_id = node.get("parent")
            if node_id is not None:
                expect(node_id, str, f"{where}: the parent of a node")
        return chain[::-1]
    messages = [(k, v["message"]) for k, v in mapping.items() if v.get("message") is not None]
    for node_id, message in messages:
        expect(message, dict, f"{where}: message {node_id}")
    return sorted(messages, key=lambda item: item[1].get("create_time") or 0)


def _message(result: ParsedImport, message, conv_id: str, fallback, where: str) -> None:
    expect(message, dict, where)
    author = expect(message.get("author", {}), dict, f"{where}: 'author'")
    role = author.get("role")
    if role is not None:
        expect(role, str, f"{where}: the author's 'role'")
    if role not in ROLES:
        result.rejected.add(f"a {role or 'nameless'} message, not the user's or the assistant's", where)
        return
    content = expect(message.get("content", {}), dict, f"{where}: 'content'")
    parts = content.get("parts")
    if content.get("content_type", "text") not in ("text", "multimodal_text") or parts is None:
        result.rejected.add(f"{content.get('content_type', 'non-text')} content (not text)", where)
        return
    expect(parts, list, f"{where}: 'parts'")
    text = "\n".join(p for p in parts if isinstance(p, str))
    if not text.strip() and any(not isinstance(p, str) for p in parts):
        result.rejected.add("an image or file without text", where)
        return
    stamp = message.get("create_time")
    if stamp is None:
        stamp = fallback
    at = epoch_time(stamp, f"{where}: 'create_time'") if stamp is not None else None
    result.add_turn(text, ROLES[role], "", conv_id, at, where)
