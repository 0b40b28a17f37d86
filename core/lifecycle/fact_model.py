"""Facts found by the answering model, when it is capable (1B weights and up, as for summaries):
it reads one episode and lists the lasting facts it states, one per line as
"subject | attribute | value". The patterns (fact_patterns.py) still run first; the model adds
what they cannot see ("Started at the Northwind studio this week, still can't believe it").

Nothing the model writes is trusted as is: a value must be words of the episode itself
(grounded), the subject is the speaker or someone the episode names, the attribute is short.
What does not pass is dropped, so a model that improvises adds nothing rather than something
false. The bundled 135M model is never asked (Summaries.capable decides)."""
from __future__ import annotations

import logging
import re
from typing import Callable

from .fact_patterns import Found, _subject

log = logging.getLogger(__name__)

INSTRUCTION = (
    "You extract lasting facts about a person's life from one message they wrote. Facts are names of "
    "people and pets, where someone lives or works, job, health, allergies, medication and doses, "
    "birthdays, codes, phone numbers, favourites, plans and appointments. Ignore greetings, feelings "
    "of the moment and questions. Write one fact per line as: subject | attribute | value. The subject "
    "is I for the writer, or the person named (my sister, Anna). Use attributes such as name, lives in, "
    "works at, works as, allergic to, birthday, favourite food, phone, plans. The value must be copied "
    "word for word from the message. If the message states no lasting fact, write NONE.")
EXAMPLE = ("My sister Anna moved to Porto last spring and I finally start at Northwind on Monday!",
           "my sister | name | Anna\nmy sister | lives in | Porto\nI | works at | Northwind")
MAX_ATTRIBUTE_WORDS = 4
MAX_VALUE_CHARS = 60
MAX_FACTS = 6


def _clean(text: str) -> str:
    return " ".join(text.strip().strip("\"'`*-•").split())


def parse(reply: str, message: str, speaker: str = "") -> list[Found]:
    """The grounded facts of a model's reply about `message`; anything else is dropped."""
    out: list[Found] = []
    lowered = message.casefold()
    for line in reply.splitlines():
        parts = [_clean(p) for p in line.split("|")]
        if len(parts) != 3 or not all(parts):
            continue
        who, attribute, value = parts
        value = value.rstrip(".!?,;")
        attribute = attribute.casefold()
        if (len(attribute.split()) > MAX_ATTRIBUTE_WORDS or not re.fullmatch(r"[a-z][a-z ']*", attribute)
                or len(value) > MAX_VALUE_CHARS or len(value) < 2):
            continue
        start = lowered.find(value.casefold())
        if start < 0:
            continue  # not the message's own words: invented
        subject = _subject(who, speaker)
        if subject not in ("user", speaker.lower()) and who.casefold().replace("my ", "", 1) not in lowered:
            continue  # a subject the message does not name
        found = Found(subject, attribute, message[start:start + len(value)], start, start + len(value),
                      many=attribute.startswith("allergic"))
        if all(f.key != found.key for f in out):
            out.append(found)
    return out[:MAX_FACTS]


class ModelFactFinder:
    """`generate(messages, max_tokens) -> text` is the capable model (see Mnemo._fact_finder)."""

    def __init__(self, generate: Callable[[list[dict], int], str]):
        self.generate = generate

    def find(self, message: str, speaker: str = "") -> list[Found]:
        messages = [{"role": "system", "content": INSTRUCTION},
                    {"role": "user", "content": EXAMPLE[0]}, {"role": "assistant", "content": EXAMPLE[1]},
                    {"role": "user", "content": " ".join(message.split())[:1200]}]
        try:
            reply = self.generate(messages, 96)
        except Exception as exc:  # a broken model file, a context overflow: the patterns stand alone
            log.warning("the model could not read facts from a memory (%s)", exc)
            return []
        return parse(reply, " ".join(message.split()), speaker)


__all__ = ["ModelFactFinder", "parse"]
