"""Prompt building. The static instructions come first and never change, so llama.cpp can
reuse their attention state between questions; the memories and the question follow.

The wording was chosen by trying variants on the default SmolLM2-135M model: this short form
answered every stored fact in a 5-fact test, whichever order the notes came in, while longer
instructions made the small model repeat them instead of answering."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

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


def format_memory(hit: Hit) -> str:
    memory = hit.memory
    day = datetime.fromtimestamp(memory.when, timezone.utc).strftime("%Y-%m-%d")
    said = one_line(memory.text)  # a memory is one line of the notes: it cannot start a turn of its own
    if memory.speaker:
        text = f"{one_line(memory.speaker)}: {said}"
    elif memory.role == "assistant":
        text = f"Assistant said: {said}"
    else:
        text = said
    return f"- [{day}] {text}"


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def build_messages(question: str, hits: list[Hit], background: Background | None = None,
                   warnings: list[str] | None = None) -> list[dict]:
    """`warnings`: the guard's lessons on this theme; they come before the notes."""
    lines = [format_memory(h) for h in hits] or ["- (no notes about this)"]
    user = "Notes:\n" + "\n".join(lines) + f"\n\nQuestion: {one_line(question)}"
    if warnings:
        user = "Warnings:\n" + "\n".join(f"- {w}" for w in warnings) + "\n\n" + user
    system = SYSTEM
    extra = background.text() if background is not None else ""
    if extra:
        system = f"{SYSTEM}\n{extra}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]
