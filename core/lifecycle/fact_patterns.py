"""Statements of fact in what people write, found by pattern (no model needed, so it works with
the bundled 135M one): names, where someone lives, work, allergies, doses, codes, birthdays,
favourites, phone numbers, appointments. Each gives a subject and an attribute (the fact's
key: the same key is the same fact) and a value (a newer value for the same key supersedes)."""
from __future__ import annotations

import re
from dataclasses import dataclass

_F = re.IGNORECASE
_NAME = r"(?-i:[A-Z][\w'-]+(?: [A-Z][\w'-]+)?)"
_PLACE = r"(?-i:[A-Z][\w'.-]+(?:,? (?:[A-Z][\w'.-]+|de|do|da|del|on|upon|am))*)"
_REL = (r"(?:sister|brother|mother|mom|mum|father|dad|wife|husband|partner|girlfriend|boyfriend|son|daughter|"
        r"friend|best friend|boss|manager|colleague|coworker|roommate|flatmate|grandma|grandmother|grandpa|"
        r"grandfather|aunt|uncle|cousin|neighbou?r|dentist|doctor|gp|therapist|vet|plumber|electrician|"
        r"landlord|landlady|teacher|trainer|accountant|lawyer|dog|cat|puppy|kitten|horse|rabbit|parrot|"
        r"hamster|fish|tortoise|niece|nephew|fiancée?|husband-to-be|babysitter|cleaner|mechanic|hairdresser)")
_WHO = rf"(?:I|my (?:{_REL})(?: {_NAME})?|our (?:{_REL})(?: {_NAME})?|(?-i:[A-Z][a-z]+))"


@dataclass(frozen=True)
class Found:
    subject: str  # "user", "sister", "anna", "plumber"
    attribute: str  # "name", "lives in", "works at", "dose of ramipril"...
    value: str  # as written ("Lisbon", "10 mg")
    start: int
    end: int
    many: bool = False  # the attribute can hold several values at once (allergies): no superseding

    @property
    def key(self) -> str:
        return f"{self.subject}|{self.attribute}"


def _subject(who: str, speaker: str = "") -> str:
    """"I" is the user (or the speaker who said it); "my sister Anna" is the sister."""
    who = who.strip()
    if who.lower() in ("i", "i'm", "i am", "me", "my"):
        return speaker.lower() if speaker else "user"
    words = who.split()
    if words and words[0].lower() in ("my", "our", "the"):
        relation = re.match(_REL, " ".join(words[1:]), _F)
        if relation:
            return ("" if not speaker else speaker.lower() + "'s ") + relation.group(0).lower()
    return who.lower()


