"""Telegram Desktop exports in JSON (Settings ▸ Advanced ▸ Export Telegram data, or a chat's
menu ▸ Export chat history, format "Machine-readable JSON"): `result.json`, alone or zipped.

- One chat: {"name", "type", "id", "messages": [...]}.
- The whole account: {"personal_information": {"user_id", "first_name", "last_name", ...},
  "chats": {"list": [chat, ...]}, "left_chats": {"list": [...]}, ...}: the user is known (their
  messages carry from_id "user<user_id>"), so nobody is asked which speaker they are.

A message: {"id", "type": "message" | "service", "date" (local time), "date_unixtime", "from",
"from_id", "text": str | [str | {"type", "text", "href"?}], "forwarded_from"?,
"reply_to_message_id"?, "photo" | "file" | "media_type" | "poll" | ...?}. Each chat is a
conversation; service messages (joins, calls, pins) and media without text are left out and
counted; a forwarded message is kept as said by its author, a reply says whom it answers."""
from __future__ import annotations

from datetime import datetime

from .chat_times import epoch_any, local_time
from .model import ImportFormatError, ParsedImport, expect

NAME = "telegram"
MEMBERS = ("result.json",)  # read inside a zipped export folder

CHAT_TYPES = {"personal_chat", "bot_chat", "private_group", "private_supergroup", "public_supergroup",
              "private_channel", "public_channel", "saved_messages", "replies"}
UNNAMED = {"saved_messages": "Saved Messages", "replies": "Replies"}
MEDIA_KEYS = ("photo", "file", "media_type", "sticker_emoji", "location_information", "contact_information",
              "place_name", "game_title", "invoice_information", "contact_vcard")
SERVICE = "a Telegram service message (joins, calls, pins, changes)"
MEDIA = "a photo, sticker, voice message or other media without text"
UNSUPPORTED = "a message Telegram could not export"


def looks_like(data) -> bool:
    if not isinstance(data, dict):
        return False
    if isinstance(data.get("chats"), dict) and "list" in data["chats"]:
        return True
    messages = data.get("messages")
    if not isinstance(messages, list):
        return False
    first = messages[0] if messages else None
    kind = data.get("type")
    return (isinstance(kind, str) and kind in CHAT_TYPES) or (isinstance(first, dict) and "date_unixtime" in first)


def parse(data) -> ParsedImport:
    expect(data, dict, "result.json")
    result = ParsedImport("telegram")
    me_id, me_name = _me(data.get("personal_information"))
    if "messages" in data:
        chats = [data]
    else:
        chats = []
        for key in ("chats", "left_chats"):
            if data.get(key) is not None:
                section = expect(data[key], dict, f"result.json: '{key}'")
                chats += list(expect(section.get("list"), list, f"result.json: '{key}': 'list'"))
        if not chats:
            raise ImportFormatError("result.json holds no chats: export them from Telegram Desktop with "
                                    "\"Personal chats\" (and groups) ticked and the format \"Machine-readable JSON\".")
    names: dict[str, object] = {}
    for n, chat in enumerate(chats, start=1):
        where = f"chat {n}"
        expect(chat, dict, where)
        conversation = _conversation(chat, n, names)
        messages = expect(chat.get("messages"), list, f"{where} ({conversation}): 'messages'")
        said: dict[object, str] = {}  # message id -> who wrote it (for replies)
        for i, message in enumerate(messages, start=1):
            _message(result, message, conversation, f"{conversation}, message {i}", me_id, me_name, said)
    if me_name is not None and me_name in result.speakers:
        result.me = me_name
    return result


def _me(info) -> tuple[str | None, str | None]:
    """The account's owner: ("user<id>", their name), from personal_information."""
    if not isinstance(info, dict):
        return None, None
    user_id = info.get("user_id")
    name = " ".join(str(info.get(k) or "").strip() for k in ("first_name", "last_name")).strip()
    if isinstance(user_id, bool) or not isinstance(user_id, (int, str)) or not str(user_id).isdigit():
        return None, None
    return f"user{user_id}", name or f"user{user_id}"


