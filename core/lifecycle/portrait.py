"""The user portrait (MemoryBank's "user portrait"): preferences, people, routines,
personality and how the user likes to be answered, drawn from what the USER said (their chat
turns and notes; never the assistant's words).

Extraction is structural: first-person statements matched by pattern ("I love ...", "my sister
...", "every morning ...", "please keep it short"), deduplicated, newest first. A capable
local model may rewrite the same evidence (see Summaries.capable); the default small one is
not asked.

The portrait is text the user can edit. An edit is kept as corrections at the level of
items ("Likes: hiking" removed, "Likes: chess" added) in the store's meta table, and every
regeneration applies them again, so corrections survive."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ..clock import Clock
from ..days import day_of, short_day
from ..memory.records import USER_SOURCES, Kind, Memory, Source, State, base_source
from ..memory.store import MemoryStore
from ..recall.embedder import Embedder
from ..recall.retrieval import index_text
from .extractive import clip, split_sentences
from .summaries import IGNORED_STATES, fingerprint, ignored, summary_id

CORRECTIONS = "portrait_corrections"
CATEGORIES = ("Name", "Likes", "Dislikes", "People", "Routines", "Personality", "How to answer")
PER_CATEGORY = {"Name": 1, "Likes": 12, "Dislikes": 4, "People": 6, "Routines": 4, "Personality": 3,
                "How to answer": 3}
_END = r"(?P<what>[^.!?;]{2,90})"
_ADVERBS = r"(?:really|also|always|just|truly|quite|especially|very much|still|now|particularly|absolutely|do|recently)"
PATTERNS: dict[str, list[re.Pattern]] = {
    "Name": [re.compile(r"\b(?i:my name is) (?P<what>[A-Z][\w'-]+(?: [A-Z][\w'-]+)?)"),
             re.compile(r"\b(?i:call me) (?P<what>[A-Z][\w'-]+)")],
    "Likes": [
        re.compile(r"\bI(?:'ve| have)?(?! (?:don't|do not|never|didn't|can't|cannot))(?: " + _ADVERBS + r")* "
                   r"(?:like|liked|love|loved|enjoy|enjoyed|adore|prefer|practi[cs]e) (?:to )?" + _END, re.I),
        re.compile(r"\bI(?:'m| am|'ve| have)? (?:become |grown |been |getting )?(?:really |very |also |quite |"
                   r"more and more |increasingly )*(?:into|passionate about|interested in|"
                   r"fond of|a (?:big |huge )?fan of|keen on) " + _END, re.I),
        re.compile(r"\bI(?:'ve| have)?(?: " + _ADVERBS + r")* (?:(?:started|began|been) (?:learning|to learn|"
                   r"studying|practi[cs]ing|playing|taking up)|learned|learnt) (?:how to |some )?" + _END, re.I),
        re.compile(r"\bmy (?:favou?rite (?:hobby|hobbies|pastime|activity|activities)|hobby|hobbies|passion)"
                   r" (?:is|are|include|includes) " + _END, re.I),
        re.compile(r"\bmy favou?rite (?P<what>\w+(?: \w+)? (?:is|are) [^.!?;]{2,60})", re.I),
        re.compile(r"\b(?:in|spend(?:ing)? (?:a lot of |most of |much of )?) ?my (?:free|spare) time,? (?:I )?" + _END,
                   re.I),
    ],
    "Dislikes": [re.compile(r"\bI (?:really )?(?:(?:don't|do not|never) (?:like|enjoy|love)|can't stand|hate|"
                            r"dislike) (?:to )?" + _END, re.I)],
    "People": [re.compile(r"\b(?P<what>my (?:little |older |younger |big |best )?(?:sister|brother|mother|mom|"
                          r"mum|father|dad|wife|husband|partner|girlfriend|boyfriend|son|daughter|kids?|"
                          r"children|friend|friends|boss|colleague|coworker|roommate|grandma|grandmother|"
                          r"grandpa|grandfather|aunt|uncle|cousin|neighbou?r|dog|cat|teacher)\b[^.!?;]{0,80})",
                          re.I)],
    "Routines": [re.compile(r"(?P<what>[^.!?;]{0,60}\b(?:every (?:day|morning|evening|night|week|weekend|"
                            r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)|each (?:morning|day|"
                            r"week)|usually|on weekends)\b[^.!?;]{0,60})", re.I)],
    "Personality": [re.compile(r"\bI(?:'m| am) (?:a |an )?(?:quite |very |pretty |rather |really )?"
                               r"(?P<what>(?:\w+ )?(?:person|introvert|extrovert|perfectionist|"
                               r"optimist|pessimist)|shy|outgoing|introverted|extroverted|curious|"
                               r"adventurous|creative|organi[sz]ed|ambitious|calm|anxious)\b", re.I),
                    re.compile(r"\bI consider myself (?P<what>[^.!?;]{2,60})", re.I)],
    "How to answer": [re.compile(r"(?P<what>(?:please |can you |could you )?(?:answer|reply|respond|keep "
                                 r"(?:it|your answers|answers)|be) (?:\w+ ){0,3}(?:short|brief|concise|"
                                 r"detailed|in detail|formal|casual|simple)\b[^.!?;]{0,40})", re.I)],
}


@dataclass
class Corrections:
    added: list[tuple[str, str]] = field(default_factory=list)  # (category, item)
    removed: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps({"added": self.added, "removed": self.removed})

    @classmethod
    def from_json(cls, text: str | None) -> "Corrections":
        if not text:
            return cls()
        raw = json.loads(text)
        return cls([tuple(x) for x in raw.get("added", [])], [tuple(x) for x in raw.get("removed", [])])


def user_authored(m: Memory) -> bool:
    if m.kind not in (Kind.TURN, Kind.NOTE) or ignored(m):
        return False
    if m.kind == Kind.TURN:
        return m.role == "user"
    return m.source in USER_SOURCES or base_source(m.source) in ("import", "clipboard")


def extract(memories: list[Memory]) -> dict[str, list[str]]:
    """category -> items, newest statement first, without repeats."""
    found: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    seen: set[tuple[str, str]] = set()
    for m in sorted(memories, key=lambda m: m.when, reverse=True):
        for sentence in split_sentences(m.text, min_words=2) or [m.text]:
            for category, patterns in PATTERNS.items():
                for pattern in patterns:
                    match = pattern.search(sentence)
                    if not match:
                        continue
                    item = match.group("what")
                    cut = match.end("what")
                    if cut < len(sentence) and sentence[cut] not in ".!?;" and " " in item:
                        item = item.rsplit(" ", 1)[0] + "…"  # stopped by the length limit mid-word
                    item = _tidy(item)
                    key = (category, item.casefold())
                    if item and key not in seen and len(found[category]) < PER_CATEGORY[category]:
                        seen.add(key)
                        found[category].append(item)
                    break
    return found


def _tidy(text: str) -> str:
    text = re.split(r",?\s+(?:but|although|though|however)\b", " ".join(text.split()))[0]
    text = text.strip(" ,:-\"'")
    text = re.sub(r"\s+(?:and|but|so|because)$", "", text)
    if _VAGUE.match(text):  # "I like that feeling", "things I enjoy doing": no object worth keeping
        return ""
    return clip(text, 100)


_VAGUE = re.compile(r"(that|it|this|those|these|them|you|your|the (idea|feeling))\b|doing( (it|that|this|so))?$", re.I)


NOTES = "Notes from the user"
SHOWN = CATEGORIES + (NOTES,)


def render(items: dict[str, list[str]]) -> str:
    return "\n".join(f"{c}: {'; '.join(items[c])}" for c in SHOWN if items.get(c))


def parse(text: str) -> dict[str, list[str]]:
    """Portrait text (as the user edited it) -> category -> items. Lines without a known
    category become 'Notes from the user'."""
    items: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("Portrait"):
            continue
        head, sep, rest = line.partition(":")
        known = {c.casefold(): c for c in SHOWN}
        category = known.get(head.strip().casefold()) if sep else None
        if category is None:
            category, rest = NOTES, line
        for item in rest.split(";"):
            if item.strip():
                items.setdefault(category, []).append(item.strip())
    return items


def _keyed(items: dict[str, list[str]]) -> dict[tuple[str, str], tuple[str, str]]:
    return {(c, i.casefold()): (c, i) for c, values in items.items() for i in values}


def apply(items: dict[str, list[str]], corrections: Corrections) -> dict[str, list[str]]:
    removed = {(c, i.casefold()) for c, i in corrections.removed}
    out = {c: [i for i in values if (c, i.casefold()) not in removed] for c, values in items.items()}
    for c, i in corrections.added:
        values = out.setdefault(c, [])
        if i.casefold() not in {v.casefold() for v in values}:
            values.append(i)
    return out


class Portrait:
    def __init__(self, store: MemoryStore, embedder: Embedder, clock: Clock):
        self.store = store
        self.embedder = embedder
        self.clock = clock
        self.key = summary_id("portrait")

    def current(self) -> Memory | None:
        found = self.store.find(self.key)
        return found if found is not None and found.state not in IGNORED_STATES else None

    def corrections(self) -> Corrections:
        return Corrections.from_json(self.store.meta(CORRECTIONS))

    def _evidence(self) -> list[Memory]:
        return [m for m in self.store.all() if user_authored(m)]

    def pending(self) -> bool:
        evidence = self._evidence()
        existing = self.store.find(self.key)
        if not evidence:
            return self.current() is not None and not self.corrections().added
        return existing is None or existing.content_hash != self._digest(evidence)

    def _digest(self, evidence: list[Memory]) -> str:
        return fingerprint(evidence, "portrait:" + self.corrections().to_json())

    def refresh(self) -> Memory | None:
        """(Re)write the portrait from the evidence, with the user's corrections applied.
        Unchanged evidence and corrections write nothing. With no evidence left (all of it
        deleted) and no corrections, the portrait is deleted too."""
        evidence = self._evidence()
        if not evidence and not self.corrections().added:
            current = self.current()
            if current is not None:
                self.store.set_state([current.id], State.DELETED, actor="portrait",
                                     reason="nothing the user said is left to draw it from")
            return None
        digest = self._digest(evidence)
        existing = self.store.find(self.key)
        if existing is not None and existing.content_hash == digest:
            return existing
        items = apply(extract(evidence), self.corrections())
        days = sorted(day_of(m.when) for m in evidence) or [day_of(self.clock.now().timestamp())]
        span = short_day(days[0]) if days[0] == days[-1] else f"{short_day(days[0])} to {short_day(days[-1])}"
        body = render(items) or "Nothing about the user yet."
        text = f"Portrait of the user, from what they said {span}:\n{body}"
        now = self.clock.now().timestamp()
        memory = Memory(id=self.key, text=text, kind=str(Kind.PORTRAIT), source=str(Source.MNEMO), created_at=now,
                        event_at=now, importance=1.0, strength=1.0, state=str(State.ACTIVE), content_hash=digest,
                        links=tuple(m.id for m in evidence)[-500:])
        vector = self.embedder.embed([index_text(memory)])[0]
        return self.store.upsert(memory.with_changes(vector=vector), actor="portrait", reason="portrait refreshed")

    def correct(self, edited_text: str, base_text: str | None = None) -> Memory | None:
        """The user edited the portrait they were shown (`base_text`, default: the current
        one): the difference joins the corrections kept so far, and the portrait is rewritten."""
        if base_text is None:
            current = self.current()
            base_text = current.text if current is not None else ""
        before = _keyed(parse(base_text))
        after = _keyed(parse(edited_text))
        corrections = self.corrections()
        added = {(c, i.casefold()): (c, i) for c, i in corrections.added}
        removed = {(c, i.casefold()): (c, i) for c, i in corrections.removed}
        for key in after.keys() - before.keys():  # typed in
            if removed.pop(key, None) is None:
                added[key] = after[key]
        for key in before.keys() - after.keys():  # taken out
            if added.pop(key, None) is None:
                removed[key] = before[key]
        self.store.set_meta(CORRECTIONS, Corrections(list(added.values()), list(removed.values())).to_json())
        return self.refresh()

    def prompt_text(self) -> str:
        """The part of the portrait that opens every prompt (short: the small model is easily distracted)."""
        current = self.current()
        if current is None:
            return ""
        items = parse(current.text.split("\n", 1)[1] if "\n" in current.text else "")
        keep = ("Name", "Likes", "People", "How to answer", NOTES)
        return ". ".join(f"{c}: {', '.join(items[c][:4])}" for c in keep if items.get(c))
