"""What a GGUF file says about itself (read through llama.cpp with the vocabulary only, so a
multi-gigabyte model is not loaded): its name, architecture, trained context, chat template."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError


@dataclass(frozen=True)
class GGUFInfo:
    name: str
    architecture: str
    context_length: int | None  # the context it was trained with
    chat_template: bool
    parameters: str  # as the file labels it ("135M", "1.5B"), or ""

    @classmethod
    def from_metadata(cls, meta: dict, fallback_name: str) -> "GGUFInfo":
        arch = str(meta.get("general.architecture", ""))
        try:
            context = int(meta.get(f"{arch}.context_length", "")) if arch else None
        except ValueError:
            context = None
        return cls(name=str(meta.get("general.name") or fallback_name), architecture=arch,
                   context_length=context, chat_template=bool(meta.get("tokenizer.chat_template")),
                   parameters=str(meta.get("general.size_label", "")))


def read(path: Path) -> GGUFInfo:
    """The file's metadata; a file llama.cpp cannot read is a ModelError naming it."""
    path = Path(path)
    try:
        from llama_cpp import Llama
        from llama_cpp._utils import suppress_stdout_stderr

        with suppress_stdout_stderr(disable=False):  # llama.cpp's own notes on stderr
            llama = Llama(model_path=str(path), vocab_only=True, verbose=False)
    except Exception as exc:
        raise ModelError(f"The language model file {path} could not be loaded ({exc}). It may be damaged or "
                         f"of a kind this llama.cpp does not support.") from None
    try:
        return GGUFInfo.from_metadata(dict(llama.metadata or {}), path.stem)
    finally:
        close = getattr(llama, "close", None)
        if close is not None:
            close()
