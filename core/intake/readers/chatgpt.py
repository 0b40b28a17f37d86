"""ChatGPT data exports: `conversations.json` (alone or inside the export's zip), or a single
conversation saved on its own (an object rather than a list).

Its public shape: a list of conversations, each {"id" or "conversation_id", "title",
"create_time", "current_node", "gizmo_id" (a custom GPT's or a project's, "g-p-..."),
"mapping": {node id: {"message": {...} | null, "parent", "children"}}}; a message is
{"author": {"role": "user" | "assistant" | "system" | "tool", "name"}, "create_time",
"recipient", "channel", "content": {"content_type", ...}, "metadata": {...}}.

Kept: the branch the user ended on (chat_tree.py); the user's and the assistant's text ("text",
and "multimodal_text": its text parts and voice transcriptions); what a message carried,
appended to it as context: the names of attached files, the passage a reply quotes, cited
text, and quotes ChatGPT read from a file the user attached; the custom instructions
(`user_editable_context`: about the user, and how they want answers) once, as notes about the
user. Left out and counted (tolerant.py's reasons): the assistant's reasoning ("thoughts",
"reasoning_recap", thinking preambles), tool calls and their results (a message to a tool,
"code", "execution_output", the tool's replies), hidden context (system messages, the model's
editable context, hidden messages) and images or audio without text. The export's `user.json`
holds the account (e-mail, plan), which is not imported; custom instructions saved alone
({"about_user_message", "about_model_message"}) are imported as notes."""
from __future__ import annotations

import re

from .chat_tree import branch, has_fragments
from .model import ImportFormatError, ParsedImport
from .times import epoch_time
from .tolerant import (HIDDEN, MEDIA, REASONING, TOOLS, BadRecord, add_memory_notes, each_record, has_body, kind_of,
                       quiet_time, record_time, with_context)

NAME = "chatgpt"
MEMBERS = ("conversations.json", "user.json")  # read inside an export's zip

ROLES = {"user": "user", "assistant": "assistant"}
HIDDEN_TYPES = {"model_editable_context", "system_error", "app_pairing_content"}
REASONING_TYPES = {"thoughts", "reasoning_recap"}
TOOL_TYPES = {"code", "execution_output", "tether_browsing_display", "tether_quote", "sonic_webpage"}
CITATION = re.compile("\ue200[^\ue201]{0,200}\ue201|【[^】\n]{0,80}†[^】\n]{0,80}】|[\ue200-\ue206]")
FENCED = re.compile(r"```(.*?)```", re.S)
ACCOUNT_KEYS = {"email", "chatgpt_plus_user", "birth_year", "phone_number"}
ABOUT_ME = "About me (from my ChatGPT custom instructions)"
HOW_TO_ANSWER = "How I asked ChatGPT to respond (custom instructions)"


def looks_like(data) -> bool:
    first = data[0] if isinstance(data, list) and data else data
    if not isinstance(first, dict):
        return False
    if "mapping" in first:
        return not has_fragments(first)
    return bool(_saved_instructions(first))


def parse(data) -> ParsedImport:
    result = ParsedImport("chatgpt")
    seen: set[tuple[str, str]] = set()  # custom instructions already kept as notes (every conversation repeats them)
    if isinstance(data, dict) and "mapping" not in data:
        saved = _saved_instructions(data)
        if not saved and not ACCOUNT_KEYS & set(data):
            raise ImportFormatError("This is not a ChatGPT export: it is neither a conversation (it has no 'mapping') "
                                    "nor custom instructions.")
        _keep_instructions(result, saved, None, "custom instructions", seen)
        return result  # (the export's user.json: the account, nothing to import)
    each_record(data, result, lambda n, item: _conversation(result, n, item, seen), "conversations.json")
    return result


