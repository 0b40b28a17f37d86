"""Claude data exports: `conversations.json` (alone or inside the export's zip).

Its public shape: a list of conversations, each {"uuid", "name", "created_at",
"chat_messages": [{"uuid", "sender": "human" | "assistant", "text", "content": [{"type":
"text", "text"}], "created_at"}]}."""
from __future__ import annotations

from .model import ParsedImport, expect
from .times import iso_time

NAME = "claude"
MEMBERS = ("conversations.json",)  # read inside an export's zip

ROLES = {"human": "user", "assistant": "assistant"}


def looks_like(data) -> bool:
    return isinstance(data, list) and bool(data) and isinstance(data[0], dict) and "chat_messages" in data[0]


def parse(data) -> ParsedImport:
    expect(data, list, "conversations.json")
    result = ParsedImport("claude")
    for n, conversation in enumerate(data, start=1):
        where = f"conversation {n}"
        expect(conversation, dict, where)
        conv_id = expect(conversation.get("uuid", f"claude-{n}"), str, f"{where}: 'uuid'")
        messages = expect(conversation.get("chat_messages"), list, f"{where} ({conv_id}): 'chat_messages'")
        fallback = conversation.get("created_at")
        for i, message in enumerate(messages, start=1):
            spot = f"{where}, message {i}"
            expect(message, dict, spot)
            sender = message.get("sender")
            if not isinstance(sender, str) or sender not in ROLES:
                result.rejected.add(f"a message from '{sender}', not the human or the assistant", spot)
                continue
            text = message.get("text")
            if not (isinstance(text, str) and text.strip()) and isinstance(message.get("content"), list):
                text = "\n".join(c.get("text", "") for c in message["content"]
                                 if isinstance(c, dict) and c.get("type") == "text" and isinstance(c.get("text"), str))
            stamp = message.get("created_at", fallback)
            at = iso_time(stamp, f"{spot}: 'created_at'") if stamp is not None else None
            result.add_turn(text, ROLES[sender], "", conv_id, at, spot)
    return result
