"""How a model runs: its context, threads, temperature and answer length. Each defaults from
the model's own GGUF metadata and this machine; the user can change any of them per model."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from ..errors import InvalidInputError
from .gguf_info import GGUFInfo

MAX_DEFAULT_CONTEXT = 4096  # longer contexts cost memory and the prompt never needs more
MIN_CONTEXT = 512


@dataclass(frozen=True)
class ModelSettings:
    context: int = 2048  # tokens the prompt and the answer share
    threads: int = 1
    temperature: float = 0.0  # 0: the same question gets the same answer
    answer_tokens: int = 160  # the longest answer, in tokens

    def __post_init__(self) -> None:
        if not (isinstance(self.context, int) and self.context >= MIN_CONTEXT):
            raise InvalidInputError(f"A model's context must be a whole number of at least {MIN_CONTEXT} tokens.")
        if not (isinstance(self.threads, int) and 1 <= self.threads <= 256):
            raise InvalidInputError("A model's threads must be a whole number from 1 to 256.")
        if not (isinstance(self.temperature, (int, float)) and 0.0 <= self.temperature <= 2.0):
            raise InvalidInputError("A model's temperature must be between 0 and 2.")
        if not (isinstance(self.answer_tokens, int) and 16 <= self.answer_tokens <= 2048):
            raise InvalidInputError("A model's answer length must be from 16 to 2048 tokens.")
        if self.answer_tokens >= self.context // 2:
            raise InvalidInputError("A model's answer length must be less than half its context.")

    @classmethod
    def defaults(cls, info: GGUFInfo | None, physical_cores: int) -> "ModelSettings":
        trained = info.context_length if info is not None and info.context_length else 2048
        return cls(context=max(MIN_CONTEXT, min(trained, MAX_DEFAULT_CONTEXT)), threads=max(1, physical_cores))

    def with_changes(self, changes: dict) -> "ModelSettings":
        """These settings with the user's `changes` (unknown names are refused)."""
        names = {f.name for f in fields(self)}
        unknown = set(changes) - names
        if unknown:
            raise InvalidInputError(f"Unknown model setting {', '.join(sorted(unknown))}; known: {', '.join(sorted(names))}.")
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return asdict(self)
