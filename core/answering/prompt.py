"""Prompt building. The static instructions come first and never change, so llama.cpp can
reuse their attention state between questions; the memories and the question follow.

The wording was chosen by trying variants on the default SmolLM2-135M model: this short form
answered every stored fact in a 5-fact test, whichever order the notes came in, while longer
instructions made the small model repeat them instead of answering."""
from __future__ import annotations

from dataclasses import dataclass

from ..days import ago, day_of, long_day, short_day
from ..recall.retrieval import Hit

SYSTEM = "You are a helpful assistant. Answer the question using the notes. Be brief."
BACKGROUND_CHARS = 360  # each of portrait and overview; the small model loses the question in long prompts


@dataclass(frozen=True)
class Background:
    """What opens every prompt after the instructions: it changes rarely (when the portrait
    or global summary is regenerated), so llama.cpp keeps reusing its cached state."""
    portrait: str = ""
    overview: str = ""

    def text(self) -> str:
        parts = []
        if self.portrait.strip():
            parts.append("About the user: " + _clip(self.portrait))
        if self.overview.strip():
            parts.append("So far: " + _clip(self.overview))
        return "\n".join(parts)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= BACKGROUND_CHARS else text[: BACKGROUND_CHARS - 1].rsplit(" ", 1)[0] + "…"


def when_label(memory, now: float | None) -> str:
    """'Tue 1 Sep 2026, 3 months ago' (without `now`: the date alone)."""
    day = day_of(memory.when)
    label = f"{day.strftime('%a')} {day.day} {day.strftime('%b %Y')}"
    return label if now is None else f"{label}, {ago(memory.when, now)}"


def format_memory(hit: Hit, now: float | None = None) -> str:
    memory = hit.memory
    marks = []
    if memory.kind == "fact":
        marks.append("fact")
    if memory.valid_until is not None:
        marks.append(f"until {short_day(day_of(memory.valid_until))}")
    if hit.cued:
        marks.append("nearly forgotten")
    label = when_label(memory, now) + "".join(f"; {m}" for m in marks)
    said = one_line(memory.text)  # a memory is one line of the notes: it cannot start a turn of its own
    if memory.speaker:
        text = f"{one_line(memory.speaker)}: {said}"
    elif memory.role == "assistant":
        text = f"Assistant said: {said}"
    else:
        text = said
    return f"- [{label}] {text}"


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def build_messages(question: str, hits: list[Hit], background: Background | None = None,
                   warnings: list[str] | None = None, now: float | None = None) -> list[dict]:
    """`warnings`: the guard's lessons on this theme; they come before the notes. `now`: today,
    which the notes' dates are told relative to (the static system part stays the same)."""
    lines = [format_memory(h, now) for h in hits] or ["- (no notes about this)"]
    user = "Notes:\n" + "\n".join(lines) + f"\n\nQuestion: {one_line(question)}"
    if now is not None:
        user = f"Today is {long_day(day_of(now))}.\n" + user
    if warnings:
        user = "Warnings:\n" + "\n".join(f"- {w}" for w in warnings) + "\n\n" + user
    system = SYSTEM
    extra = background.text() if background is not None else ""
    if extra:
        system = f"{SYSTEM}\n{extra}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]