def _conversation(result: ParsedImport, n: int, conversation, seen: set) -> None:
    where = f"conversation {n}"
    if not isinstance(conversation, dict):
        raise BadRecord("a conversation that is not an object", where, f"it should be an object, not "
                                                                       f"{kind_of(conversation)}")
    conv_id = conversation.get("conversation_id") or conversation.get("id")
    conv_id = conv_id if isinstance(conv_id, str) and conv_id.strip() else f"chatgpt-{n}"
    where = f"conversation {n} ({conv_id[:60]})"
    if has_fragments(conversation):
        raise BadRecord("a DeepSeek conversation, not a ChatGPT one", where,
                        "it is a DeepSeek conversation (its messages hold 'fragments'); import it as deepseek")
    mapping = conversation.get("mapping")
    if not isinstance(mapping, dict):
        raise BadRecord("a conversation without its message tree ('mapping')", where,
                        f"its 'mapping' should be an object, not {kind_of(mapping)}")
    fallback = quiet_time(conversation.get("create_time"), epoch_time)
    pending: list[dict] = []
    for node_id, node in branch(mapping, conversation.get("current_node"), where, _stamp):
        message = node.get("message")
        if message is None:
            continue
        spot = f"{where}, message {node_id}"
        try:
            _message(result, message, fallback, spot, pending, seen)
        except BadRecord as bad:
            result.rejected.add(bad.reason, bad.where)
    for item in pending:
        if not item["text"].strip() and not has_body(item["context"]) and (item["media"] or item["files"]):
            if not item["media"]:
                result.skip(MEDIA, item["where"])  # only attached files, whose text the export does not hold
            continue  # (images and audio were counted as left out)
        result.add_turn(with_context(item["text"], item["context"]), item["role"], "", conv_id, item["at"],
                        item["where"])


def _stamp(node: dict) -> float | None:
    message = node.get("message")
    stamp = message.get("create_time") if isinstance(message, dict) else None
    try:
        return float(stamp) if isinstance(stamp, (int, float)) and not isinstance(stamp, bool) else None
    except OverflowError:  # (an integer of hundreds of digits)
        return None


def _message(result: ParsedImport, message, fallback, spot: str, pending: list[dict], seen: set) -> None:
    if not isinstance(message, dict):
        raise BadRecord("a message that is not an object", spot, f"it should be an object, not {kind_of(message)}")
    author = message.get("author")
    role = author.get("role") if isinstance(author, dict) else None
    if not isinstance(role, str):
        raise BadRecord("a message whose author cannot be read", spot, f"its author's 'role' should be text, not "
                                                                       f"{kind_of(role)}")
    metadata = message.get("metadata") if isinstance(message.get("metadata"), dict) else {}
    content = message.get("content")
    if not isinstance(content, dict):
        raise BadRecord("a message without readable content", spot, f"its 'content' should be an object, not "
                                                                    f"{kind_of(content)}")
    ctype = content.get("content_type", "text")
    if not isinstance(ctype, str):
        raise BadRecord("a message whose content type cannot be read", spot, f"its 'content_type' should be text, "
                                                                             f"not {kind_of(ctype)}")
    channel, recipient = message.get("channel"), message.get("recipient")
    if ctype == "user_editable_context":
        at = _quiet_message_time(message) or fallback
        _keep_instructions(result, _instructions(content, metadata), at, spot, seen)
        return result.skip(HIDDEN, spot)
    if (role == "system" or ctype in HIDDEN_TYPES or metadata.get("is_visually_hidden_from_conversation") is True
            or metadata.get("is_user_system_message") is True):
        return result.skip(HIDDEN, spot)
    if ctype in REASONING_TYPES or metadata.get("is_thinking_preamble_message") is True or channel == "analysis":
        return result.skip(REASONING, spot)
    if role == "tool":
        if not (ctype == "tether_quote" and _quote_of_an_attachment(content, pending)):
            result.skip(TOOLS, spot)
        return None
    if role == "assistant" and (isinstance(recipient, str) and recipient not in ("all", "")
                                or ctype in TOOL_TYPES or channel == "commentary"):
        return result.skip(TOOLS, spot)
    if role not in ROLES:
        return result.skip(f"a message from '{role[:30]}', not the user or the assistant", spot)
    if ctype not in ("text", "multimodal_text"):
        return result.skip(f"'{str(ctype)[:40]}' content (not text)", spot)
    parts = content.get("parts", [])
    if not isinstance(parts, list):
        raise BadRecord("a message whose 'parts' is not a list", spot, f"its 'parts' should be a list, not "
                                                                       f"{kind_of(parts)}")
    texts, media = [], 0
    for part in parts:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, dict) and part.get("content_type") == "audio_transcription" \
                and isinstance(part.get("text"), str):
            texts.append(part["text"])  # a voice message: what was said
        elif isinstance(part, dict):
            result.skip(MEDIA, spot)
            media += 1
    at = record_time(message.get("create_time"), epoch_time, spot) or fallback
    context, files = _carried(metadata)
    pending.append({"text": CITATION.sub("", "\n".join(texts)), "role": ROLES[role], "at": at, "where": spot,
                    "context": context, "files": files, "media": media})
    return None