PATTERNS: list[tuple[re.Pattern, str, bool]] = [
    # "the plumber's name is Kowalski", "my manager is called Priya Shah", "our cat is named Miso"
    (re.compile(rf"\b(?P<who>(?:my|our|the) (?:{_REL}))(?:'s name is| is called| is named| goes by) (?P<val>{_NAME})",
                _F), "name", False),
    # "We adopted a cat named Miso", "a dog called Biscuit"
    (re.compile(rf"\b(?:a|our|my|new) (?P<who>{_REL}) (?:named|called) (?P<val>{_NAME})", _F), "name", False),
    # "Priya is my manager"
    (re.compile(rf"(?P<val>(?-i:\b[A-Z][a-z]+)) is (?P<who>(?:my|our) (?:{_REL}))\b", _F), "name", False),
    # "my sister Anna lives in Lisbon", "I moved to Bristol", "Tom has moved to Berlin"
    (re.compile(rf"\b(?P<who>{_WHO}) (?:still )?(?:live|lives|living|moved|has moved|have moved|am moving|is moving|"
                rf"relocated|settled)(?: back)? (?:in|to) (?P<val>{_PLACE})", _F), "lives in", False),
    # "I work at Lumen", "accepted the offer from Northwind Studio", "I started at the bank"
    (re.compile(rf"\b(?P<who>I|(?-i:[A-Z][a-z]+)) (?:now )?(?:work|works|am working|started working|started|"
                rf"have started|will start|joined|am joining) (?:at|for|with) (?P<val>{_PLACE})", _F), "works at", False),
    (re.compile(rf"(?:\b(?P<who>I) (?:have |just )?|^(?:just )?|(?<=[.!?] ))accepted (?:the|an|a|their) (?:job )?"
                rf"offer (?:from|at) (?P<val>{_PLACE})", _F), "works at", False),
    (re.compile(rf"\b(?P<who>I)(?: am|'m) (?:a|an) (?P<val>[a-z]+(?: [a-z]+)?) (?:at|for) (?-i:[A-Z])", _F),
     "works as", False),
    # "I'm allergic to penicillin" (several allergies are all true: no superseding)
    (re.compile(rf"\b(?P<who>I(?:'m| am)|(?-i:[A-Z][a-z]+) is|my (?:{_REL}) is) (?:very |severely |mildly )?allergic "
                r"to (?P<val>[a-z][\w -]{1,30}?)(?=[.,;!]|$| and | but )", _F), "allergic to", True),
    # "I take 10 mg of ramipril", "set Pixel's insulin to 2 units"
    (re.compile(r"\b(?P<who>I|(?-i:[A-Z][a-z]+)) (?:take|takes|am taking|am on) (?P<val>\d+(?:[.,]\d+)? ?"
                r"(?:mg|mcg|µg|g|ml|units?|tablets?|pills?)) (?:of )?(?P<what>[a-z][\w-]+)", _F), "dose", False),
    (re.compile(r"\b(?:set|changed|increased|reduced|lowered|raised) (?P<who>(?-i:[A-Z][a-z]+))'s (?P<what>[a-z][\w-]+) "
                r"(?:dose )?to (?P<val>\d+(?:[.,]\d+)? ?(?:mg|mcg|µg|g|ml|units?|tablets?))", _F), "dose", False),
    # "the garage code is 4417", "my wifi password is sunflower42"
    (re.compile(r"\b(?:the|my|our) (?P<what>[a-z]+(?: [a-z]+)?) (?P<kind>code|pin|password|passcode|combination|"
                r"number) is (?P<val>[\w#*+-]*\d[\w#*+-]*)", _F), "code", False),
    # "Tom's birthday is on 12 June"
    (re.compile(rf"\b(?P<who>(?-i:[A-Z][a-z]+)|my (?:{_REL})|our (?:{_REL}))'s birthday is (?:on )?"
                r"(?P<val>[^.,;!?]{3,30})", _F), "birthday", False),
    (re.compile(r"\bmy birthday is (?:on )?(?P<val>[^.,;!?]{3,30})", _F), "birthday", False),
    # "my favourite band is Radiohead"
    (re.compile(r"\bmy favou?rite (?P<what>[a-z]+(?: [a-z]+)?) is (?P<val>[^.,;!?]{2,40})", _F), "favourite", False),
    # "my phone number is 0161 555 0100", "Anna's mobile is +351 912 345 678"
    (re.compile(rf"\b(?P<who>my|(?-i:[A-Z][a-z]+)'s|my (?:{_REL})'s) (?:phone|mobile|cell)(?: number)? is "
                r"(?P<val>\+?\d[\d ()-]{5,}\d)", _F), "phone", False),
]


def find(sentence: str, speaker: str = "") -> list[Found]:
    """The facts one sentence states."""
    out = []
    for pattern, attribute, many in PATTERNS:
        for match in pattern.finditer(sentence):
            groups = match.groupdict()
            value = groups["val"].strip().rstrip(".")
            who = groups.get("who") or "my"
            if attribute == "code":
                attr = f"{groups['what'].lower()} {groups['kind'].lower()}"
                subject = "user" if not speaker else speaker.lower()
            elif attribute == "dose":
                attr, subject = f"dose of {groups['what'].lower()}", _subject(who, speaker)
            elif attribute == "favourite":
                attr, subject = f"favourite {groups['what'].lower()}", _subject("my", speaker)
            else:
                attr, subject = attribute, _subject(who.replace("'s", ""), speaker)
            if attribute == "allergic to":
                attr = f"allergic to {value.lower()}"
            out.append(Found(subject, attr, value, match.start(), match.end(), many))
    return out
