"""Open WebUI chat exports: the JSON that Settings ▸ Chats ▸ Export Chats writes
(`chat-export-<ms>.json`), or a single chat's download (Download ▸ Export chat (.json)).

Its shape: a list of chats, each {"id", "title", "chat": {"title", "models", "params":
{"system"}, "history": {"messages": {id: {"id", "parentId", "childrenIds", "role", "content",
"timestamp", "model"}}, "currentId"}, "messages": [the same messages, the branch shown],
"timestamp"}, "created_at", "updated_at", "archived", "pinned", "meta", "folder_id"}. Older
exports hold the `chat` objects themselves (no wrapper).

- The turns are the branch the user ended on: from `history.currentId` up through each
  message's `parentId` (other answers to the same message, regenerated or from another model,
  and edited messages are left out); without it, `chat.messages`, else every message by time.
- Times: a message's `timestamp` in seconds (or milliseconds); without one, the time of the
  message before it, else the chat's `created_at`.
- Left out and counted (tolerant.py's reasons): system messages and the chat's system prompt
  (hidden context), and from an answer's text the blocks Open WebUI writes into it for
  reasoning (<details type="reasoning">, <think>), tool calls and code runs.
- A chat or message that cannot be read (not an object, no messages, no role, an unreadable
  time, a damaged message tree) is rejected with its place and the rest imports; a file that
  is not a list of chats (or one chat), or none of whose chats can be read, is refused."""
from __future__ import annotations

import re
from datetime import datetime

from .chat_tree import DAMAGED
from .model import ImportFormatError, ParsedImport
from .times import epoch_time
from .tolerant import HIDDEN, REASONING, TOOLS, BadRecord, each_record, kind_of, quiet_time, record_time

NAME = "openwebui"

ROLES = ("user", "assistant")
# the start of a block Open WebUI writes into an answer's text (<details type="..."> or <think>)
OPENING = re.compile(r"<(details)\b|<(think|thinking|reasoning)>", re.I)
TYPE = re.compile(r"\btype=[\"']?([\w-]{1,40})")
BLOCKS = {"reasoning": REASONING, "tool_calls": TOOLS, "code_interpreter": TOOLS}


def looks_like(data) -> bool:
    first = data[0] if isinstance(data, list) and data else data
    if not isinstance(first, dict):
        return False
    chat = first.get("chat", first)
    return (isinstance(chat, dict) and isinstance(chat.get("history"), dict)
            and isinstance(chat["history"].get("messages"), dict))


def parse(data) -> ParsedImport:
    result = ParsedImport(NAME)
    each_record(data, result, lambda n, item: _chat(result, item, n), "The Open WebUI export")
    return result


def _chat(result: ParsedImport, item, n: int) -> None:
    where = f"chat {n}"
    if not isinstance(item, dict):
        raise BadRecord("a conversation that is not an object", where, f"it should be an object, not {kind_of(item)}")
    chat = item.get("chat", item)
    if not isinstance(chat, dict):
        raise BadRecord("a conversation that cannot be read", where, f"its 'chat' should be an object, not "
                                                                      f"{kind_of(chat)}")
    conv_id = item.get("id") or chat.get("id")
    conv_id = conv_id if isinstance(conv_id, str) and conv_id.strip() else f"openwebui-{n}"
    where = f"chat {n} ({conv_id[:60]})"
    history = chat.get("history")
    messages = history.get("messages") if isinstance(history, dict) else None
    if not isinstance(messages, dict):
        raise BadRecord("a conversation without its messages ('history')", where,
                        f"its 'history.messages' should be an object, not {kind_of(messages)}")
    branch = _branch(messages, history.get("currentId"), chat.get("messages"), where)
    params = chat.get("params")
    if isinstance(params, dict) and isinstance(params.get("system"), str) and params["system"].strip():
        result.skip(HIDDEN, where)  # (the chat's system prompt)
    fallback = quiet_time(item.get("created_at"), seconds) or quiet_time(chat.get("timestamp"), seconds)
    for i, message in enumerate(branch, start=1):  # (a message without a time takes the one before it)
        try:
            fallback = _message(result, message, conv_id, fallback, f"{where}, message {i}") or fallback
        except BadRecord as bad:
            result.rejected.add(bad.reason, bad.where)