def _quiet_message_time(message: dict):
    return quiet_time(message.get("create_time"), epoch_time)


def _carried(metadata: dict) -> tuple[list[tuple[str, str]], set[str]]:
    """What a message carried, as (label, text): attached files (by name), the passage a reply
    quotes, cited text."""
    context, files = [], set()
    attachments = metadata.get("attachments")
    for attachment in attachments if isinstance(attachments, list) else []:
        name = attachment.get("name") if isinstance(attachment, dict) else None
        if isinstance(name, str) and name.strip():
            files.add(name.strip())
            context.append((f"attached: {name.strip()[:120]}", ""))
    reply = metadata.get("targeted_reply")
    if isinstance(reply, str) and reply.strip():
        context.append(("replying to", reply))
    citations = metadata.get("citations")
    quoted = set()
    for citation in citations if isinstance(citations, list) else []:
        about = citation.get("metadata") if isinstance(citation, dict) else None
        text = about.get("text") if isinstance(about, dict) else None
        if isinstance(text, str) and text.strip() and text not in quoted:
            quoted.add(text)
            title = about.get("title")
            context.append((f"quoted: {title.strip()[:120]}" if isinstance(title, str) and title.strip() else "quoted",
                            text))
    return context, files


def _quote_of_an_attachment(content: dict, pending: list[dict]) -> bool:
    """A quote ChatGPT read from a file the user attached joins the user's message that carried
    the file (a quote from the web is a tool's result)."""
    title = content.get("title") or content.get("domain")
    text = content.get("text")
    if not (isinstance(title, str) and isinstance(text, str) and text.strip()):
        return False
    for item in reversed(pending):
        if item["role"] == "user" and title.strip() in item["files"]:
            if all(body != text for _, body in item["context"]):
                item["context"].append((f"quoted from {title.strip()[:120]}", text))
            return True
    return False


def _instructions(content: dict, metadata: dict) -> list[tuple[str, str]]:
    """The custom instructions in their user's words: `user_context_message_data` when present,
    else the fenced part of `user_profile` / `user_instructions` (ChatGPT wraps them in its own
    preamble)."""
    data = metadata.get("user_context_message_data")
    data = data if isinstance(data, dict) else {}
    about, how = data.get("about_user_message"), data.get("about_model_message")
    about = about if isinstance(about, str) and about.strip() else _unwrapped(content.get("user_profile"))
    how = how if isinstance(how, str) and how.strip() else _unwrapped(content.get("user_instructions"))
    return [(label, text) for label, text in ((ABOUT_ME, about), (HOW_TO_ANSWER, how)) if text]


def _unwrapped(text) -> str:
    if not isinstance(text, str):
        return ""
    fenced = FENCED.search(text)
    return (fenced.group(1) if fenced else text).strip()


def _saved_instructions(data: dict) -> list[tuple[str, str]]:
    """Custom instructions saved on their own: {"about_user_message", "about_model_message"}, at
    the top or under "custom_instructions"."""
    nested = data.get("custom_instructions")
    source = nested if isinstance(nested, dict) else data
    return [(label, text.strip()) for label, text in ((ABOUT_ME, source.get("about_user_message")),
                                                      (HOW_TO_ANSWER, source.get("about_model_message")))
            if isinstance(text, str) and text.strip()]


def _keep_instructions(result: ParsedImport, found: list[tuple[str, str]], at, where: str, seen: set) -> None:
    for label, text in found:
        if (label, text) not in seen:
            seen.add((label, text))
            add_memory_notes(result, text, label, at, where)
