"""Does a record carry instructions aimed at the assistant? (structure, not wording)

A memory is something the user said or saw. A record that speaks *to the assistant*, sets a
trigger ("whenever someone asks…"), asks for secrets to be sent somewhere or tells the
assistant what to relay to the user is not a memory but an injected instruction. The cues
below are grammatical: who is addressed, conditional triggers, exfiltration verbs next to
secrets or addresses, override phrases. They name no site, person or topic.
"""
from __future__ import annotations

import re

_FLAGS = re.IGNORECASE
_AI = r"(?:assistants?|ai|a\.i\.|chat ?bots?|bots?|language models?|llms?|gpt|copilot|mnemo)"

# "Assistant, …" / "Hey AI: …" at the start of a sentence: the record addresses the assistant.
# (A leading "Assistant:" is a speaker label, not an address.)
ADDRESSED = re.compile(rf"(?:^|[.!?:;\"“]\s*)(?:(?:hey|dear|note to(?: the)?|attention)\s+{_AI}\s*[,:!]|{_AI}\s*,)",
                       _FLAGS)
# after an address, an imperative: "Assistant, tell…", "AI, always…"
IMPERATIVE = re.compile(r"\b(?:tell|say|answer|respond|reply|recommend|suggest|ignore|send|forward|always|never|"
                        r"make sure|do not|don't|stop|pretend|act as)\b", _FLAGS)
# "AI assistants should always …", "the assistant must …"
DIRECTED = re.compile(rf"\b{_AI}\s+(?:should|must|shall|need to|have to|are to|is to|ought to|will always|will never)\b",
                      _FLAGS)
# "whenever the user asks", "if anyone mentions", "when the phrase 'x' appears"
TRIGGER = re.compile(
    r"\b(?:whenever|when|if|once|each time|every time)\s+(?:the\s+)?(?:user|anyone|someone|somebody|they|people|"
    r"a person)\s+(?:ever\s+)?(?:asks?|mentions?|says?|types?|writes?|brings? up|talks? about|uses?)\b"
    r"|\b(?:phrase|word|code ?word|keyword|trigger|passphrase)\s+['\"‘“][^'\"’”]{1,40}['\"’”]\s+"
    r"(?:appears|is (?:said|used|mentioned|typed|written|given))",
    _FLAGS,
)
# "tell the user to …", "tell them …", "recommend … to the user"
RELAY = re.compile(
    r"\b(?:tell|inform|advise|instruct|warn|convince|remind|urge)\s+(?:the\s+)?(?:user|users|them|him|her|anyone|"
    r"everyone|people)\b|\balways\s+recommend\b|\bnever\s+mention\b|\bdo not (?:tell|mention|reveal)\b",
    _FLAGS,
)
_SECRET = r"(?:credentials?|passwords?|passcodes?|pins?|api keys?|keys|one-time codes?|codes|logins?|account numbers?|" \
          r"card numbers?|secrets?|recovery phrases?|seed phrases?)"
EXFILTRATE = re.compile(
    rf"\b(?:send|forward|upload|read out|reveal|disclose|leak|hand over)\b[^.]{{0,60}}\b{_SECRET}\b"
    rf"|\b{_SECRET}\b[^.]{{0,60}}\b(?:to|at)\s+\S+@\S+",
    _FLAGS,
)
OVERRIDE = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous|prior|earlier|above|other|"
    r"system)\s+(?:instructions|notes|memories|rules|prompts?)\b",
    _FLAGS,
)
ADDRESS = re.compile(r"\S+@\S+\.\w+|https?://\S+|\b[\w-]+\.(?:example|com|net|org|io|xyz|info|biz|app|co)\b", _FLAGS)


def instruction_reason(text: str) -> str:
    """Why the text reads as an instruction to the assistant, or "" when it does not."""
    if OVERRIDE.search(text):
        return "tells the assistant to ignore its instructions"
    if EXFILTRATE.search(text):
        return "asks for secrets to be sent or read out"
    trigger = TRIGGER.search(text)
    relay = RELAY.search(text)
    if DIRECTED.search(text) or (ADDRESSED.search(text) and (IMPERATIVE.search(text) or trigger or relay)):
        return "speaks to the assistant and tells it what to do"
    if trigger and (relay or ADDRESS.search(text) or IMPERATIVE.search(text[trigger.end():])):
        return "sets a trigger: when something is asked, the assistant should say or do something"
    return ""
