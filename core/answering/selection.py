"""Which memories may go into an answer's prompt, and in what order.

- Evidence is what the user (or an imported conversation) said and the facts drawn from it. The
  assistant's own answers and the questions the user asked in the chat are conversation
  history: never evidence (A-MemGuard's self-reinforcing error loop, closed at the source).
  Only a question about what the assistant itself said ("What painters did you recommend?")
  brings its earlier words back, as history placed after everything the user said.
- One hit per statement (a fact and its episode say the same words).
- A statement the user has since replaced brings the newer one, which goes before it.
- Original memories before summaries, and never both: a summary takes only a slot no original
  memory wants, and a day summary made from a memory already chosen takes none.
- In the prompt, facts first, then the user's own words, then the rest, then summaries."""
from __future__ import annotations

import re
from dataclasses import replace

from ..days import day_of, short_day
from ..memory.records import USER_SOURCES, Kind, Memory, Source
from ..recall.retrieval import Hit, distinct

# Kinds that never go among the notes: lessons are consulted separately, and the portrait and
# the global summary already open the prompt.
PROMPT_PREFIX_KINDS = frozenset({Kind.LESSON, Kind.PORTRAIT, Kind.GLOBAL_SUMMARY})
SUMMARY_KINDS = frozenset({Kind.DAY_SUMMARY, Kind.GLOBAL_SUMMARY})
ABOUT_ASSISTANT = re.compile(
    r"\byou(?:'ve| have| had| did)? (?:\w+ )?(?:recommend|suggest|advis|told|tell|said|say|mention|propos|gave|give|"
    r"share|list|name|answer|repl|promis|explain)\w*|\byour (?:advice|recommendation|suggestion|answer|reply|tip)",
    re.IGNORECASE)


def about_assistant(question: str) -> bool:
    """The question asks what the assistant said earlier (its words are then the record)."""
    return bool(ABOUT_ASSISTANT.search(question))


def _assistant_words(memory: Memory) -> bool:
    return memory.role == "assistant" or memory.source == Source.ASSISTANT


def is_evidence(memory: Memory, assistant_history: bool = False) -> bool:
    if memory.kind in PROMPT_PREFIX_KINDS:
        return False
    if _assistant_words(memory):
        return assistant_history  # what the assistant said is not what the user told it
    return not (memory.source == Source.CHAT and memory.kind == Kind.TURN and memory.text.rstrip().endswith("?"))


def candidates(hits: list[Hit], cued: list[Hit], limit: int, question: str = "") -> list[Hit]:
    """The memories the guard compares: relevant evidence, one per statement, strongest first;
    forgotten ones a strong cue brought back take part with them. The assistant's earlier
    words take part only when the question asks about them, and after the user's own."""
    seen = {h.memory.id for h in hits}
    history = about_assistant(question)
    merged = sorted(hits + [c for c in cued if c.memory.id not in seen], key=lambda h: -h.score)
    chosen = distinct([h for h in merged if h.relevant and is_evidence(h.memory, history)])
    if history:
        said = [h for h in chosen if not _assistant_words(h.memory)]
        chosen = said[:2] + [h for h in chosen if _assistant_words(h.memory)] + said[2:]  # room for what it said
    return chosen[:limit]


def with_newer(chosen: list[Hit], newer: dict[str, Memory]) -> list[Hit]:
    """A memory stating what the user has since replaced ("I work at Northwind", before "I accepted
    the offer from Copperleaf") brings the statement that replaced it, placed just before it,
    and is marked superseded."""
    if not newer:
        return chosen
    out: list[Hit] = []
    present = {h.memory.id for h in chosen}
    placed: set[str] = set()
    for hit in chosen:
        if hit.memory.id in placed:
            continue  # moved up already, before what it replaced
        new = newer.get(hit.memory.id)
        if new is not None and new.id not in present:
            said = f"replaces what was said on {short_day(day_of(hit.memory.when))}"
            # the statement itself when it is among the hits (one hit per statement), else its fact
            episode = next((h for h in chosen if h.memory.id in new.links and h.memory.id not in newer), None)
            if episode is not None:
                closest = max(episode.dense_score or 0.0, hit.dense_score or 0.0)  # as close as what it replaces
                out.append(replace(episode, replaces=said, dense_score=closest))
                placed.add(episode.memory.id)
            else:
                out.append(replace(hit, memory=new, cued=False, recalled="", superseded=False, replaces=said))
            present.add(new.id)
        out.append(replace(hit, superseded=True) if new is not None else hit)
        placed.add(hit.memory.id)
    return out


def for_prompt(kept: list[Hit], slots: int) -> list[Hit]:
    """The prompt's memories: the best `slots` of the original memories, then summaries (none
    of a memory already there) in the slots left, arranged facts first, the user's words next,
    summaries last. (Summaries last measured better on eval_lifetime's fit half: see
    docs/results.md.)"""
    chosen_ids = {h.memory.id for h in kept if h.memory.kind not in SUMMARY_KINDS}
    originals = [h for h in kept if h.memory.kind not in SUMMARY_KINDS]
    summaries = [h for h in kept if h.memory.kind in SUMMARY_KINDS and not chosen_ids & set(h.memory.links)]
    best = (originals + summaries)[:slots]  # a summary only fills a slot no original memory wants
    return sorted(best, key=_place)


def _place(hit: Hit) -> int:
    memory = hit.memory
    if memory.kind == Kind.FACT:
        return 0
    if memory.kind in SUMMARY_KINDS:
        return 4
    if _assistant_words(memory):
        return 3
    return 1 if memory.source in USER_SOURCES else 2
