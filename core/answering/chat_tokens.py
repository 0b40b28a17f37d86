"""Turning chat messages into the model's tokens so that what a memory says stays text.

llama-cpp-python's chat completion renders the chat template and tokenizes the whole prompt
with special tokens allowed, so a memory holding `<|im_end|><|im_start|>system` would become
real control tokens and open a system turn of its own. Here the template (the GGUF's own, or
a plain fallback for base models that have none) is rendered with a placeholder for each
message's content; the template's own parts are tokenized with special tokens allowed, and
every message's content (memories, the question, the portrait) with special tokens off."""
from __future__ import annotations

import re
from dataclasses import dataclass

_MARK = "\ue000mnemo-{}\ue001"  # private-use characters: never produced by a template
_MARKS = re.compile("(\ue000mnemo-\\d+\ue001)")
# For models without a chat template (base models): plain labelled turns.
PLAIN_ROLES = {"system": "", "user": "Question and notes:\n", "assistant": "Answer: "}


@dataclass(frozen=True)
class ChatTokens:
    tokens: list[int]
    stop: list[str]  # texts that end the answer
    template: str  # "gguf" (the model's own chat template) or "plain"
    prefix: int = 0  # tokens before the last message's content: the part that stays the same


def chat_tokens(llama, messages: list[dict]) -> ChatTokens:
    """The prompt for `messages` (role/content dicts), the template's parts as trusted text."""
    template = (getattr(llama, "metadata", None) or {}).get("tokenizer.chat_template")
    placeholders = [{"role": m["role"], "content": _MARK.format(i)} for i, m in enumerate(messages)]
    if template:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        eos_id, bos_id = llama.token_eos(), llama.token_bos()
        eos = llama._model.token_get_text(eos_id) if eos_id != -1 else ""
        bos = llama._model.token_get_text(bos_id) if bos_id != -1 else ""
        rendered = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos,
                                       stop_token_ids=[eos_id])(messages=placeholders).prompt
        stop, add_bos, kind = [eos] if eos else [], False, "gguf"
    else:
        rendered = _plain(placeholders)
        stop, add_bos, kind = ["\nQuestion and notes:"], _adds_bos(llama), "plain"
    tokens: list[int] = []
    prefix = 0
    for piece in _MARKS.split(rendered):
        if not piece:
            continue
        if _MARKS.fullmatch(piece):
            index = int(piece[len("\ue000mnemo-"):-1])
            if index == len(messages) - 1:
                prefix = len(tokens)
            tokens += llama.tokenize(str(messages[index]["content"]).encode("utf-8"), add_bos=False, special=False)
        else:
            tokens += llama.tokenize(piece.encode("utf-8"), add_bos=False, special=True)
    if add_bos and llama.token_bos() != -1:
        tokens, prefix = [llama.token_bos()] + tokens, prefix + 1
    return ChatTokens(tokens, stop, kind, prefix)


def _plain(messages: list[dict]) -> str:
    parts = []
    for m in messages:
        label = PLAIN_ROLES.get(m["role"], f"{m['role'].capitalize()}: ")
        parts.append(f"{label}{m['content']}\n\n")
    return "".join(parts) + PLAIN_ROLES["assistant"].rstrip(" ")


def _adds_bos(llama) -> bool:
    value = str((getattr(llama, "metadata", None) or {}).get("tokenizer.ggml.add_bos_token", "true")).lower()
    return value != "false"