def _branch(messages: dict, current, shown, where: str) -> list:
    """The messages of the branch the user ended on, oldest first."""
    shown = shown if isinstance(shown, list) and shown else None
    if isinstance(current, str) and current in messages:
        chain, seen, key = [], set(), current
        while key is not None:
            if not isinstance(key, str) or key not in messages:
                raise BadRecord(DAMAGED, where, f"message {str(key)[:60]} is named as a parent but is missing")
            if key in seen:
                raise BadRecord(DAMAGED, where, f"its message tree loops back to message {key}")
            seen.add(key)
            message = messages[key]
            if not isinstance(message, dict):  # (its parent is not known: the branch shown instead)
                if shown is None:
                    raise BadRecord(DAMAGED, where, f"message {key} of its message tree is {kind_of(message)}")
                return _shown(messages, shown)
            chain.append(message)
            key = message.get("parentId")
        return chain[::-1]
    if shown is not None:
        return _shown(messages, shown)
    return sorted(messages.values(), key=_sort_key)


def _shown(messages: dict, shown: list) -> list:
    """`chat.messages`, the branch the app showed, each as the tree holds it."""
    return [messages.get(m["id"], m) if isinstance(m, dict) and isinstance(m.get("id"), str) else m for m in shown]


def _sort_key(message) -> float:
    at = quiet_time(message.get("timestamp"), seconds) if isinstance(message, dict) else None
    return at.timestamp() if at else float("-inf")


def _message(result: ParsedImport, message, conv_id: str, fallback, where: str) -> datetime | None:
    """Keep the message (or say why not); its own time, when it has one."""
    if not isinstance(message, dict):
        raise BadRecord("a message that is not an object", where, f"it should be an object, not {kind_of(message)}")
    role = message.get("role")
    if role == "system":
        result.skip(HIDDEN, where)
        return None
    if role is None:
        raise BadRecord("a message without a role", where)
    if role not in ROLES:
        result.skip(f"a message from '{str(role)[:30]}', not the user or the assistant", where)
        return None
    at = record_time(message.get("timestamp"), seconds, where)
    text = _text(message.get("content"))
    if isinstance(text, str) and "<" in text:
        text = _without_blocks(result, text, where)
    result.add_turn(text, role, "", conv_id, at or fallback, where)
    return at


def _text(content):
    """The message's text: a string, or the text parts of a list of parts (OpenAI's shape)."""
    if isinstance(content, list):
        return "\n".join(p["text"] for p in content
                         if isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str))
    return content


def _without_blocks(result: ParsedImport, text: str, where: str) -> str:
    """The text without the reasoning, tool call and code blocks Open WebUI writes into an answer
    (each counted); a block left open is kept as text. One pass over the text."""
    out, pos, gt = [], 0, -1
    while (match := OPENING.search(text, pos)) is not None:
        if match.group(1):  # <details ...>: its type says what it holds
            if gt < match.end():
                gt = text.find(">", match.end()) % (len(text) + 1)  # (none ahead: the text's end)
            kind = TYPE.search(text, match.end(), gt) if 0 <= gt - match.end() <= 4000 else None
            if kind is None:  # (not a block Open WebUI writes: kept as text)
                out.append(text[pos:match.end()])
                pos = match.end()
                continue
            kind, name = kind.group(1).lower(), "details"
        else:
            kind, name = "reasoning", match.group(2)
        closing = re.compile(rf"</{name}\s*>", re.I).search(text, match.end())
        if closing is None:
            break
        result.skip(BLOCKS.get(kind, f"a '{kind}' block Open WebUI writes into an answer"), where)
        out.append(text[pos:match.start()])
        pos = closing.end()
    out.append(text[pos:])
    return "".join(out)


def seconds(value, what: str) -> datetime:
    """A time in seconds since 1970, or in milliseconds, microseconds or nanoseconds (told
    apart by size)."""
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 25:
        value = int(value.strip())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            for scale, size in ((1e9, 1e17), (1e6, 1e14), (1e3, 1e11)):
                if abs(value) >= size:
                    value = value / scale
                    break
        except OverflowError:  # (an integer of hundreds of digits)
            raise ImportFormatError(f"{what} is far too large a number to be a time.") from None
    return epoch_time(value, what)
