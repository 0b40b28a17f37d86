"""Consensus validation at answer time (A-MemGuard), two ways to read the paths.

For the memories retrieved for one question, each memory's path is compared with the
others'. A record that did not come from the user (clipboard, import, the assistant's own
words) is kept out of the prompt when

- it carries instructions aimed at the assistant (core/guard/rules.py);
- it disagrees with what the user said on the same matter, and the user's side weighs more
  (trust: what the user typed 1, clipboard and imports 0.4, the assistant 0); outside records
  never outvote each other, so an imported history with no typed notes is judged only by
  the instruction and lesson checks;
- it is the assistant's own earlier statement and names things nothing the user said
  supports: the assistant is never the only support for a claim about the user.

What the user typed is never flagged: when two of the user's own notes disagree about the
same matter, the newer one wins and the older is set aside as superseded ("I moved to
Bristol" over "I live in Leeds"). A memory that is merely the only one on its topic has
nothing to disagree with and is kept.

Paths come from structure (core/guard/paths.py) with the small default model; with a capable
model (1B weights and up) each path is the model's own short answer from that one memory, the
paths are embedded and clustered as in A-MemGuard's public code (DBSCAN, cosine, min_samples
2: with so few points that is the connected groups of paths closer than eps; eps is 0.3
here, see DBSCAN_EPS), and the heaviest group that holds something the user said is the
consensus.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from ..memory.records import USER_SOURCES, Kind, Memory, Source
from .paths import Path, disagree, path_of, same_topic, shown, values_of
from .rules import instruction_reason

CONFLICT_SIMILARITY = 0.5  # two records are about the same matter from this cosine up
SUPERSEDE_SIMILARITY = 0.6  # stricter for setting aside one of the user's own notes
DBSCAN_EPS = 0.3  # cosine distance between model-written paths: A-MemGuard uses 0.5, but MiniLM puts
# one-word answers such as "Lisbon" and "Madrid" 0.44 apart, so 0.5 would join every short answer
GUARDED_KINDS = frozenset({Kind.TURN, Kind.NOTE, Kind.FACT})
# The structural comparison reads short statements of fact; in a long conversational turn
# ("Wow, that's great! I haven't tried pottery yet, but…") names and negations are chatter,
# so such turns are compared only by the model method (instructions are checked on all).
MAX_FACT_WORDS = 25


def factual(memory: Memory) -> bool:
    """A short statement: a question the user asked claims nothing."""
    text = memory.text.strip()
    return len(text.split()) <= MAX_FACT_WORDS and not text.endswith("?")


def trust(memory: Memory) -> float:
    if memory.source in USER_SOURCES and memory.role != "assistant":
        return 1.0
    if memory.source == Source.ASSISTANT or memory.role == "assistant":
        return 0.0
    return 0.4  # clipboard, imports, Mnemo's own summaries: two together still weigh less than the user


def from_user(memory: Memory) -> bool:
    return trust(memory) >= 1.0


@dataclass(frozen=True)
class Flag:
    memory: Memory
    reason: str
    conflicts: tuple[str, ...] = ()  # ids of the memories it disagreed with
    kind: str = "conflict"  # "instruction" | "conflict" | "unsupported" | "lesson"


@dataclass
class Verdicts:
    flags: list[Flag] = field(default_factory=list)
    superseded: list[tuple[Memory, Memory]] = field(default_factory=list)  # (older, newer)
    method: str = "structure"

    def excluded_ids(self) -> set[str]:
        return {f.memory.id for f in self.flags} | {old.id for old, _ in self.superseded}


def _quote(memory: Memory, limit: int = 70) -> str:
    text = " ".join(memory.text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def check_structure(question: str, memories: Sequence[Memory], vectors: np.ndarray,
                    spared: Callable[[Memory], bool] = lambda m: False) -> Verdicts:
    """`spared(memory)`: the user released it earlier (a false alarm): never flag it again."""
    verdicts = Verdicts(method="structure")
    names = frozenset(n for m in memories if m.speaker for n in m.speaker.casefold().split())
    paths = [path_of(m.text, v, names) for m, v in zip(memories, vectors)]
    qvalues = values_of(question)
    flagged: set[int] = set()
    for i, m in enumerate(memories):
        if m.kind not in GUARDED_KINDS or from_user(m) or spared(m):
            continue
        reason = instruction_reason(m.text)
        if reason:
            verdicts.flags.append(Flag(m, f"It {reason}.", (), "instruction"))
            flagged.add(i)
            continue
        flag = _conflict(i, memories, paths, qvalues) if factual(m) else None
        if flag is not None:
            verdicts.flags.append(flag)
            flagged.add(i)
    _supersede(memories, paths, qvalues, verdicts, flagged)
    return verdicts


def _about_user(text: str) -> bool:
    """Does an outside record speak of the user ("the user…", "your…", "you…")? One that
    speaks only of its own speaker ("I went to Paris") cannot contradict the user."""
    return bool(_USER_WORDS.search(text))


_USER_WORDS = re.compile(r"\b(?:the user|user|users|you|your|yours|yourself)\b", re.IGNORECASE)


def _same_subject(m: Memory, p: Path, other: Memory, q: Path) -> bool:
    """Both speak of the same person: two speakers' own first-person turns are about two
    people, unless they name the same third party; an unattributed note is the user's."""
    if m.speaker and other.speaker and m.speaker.casefold() != other.speaker.casefold():
        return bool(p.values & q.values)
    return not m.speaker or _about_user(m.text) or bool(p.values & q.values)


