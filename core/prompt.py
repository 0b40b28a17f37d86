"""Prompt building. The static instructions come first and never change, so llama.cpp can
reuse their attention state between questions; the memories and the question follow."""
from __future__ import annotations

from datetime import datetime, timezone

from .retrieval import Hit

SYSTEM = (
    "You are Mnemo, a private assistant that remembers what the user told you. "
    "Answer the user's question in one or two short sentences, using only the memories given. "
    "Speak to the user as 'you'. If the memories do not contain the answer, say that you do not remember."
)


def format_memory(hit: Hit) -> str:
    memory = hit.memory
    day = datetime.fromtimestamp(memory.when, timezone.utc).strftime("%Y-%m-%d")
    who = memory.speaker or ("you" if memory.role in ("", "user") else "assistant")
    return f"- ({day}, {who}) {memory.text}"


def build_messages(question: str, hits: list[Hit], now: datetime) -> list[dict]:
    lines = [format_memory(h) for h in hits] or ["- (none)"]
    user = (
        f"Today is {now.strftime('%Y-%m-%d')}.\nMemories:\n"
        + "\n".join(lines)
        + f"\n\nQuestion: {question.strip()}"
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
