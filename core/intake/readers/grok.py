"""Grok (xAI) data exports: `prod-grok-backend.json`, alone or inside the export's zip (where it
sits under ttl/30d/export_data/<account id>/).

Its public shape: {"conversations": [{"conversation": {"id", "title", "create_time" (ISO-8601),
"modify_time", ...}, "responses": [{"response": {"_id", "message", "sender", "create_time",
"parent_response_id", "model", "thinking_trace", "agent_thinking_traces", "steps", ...},
"share_link": ...}]}], "projects": [{"name", "custom_personality", ...}], "tasks", "media_posts"}.

- Senders: "human" is the user; "assistant", "ASSISTANT" or a model's name ("grok-3") is Grok.
- Times are MongoDB's: {"$date": {"$numberLong": "<milliseconds>"}} or {"$date": ISO-8601};
  plain ISO-8601 text or milliseconds are read too. A response without one takes its
  conversation's.
- The turns are the branch the user ended on: from the latest response up through
  `parent_response_id` (regenerated answers and edited messages are left out; where a link
  names a response the file does not hold, the branch goes on from the latest response before
  it); without parent links, every response in time order.
- Left out and counted (tolerant.py's reasons): Grok's thinking (`thinking_trace`,
  `agent_thinking_traces`), its tool use (`steps`: searches, code), system messages and the
  projects' custom instructions (hidden context), images without text.
- A conversation or response that cannot be read (not an object, no sender, an unreadable time,
  parent links that loop) is rejected with its place and the rest imports; a file that is
  neither an object with 'conversations' nor a list of them, or none of whose conversations
  can be read, is refused."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...bounded import StreamedArray
from .chat_tree import DAMAGED
from .model import ImportFormatError, ParsedImport, expect
from .times import epoch_time, iso_time
from .tolerant import HIDDEN, MEDIA, REASONING, TOOLS, BadRecord, each_record, kind_of, quiet_time, record_time

NAME = "grok"
MEMBERS = ("prod-grok-backend.json",)  # read inside an export's zip

USERS = ("human", "user")


def looks_like(data) -> bool:
    if isinstance(data, dict):
        items = data.get("conversations")
        if not isinstance(items, list):
            return False
        return _is_wrapper(items[0]) if items else any(k in data for k in ("projects", "tasks", "media_posts"))
    return isinstance(data, list) and bool(data) and _is_wrapper(data[0])


def _is_wrapper(item) -> bool:
    return isinstance(item, dict) and isinstance(item.get("responses"), list) and (
        isinstance(item.get("conversation"), dict) or not item["responses"]
        or isinstance(item["responses"][0], dict) and ("response" in item["responses"][0]
                                                       or "sender" in item["responses"][0]))


def parse(data) -> ParsedImport:
    result = ParsedImport(NAME)
    if isinstance(data, dict):
        conversations = expect(data.get("conversations"), list, "The Grok export's 'conversations'")
        _projects(result, data.get("projects"))
        if not conversations:
            return result
    elif isinstance(data, (list, StreamedArray)):
        conversations = data
    else:
        expect(data, dict, "The Grok export (prod-grok-backend.json)")
    each_record(conversations, result, lambda n, item: _conversation(result, item, n), "The Grok export")
    return result


def _projects(result: ParsedImport, projects) -> None:
    if not isinstance(projects, list):
        return
    for n, project in enumerate(projects, start=1):
        if isinstance(project, dict) and _has_text(project.get("custom_personality")):
            result.skip(HIDDEN, f"project {n}")  # (its custom instructions to Grok)


@dataclass
class _Response:
    index: int
    body: dict
    at: datetime | None
    where: str
    bad: BadRecord | None = None  # (kept in the tree for its links, not imported)

    @property
    def id(self):
        return self.body.get("_id")

    @property
    def parent(self):
        return self.body.get("parent_response_id")


def _conversation(result: ParsedImport, wrapper, n: int) -> None:
    where = f"conversation {n}"
    if not isinstance(wrapper, dict):
        raise BadRecord("a conversation that is not an object", where, f"it should be an object, not "
                                                                       f"{kind_of(wrapper)}")
    meta = wrapper.get("conversation") or {}
    if not isinstance(meta, dict):
        raise BadRecord("a conversation that cannot be read", where, f"its 'conversation' should be an object, "
                                                                      f"not {kind_of(meta)}")
    conv_id = meta.get("id") or meta.get("conversation_id") or wrapper.get("conversation_id")
    conv_id = conv_id if isinstance(conv_id, str) and conv_id.strip() else f"grok-{n}"
    where = f"conversation {n} ({conv_id[:60]})"
    responses = wrapper.get("responses")
    if not isinstance(responses, list):
        raise BadRecord("a conversation without its 'responses'", where, f"its 'responses' should be a list, not "
                                                                         f"{kind_of(responses)}")
    fallback = quiet_time(meta.get("create_time"), grok_time)
    kept: list[_Response] = []
    for i, item in enumerate(responses, start=1):
        spot = f"{where}, response {i}"
        body = item.get("response") if isinstance(item, dict) and "response" in item else item
        if not isinstance(body, dict):
            result.rejected.add("a message that is not an object", spot)
            continue
        try:
            kept.append(_Response(i, body, record_time(body.get("create_time"), grok_time, spot) or fallback, spot))
        except BadRecord as bad:
            kept.append(_Response(i, body, None, spot, bad))
    for response in _branch(kept, where):
        try:
            if response.bad is not None:
                raise response.bad
            _response(result, response, conv_id)
        except BadRecord as bad:
            result.rejected.add(bad.reason, bad.where)


def _branch(responses: list[_Response], where: str) -> list[_Response]:
    """The responses the user ended on, oldest first: from the latest up through the parent
    links; where a link names a response the file does not hold, on from the latest of the
    responses before it."""
    in_time = sorted(responses, key=lambda r: (r.at.timestamp() if r.at else float("-inf"), r.index))
    if not any(isinstance(r.parent, str) and r.parent for r in responses):
        return in_time
    by_id = {r.id: r for r in responses if isinstance(r.id, str)}
    order = {r.index: k for k, r in enumerate(in_time)}
    chain: list[_Response] = []
    used: set[int] = set()  # responses on the branch, or found to be off it
    before = len(in_time)  # the responses in_time[:before] may still start the rest of the branch
    while before:
        start = next((r for r in reversed(in_time[:before]) if r.index not in used), None)
        if start is None:
            break
        walk, node = {}, start
        while node is not None and node.index not in used:
            if node.index in walk:
                raise BadRecord(DAMAGED, where, f"its responses' parent links loop back to response {node.index}")
            walk[node.index] = node
            parent = node.parent
            node = by_id.get(parent) if isinstance(parent, str) else None
        used.update(walk)
        if node is not None:  # it joins what is already kept: a side branch, left out
            before = order[start.index]
            continue
        chain += walk.values()
        top = list(walk.values())[-1]
        if not (isinstance(top.parent, str) and top.parent):
            break  # (the branch reached its first message)
        before = min(order[top.index], before - 1)
    return sorted(chain, key=lambda r: order[r.index])


def _response(result: ParsedImport, response: _Response, conv_id: str) -> None:
    body, spot = response.body, response.where
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        raise BadRecord("a message without a sender", spot, f"its 'sender' should be text, not {kind_of(sender)}")
    sender = sender.strip().casefold()
    if sender == "system":
        result.skip(HIDDEN, spot)
        return
    traces = body.get("agent_thinking_traces")
    if _has_text(body.get("thinking_trace")) or (isinstance(traces, list) and any(
            isinstance(t, dict) and _has_text(t.get("thinking_trace")) or _has_text(t) for t in traces)):
        result.skip(REASONING, spot)
    if isinstance(body.get("steps"), list) and body["steps"]:
        result.skip(TOOLS, spot)
    text = body.get("message")
    if not _has_text(text) and any(isinstance(body.get(k), list) and body[k] for k in (
            "generated_image_urls", "image_attachments", "file_attachments")):
        result.skip(MEDIA, spot)
        return
    result.add_turn("" if text is None else text, "user" if sender in USERS else "assistant", "", conv_id,
                    response.at, spot)


def grok_time(value, what: str) -> datetime | None:
    """A Grok export's time: {"$date": {"$numberLong": ms}}, {"$date": ISO-8601 | ms}, ISO-8601
    text or a number (milliseconds, or seconds when too small to be those). None when absent."""
    if value is None:
        return None
    if isinstance(value, dict):
        if set(value) != {"$date"}:
            raise ImportFormatError(f"{what} is neither a time nor {{\"$date\": ...}}.")
        value = value["$date"]
        if isinstance(value, dict):
            if set(value) != {"$numberLong"}:
                raise ImportFormatError(f"{what} is neither a time nor {{\"$numberLong\": ...}}.")
            value = value["$numberLong"]
            if not (isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) < 20):
                raise ImportFormatError(f"{what}: '$numberLong' should be milliseconds since 1970.")
            return epoch_time(int(value) / 1000, what)
    if isinstance(value, str):
        digits = value.strip()
        if not (digits.isdigit() and len(digits) < 20):
            return iso_time(value, what)
        value = int(digits)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 19:
        raise ImportFormatError(f"{what} is far too large a number to be a time.")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e11:
        value = value / 1000  # milliseconds (seconds that large would be past the year 5000)
    return epoch_time(value, what)


def _has_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())