def _conflict(i: int, memories: Sequence[Memory], paths: list[Path], qvalues: frozenset[str]) -> Flag | None:
    m, p = memories[i], paths[i]
    against, outside, user = [], trust(m), 0.0
    for j, other in enumerate(memories):
        if j == i or other.kind not in GUARDED_KINDS or not factual(other):
            continue
        if not same_topic(p, paths[j], CONFLICT_SIMILARITY) or not _same_subject(m, p, other, paths[j]):
            continue
        why = disagree(p, paths[j], qvalues)
        if why and from_user(other):  # outside records do not outvote each other: only the user does
            against.append((other, why))
        elif not why and (p.values & paths[j].values) - qvalues:
            if from_user(other):
                user += 1.0
            else:
                outside += trust(other)
    # outside records together never weigh as much as one thing the user said
    support = user + min(outside, 0.99)
    weight = sum(trust(o) for o, _ in against)
    if against and weight > support:
        first, why = max(against, key=lambda pair: (trust(pair[0]), pair[0].when))
        return Flag(m, f"It {why}: it disagrees with {_quote(first)}, which weighs more.",
                    tuple(o.id for o, _ in against), "conflict")
    if trust(m) == 0.0:
        claimed = p.values - qvalues
        backed: set[str] = set()
        for j, other in enumerate(memories):
            if j != i and trust(other) > 0:
                backed |= paths[j].values
        unbacked = claimed - backed
        if unbacked:
            return Flag(m, "Only the assistant's own earlier words say "
                           f"{shown(unbacked)}; nothing you said backs it.", (), "unsupported")
    return None


def _supersede(memories, paths, qvalues, verdicts: Verdicts, flagged: set[int]) -> None:
    """Of two of the user's own notes that disagree about the same matter, the newer wins."""
    user = [i for i, m in enumerate(memories)
            if from_user(m) and m.kind in GUARDED_KINDS and i not in flagged and factual(m)]
    for a in user:
        for b in user:
            older, newer = memories[a], memories[b]
            if newer.when <= older.when:
                continue
            if not same_topic(paths[a], paths[b], SUPERSEDE_SIMILARITY):
                continue
            if _changes(newer.text) and disagree(paths[b], paths[a], qvalues):
                verdicts.superseded.append((older, newer))
                break


_CHANGE = re.compile(r"\b(?:now|moved|move|new|newly|no longer|not any ?more|anymore|changed|switched|instead|since|"
                     r"from now on|from this \w+ on|these days|replaced|became|become|decided|started|stopped|quit|"
                     r"cancelled|canceled|rescheduled|postponed|old one|used to)\b", re.IGNORECASE)


def _changes(text: str) -> bool:
    """Does the note say something changed? Only then does it set an older one aside
    ("My work phone is …" does not replace "My phone is …")."""
    return bool(_CHANGE.search(text))


def check_with_model(question: str, memories: Sequence[Memory], ask: Callable[[str], str],
                     embed: Callable[[list[str]], np.ndarray],
                     spared: Callable[[Memory], bool] = lambda m: False) -> Verdicts:
    """The A-MemGuard way, for a capable model: `ask(prompt)` returns the model's text."""
    verdicts = Verdicts(method="model")
    guarded = [i for i, m in enumerate(memories) if m.kind in GUARDED_KINDS]
    answers: dict[int, str] = {}
    for i in guarded:
        m = memories[i]
        if not from_user(m) and not spared(m):
            reason = instruction_reason(m.text)
            if reason:
                verdicts.flags.append(Flag(m, f"It {reason}.", (), "instruction"))
                continue
        answer = ask(f"Question: {question}\nNote: {m.text}\nUsing only this note, what is the answer? "
                     "Reply in a few words, or 'unknown'.").strip()
        if answer and "unknown" not in answer.casefold():
            answers[i] = answer
    if len(answers) < 2:
        return verdicts
    order = list(answers)
    vectors = embed([answers[i] for i in order])
    groups = _groups(vectors, DBSCAN_EPS)
    def weight(members: list[int]) -> float:  # outside records never outweigh one user note
        users = sum(1.0 for k in members if from_user(memories[order[k]]))
        return users + min(sum(trust(memories[order[k]]) for k in members if not from_user(memories[order[k]])), 0.99)

    best = max(groups, key=lambda g: (weight(groups[g]), len(groups[g])))
    if not any(from_user(memories[order[k]]) for k in groups[best]):
        return verdicts  # without anything the user said there is no consensus to keep to
    consensus = [order[k] for k in groups[best]]
    for g, members in groups.items():
        if g == best:
            continue
        for k in members:
            m = memories[order[k]]
            if from_user(m) or spared(m):
                continue
            verdicts.flags.append(Flag(
                m, f"Its answer “{answers[order[k]][:60]}” disagrees with the consensus “{answers[consensus[0]][:60]}”.",
                tuple(memories[c].id for c in consensus), "conflict"))
    return verdicts


def _groups(vectors: np.ndarray, eps: float) -> dict[int, list[int]]:
    """DBSCAN with min_samples=2 on a handful of points: connected components of the graph
    of pairs closer than eps (cosine distance); a point with no neighbour is its own group."""
    n = len(vectors)
    close = (1.0 - vectors @ vectors.T) <= eps
    label = [-1] * n
    for start in range(n):
        if label[start] != -1:
            continue
        label[start] = start
        stack = [start]
        while stack:
            i = stack.pop()
            for j in range(n):
                if close[i, j] and label[j] == -1:
                    label[j] = start
                    stack.append(j)
    groups: dict[int, list[int]] = {}
    for i, g in enumerate(label):
        groups.setdefault(g, []).append(i)
    return groups
