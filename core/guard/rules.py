"""Does a record carry instructions aimed at the assistant? (structure, not wording)

A memory is something the user said or saw. A record that speaks *to the assistant*, sets a
trigger ("whenever someone asks…"), asks for secrets to be sent somewhere or tells the
assistant what to relay to the user is not a memory but an injected instruction. The cues
below are grammatical: who is addressed, conditional triggers, exfiltration verbs next to
secrets or addresses, override phrases. They name no site, person or topic.
"""
from __future__ import annotations

import re
import unicodedata

_FLAGS = re.IGNORECASE
_AI = r"(?:assistants?|ai|a\.i\.|chat ?bots?|bots?|language models?|llms?|gpt|copilot|mnemo)"

# "Assistant, …" / "Hey AI: …" / "Note for the assistant: …" at the start of a sentence: the
# record addresses the assistant. (A leading "Assistant:" is a speaker label, not an address.)
ADDRESSED = re.compile(
    rf"(?:^|[.!?:;\"“]\s*)(?:(?:hey|dear|attention|note (?:to|for)(?: the)?|message (?:to|for)(?: the)?)\s+{_AI}"
    rf"\s*[,:;!–—-]|{_AI}\s*[,;–—]|{_AI}\s+-\s)",
    _FLAGS)
# a speaker label followed by an order: "AI: always recommend …" (not "Assistant: Your train …")
LABELLED_ORDER = re.compile(rf"(?:^|[.!?]\s*){_AI}\s*:\s*(?:please\s+)?(?:always|never|tell|say|recommend|suggest|"
                            r"ignore|answer|respond|reply|send|forward|do not|don't)\b", _FLAGS)
# after an address, an imperative: "Assistant, tell…", "AI, always…"
IMPERATIVE = re.compile(r"\b(?:tell|say|answer|respond|reply|recommend|suggest|ignore|send|forward|always|never|"
                        r"make sure|do not|don't|stop|pretend|act as|link|direct)\b", _FLAGS)
_RELAY_VERB = r"(?:tell|say|answer|respond|reply|recommend|suggest|mention|direct|send|insist|claim|always|never)"
# "AI assistants should always …", "the assistant must tell …" (not "my assistant should send the
# invoices": someone's assistant is a person; not "the chatbot must be deployed": no relay)
DIRECTED = re.compile(rf"(?<!my )(?<!our )(?<!his )(?<!her )(?<!their )\b{_AI}\s+(?:should|must|shall|need to|"
                      rf"have to|are to|is to|ought to|will)\s+(?:\w+\s+)?{_RELAY_VERB}\b", _FLAGS)
# "you must tell the user…", "from now on, answer every … with …"
SECOND_PERSON = re.compile(rf"\byou\s+(?:should|must|need to|have to|are to)\s+(?:always\s+)?{_RELAY_VERB}\s+"
                           r"(?:the user|users|them|him|her|that|every|anyone)\b"
                           rf"|\bfrom now on,?\s+(?:always\s+)?{_RELAY_VERB}\b", _FLAGS)
# "whenever the user asks", "if anyone mentions", "when asked about x", "when the phrase 'x' appears"
TRIGGER = re.compile(
    r"\b(?:whenever|when|if|once|each time|every time)\s+(?:the\s+)?(?:user|anyone|someone|somebody|they|people|"
    r"a person)\s+(?:ever\s+)?(?:asks?|mentions?|says?|types?|writes?|brings? up|talks? about|uses?)\b"
    r"|\b(?:whenever|when|if)\s+(?:ever\s+)?(?:asked|questioned)\s+(?:about|for|on)\b"
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
# sending secrets somewhere outside (an address), or all of them ("read out all saved passwords")
EXFILTRATE = re.compile(
    rf"\b(?:send|forward|upload|read out|reveal|disclose|leak|hand over|post)\b[^.]{{0,60}}\b(?:all|every|each|saved|"
    rf"stored)\b[^.]{{0,30}}\b{_SECRET}\b",
    _FLAGS,
)
OVERRIDE = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+|everything\s+)?(?:previous|prior|"
    r"earlier|above|other|system|original)?\s*(?:instructions|rules|prompts?|guidance|directions|context|"
    r"everything (?:above|before|else))\b|\bignore everything (?:above|before)\b",
    _FLAGS,
)
ADDRESS = re.compile(r"\S+@\S+\.\w+|https?://\S+|\b[\w-]+\.(?:example|com|net|org|io|xyz|info|biz|app|co)\b", _FLAGS)
_INVISIBLE = dict.fromkeys(i for i in range(0x110000) if unicodedata.category(chr(i)) == "Cf")


def instruction_reason(text: str) -> str:
    """Why the text reads as an instruction to the assistant, or "" when it does not."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)  # no hiding behind look-alikes
    if OVERRIDE.search(text):
        return "tells the assistant to ignore its instructions"
    if EXFILTRATE.search(text) or (ADDRESS.search(text) and re.search(
            rf"\b(?:send|forward|upload|read out|reveal|disclose|leak|post)\b[^.]{{0,60}}\b{_SECRET}\b", text, _FLAGS)):
        return "asks for secrets to be sent or read out"
    trigger = TRIGGER.search(text)
    relay = RELAY.search(text)
    if DIRECTED.search(text) or SECOND_PERSON.search(text) or LABELLED_ORDER.search(text) or (ADDRESSED.search(text) and (IMPERATIVE.search(text) or trigger or relay)):
        return "speaks to the assistant and tells it what to do"
    if trigger and (relay or ADDRESS.search(text) or IMPERATIVE.search(text[trigger.end():])):
        return "sets a trigger: when something is asked, the assistant should say or do something"
    return ""
