"""Small, deterministic stand-ins for the slow parts (unit tests only; every capability
also has a test through the real MiniLM model and the real GGUF model)."""
from __future__ import annotations

import hashlib
import threading
import time
from typing import Iterator, Sequence

import numpy as np

from core.text import terms


class HashEmbedder:
    """Bag of stemmed words hashed into 384 dimensions: texts sharing words are close."""

    dim = 384

    def __init__(self):
        self.calls = 0
        self.loaded = True

    def load(self) -> None:
        pass

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in terms(text) or ["\x00empty"]:
                bucket = int(hashlib.md5(term.encode()).hexdigest(), 16) % self.dim
                out[row, bucket] += 1.0
            out[row] /= np.linalg.norm(out[row])
        return out


class ScriptedModel:
    """A chat model that streams a fixed reply (or echoes the first memory line)."""

    loaded = True

    def __init__(self, reply: str | None = None, delay: float = 0.0):
        self.reply = reply
        self.delay = delay
        self.prompts: list[list[dict]] = []

    def load(self) -> None:
        pass

    def stream_chat(self, messages: list[dict], max_tokens: int = 200,
                    cancel: threading.Event | None = None, **options) -> Iterator[str]:
        self.prompts.append(messages)
        self.options = options  # temperature (Regenerate), keep_prefix (the answer's prompt)
        reply = self.reply
        if reply is None:
            lines = [l for l in messages[-1]["content"].splitlines() if l.startswith("- [")]
            reply = lines[0].split("] ", 1)[1] if lines else "I do not remember."
        for word in reply.split(" "):
            if cancel is not None and cancel.is_set():
                return
            if self.delay:
                time.sleep(self.delay)
            yield word + " "