def _conversation(chat: dict, n: int, names: dict) -> str:
    """The chat's name (one of its own when two chats share a name)."""
    name = chat.get("name")
    if not isinstance(name, str) or not name.strip():
        kind = chat.get("type") if isinstance(chat.get("type"), str) else ""
        name = UNNAMED.get(kind, f"chat {chat.get('id', n)}")
    name = "Telegram: " + " ".join(name.split())[:200]
    key = chat.get("id") if isinstance(chat.get("id"), (int, str)) and not isinstance(chat.get("id"), bool) else n
    if names.setdefault(name, key) != key:
        name = f"{name} ({key})"
        names.setdefault(name, key)
    return name


def _message(result: ParsedImport, message, conversation: str, where: str, me_id, me_name, said: dict) -> None:
    if not isinstance(message, dict):
        result.rejected.add("the message is not an object", where)
        return
    kind = message.get("type", "message")
    if kind == "service":
        result.skip(SERVICE, where)
        return
    if kind == "unsupported":
        result.skip(UNSUPPORTED, where)
        return
    if kind != "message":
        result.rejected.add("a message of a kind Mnemo does not know", where)
        return
    try:
        at = _time(message, where)
    except ImportFormatError:
        result.rejected.add("the message's date cannot be read", where)
        return
    speaker = _speaker(message, conversation, me_id, me_name)
    if message.get("id") is not None and isinstance(message.get("id"), (int, str)):
        said[message["id"]] = speaker
    text = _text(message.get("text", ""))
    if text is None:
        result.rejected.add("the message's text is not in Telegram's shape", where)
        return
    poll = message.get("poll")
    if isinstance(poll, dict) and isinstance(poll.get("question"), str):
        answers = [a.get("text") for a in poll.get("answers") or [] if isinstance(a, dict)]
        text = "\n".join(filter(None, [text, f"Poll: {poll['question']}",
                                       " / ".join(a for a in answers if isinstance(a, str))]))
    if not text.strip() and any(message.get(key) is not None for key in MEDIA_KEYS):
        result.skip(MEDIA, where)
        return
    reply = message.get("reply_to_message_id")
    if isinstance(reply, (int, str)) and said.get(reply):
        text = f"(in reply to {said[reply]}) {text}"
    author = message.get("forwarded_from", False)
    if author is not False:  # kept as said by its author (null: a hidden one), not by who passed it on
        author = author if isinstance(author, str) and author.strip() else "someone"
        result.add_turn(f"(forwarded by {speaker}) {text}", "user", " ".join(author.split()), conversation, at,
                        where)
        return
    result.add_spoken(text, speaker, conversation, at, where)


def _speaker(message: dict, conversation: str, me_id, me_name) -> str:
    sender, sender_id = message.get("from"), message.get("from_id")
    if me_id is not None and sender_id == me_id:
        return me_name
    name = " ".join(sender.split()) if isinstance(sender, str) and sender.strip() else (
        "Deleted Account" if sender_id is not None else conversation)
    if name == me_name and sender_id != me_id:
        name = f"{name} ({sender_id})"  # (someone who has the user's name is not the user)
    return name[:200]


def _time(message: dict, where: str) -> datetime | None:
    if message.get("date_unixtime") is not None:
        return epoch_any(message["date_unixtime"], f"{where}: 'date_unixtime'")
    stamp = message.get("date")
    if stamp is None:
        return None
    if not isinstance(stamp, str):
        raise ImportFormatError(f"{where}: 'date' is not a date.")
    try:
        moment = datetime.fromisoformat(stamp.strip())
    except ValueError:
        raise ImportFormatError(f"{where}: 'date' is not a date.") from None
    return local_time(moment, f"{where}: 'date'")  # (the exporting computer's clock)


def _text(value) -> str | None:
    """A message's text: a string, or a list of strings and entities ({"type", "text"}) joined;
    a link's address is kept after its words. None: not Telegram's shape."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        return None
    parts = []
    for part in value:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, dict) and isinstance(part.get("text", ""), str):
            words, href = part.get("text", ""), part.get("href")
            parts.append(f"{words} ({href})" if isinstance(href, str) and href and href != words else words)
        else:
            return None
    return "".join(parts)

