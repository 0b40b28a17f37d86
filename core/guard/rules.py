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
from functools import lru_cache

from .rules_languages import foreign_instruction

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
# A chat template's control tokens: a record holding them tries to write a turn of its own.
CONTROL_TOKENS = re.compile(
    r"<\|(?:im_start|im_end|system|user|assistant|eot_id|start_header_id|end_header_id|begin_of_text|end_of_text|"
    r"endoftext|eom_id|end)\|>|\[/?INST\]|<</?SYS>>|</?s>|<start_of_turn>|<end_of_turn>", _FLAGS)
# "SYSTEM NOTICE: …", "[SYSTEM] …", "### System:", "Developer message: …", "System prompt: …" (not "System
# requirements:" or "SYSTEM MAINTENANCE:": those are about a computer, not to the assistant)
SYSTEM_HEADER = re.compile(
    r"(?:^|[\n.!?]\s*)(?:\[\s*(?:system|sys|developer|admin)\s*\]|#{1,6}\s*(?:system|developer|instructions?)\b"
    r"|(?:system|developer|admin(?:istrator)?|operator)\s+(?:notice|message|prompt|instructions?|override|directive|note)"
    r"\s*[:\-–—]|(?:system|developer)\s*:\s*(?:you|the assistant|always|never|answer|respond|from now on))", _FLAGS)
# "The user is to be told …", "Anyone asking about X must be told …": an order with no one addressed
PASSIVE = re.compile(
    r"\b(?:the user|users|anyone|anybody|everyone|whoever|people|they)\b[^.!?]{0,50}?\b(?:(?:is|are)\s+to\s+be|"
    r"(?:must|should|shall|will|has to|have to|needs? to)\s+be)\s+(?:told|informed|reminded|advised|answered|shown)\b"
    r"|\bit\s+(?:must|should|is to)\s+be\s+(?:said|stated|answered)\s+(?:to|that)\b", _FLAGS)
_INVISIBLE = dict.fromkeys(i for i in range(0x110000) if unicodedata.category(chr(i)) == "Cf")


@lru_cache(maxsize=1)
def _look_alikes() -> dict[int, str]:
    """Letters that look like Latin ones (Cyrillic "а", Greek "ο"...) -> the Latin letter, from
    Unicode's confusables data (the confusable_homoglyphs package)."""
    from confusable_homoglyphs.confusables import confusables_data

    table = {}
    for char, entries in confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        for entry in entries:
            latin = entry.get("c", "")
            if len(latin) == 1 and latin.isascii() and latin.isalnum():
                table[ord(char)] = latin
                break
    return table


def screening_text(text: str) -> tuple[str, str]:
    """(NFKC text without invisible characters, the same with look-alike letters made Latin)."""
    plain = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return plain, plain.translate(_look_alikes())


def instruction_reason(text: str) -> str:
    """Why the text reads as an instruction to the assistant, or "" when it does not."""
    plain, text = screening_text(text)  # no hiding behind look-alikes or invisible characters
    if CONTROL_TOKENS.search(plain):
        return "carries a chat model's control tokens (it tries to write a turn of its own)"
    if SYSTEM_HEADER.search(text):
        return "presents itself as a system or developer message to the assistant"
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
    if PASSIVE.search(text):
        return "says what the user is to be told (an order to the assistant)"
    return foreign_instruction(plain)
