"""Prompt building. The static instructions come first and never change, so llama.cpp can
reuse their attention state between questions; the memories and the question follow.

The wording was chosen by trying variants on the default SmolLM2-135M model: this short form
answered every stored fact in a 5-fact test, whichever order the notes came in, while longer
instructions made the small model repeat them instead of answering."""
from __future__ import annotations

from datetime import datetime, timezone

from .retrieval import Hit

SYSTEM = "You are a helpful assistant. Answer the question using the notes. Be brief."


def format_memory(hit: Hit) -> str:
    memory = hit.memory
    day = datetime.fromtimestamp(memory.when, timezone.utc).strftime("%Y-%m-%d")
    if memory.speaker:
        text = f"{memory.speaker}: {memory.text}"
    elif memory.role == "assistant":
        text = f"Assistant said: {memory.text}"
    else:
        text = memory.text
    return f"- [{day}] {text}"


def build_messages(question: str, hits: list[Hit]) -> list[dict]:
    lines = [format_memory(h) for h in hits] or ["- (no notes about this)"]
    user = "Notes:\n" + "\n".join(lines) + f"\n\nQuestion: {question.strip()}"
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
