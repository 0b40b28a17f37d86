"""The local language model: a GGUF file run by llama-cpp-python, streamed token by token.

llama.cpp keeps the attention state of the previous prompt and reuses the longest common
prefix, so prompts are built static-part-first (see core/answering/prompt.py)."""
from __future__ import annotations

import os
import random
import threading
from pathlib import Path
from typing import Iterator, Protocol

from ..errors import ModelError
from ..models import gguf_info
from ..models.model_settings import ModelSettings
from .chat_tokens import chat_tokens
from .prefix_cache import PrefixCache

CHOOSE_ANOTHER = "Choose another GGUF file with --model PATH, or in the app with File → Choose Language Model."


class ChatModel(Protocol):
    def stream_chat(self, messages: list[dict], max_tokens: int, cancel: threading.Event | None,
                    **options) -> Iterator[str]:
        """Yield the answer's text piece by piece; stop early when `cancel` is set. Options a
        model may take: `temperature` (this answer only), `keep_prefix` (the prompt's static
        part is the answer prompt's: keep its state, across restarts too)."""


def check_model_file(path: Path) -> Path:
    """Raise ModelError naming the file unless it looks like a readable GGUF model."""
    path = Path(path).expanduser()
    if not path.exists():
        raise ModelError(f"The language model file {path} does not exist. {CHOOSE_ANOTHER}")
    if not path.is_file():
        raise ModelError(f"The language model path {path} is a folder, not a GGUF file. {CHOOSE_ANOTHER}")
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        raise ModelError(f"The language model file {path} cannot be read ({exc.strerror}). {CHOOSE_ANOTHER}") from exc
    if magic != b"GGUF":
        raise ModelError(f"The file {path} is not a GGUF language model (it does not start with 'GGUF'). {CHOOSE_ANOTHER}")
    return path


def physical_cores() -> int:
    try:
        import psutil

        return psutil.cpu_count(logical=False) or os.cpu_count() or 1
    except ImportError:
        return os.cpu_count() or 1


class LlamaModel:
    """A GGUF model loaded lazily (on first use or by `load()` from a background thread).

    Its settings (context, threads, temperature, answer length) default from the file's own
    metadata and this machine's physical cores, read when it loads; `overrides` are the user's."""

    def __init__(self, path: Path, settings: ModelSettings | None = None, overrides: dict | None = None,
                 seed: int = 7, state_dir: Path | None = None, title: str = ""):
        """`state_dir`: where the answer prompt's prefix state is kept between runs (None: not kept).
        `title`: the name to show (the catalog's), else the GGUF's own."""
        self.path = Path(path)
        self.title = title
        self.prefix_cache = PrefixCache(state_dir)
        self.settings = settings
        self.overrides = dict(overrides or {})
        self.info: gguf_info.GGUFInfo | None = None
        self.seed = seed
        self._llama = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()  # one generation at a time: llama state is not shareable

    @property
    def loaded(self) -> bool:
        return self._llama is not None

    @property
    def name(self) -> str:
        """The catalog's title, else what the model calls itself (its GGUF metadata), else its file's name."""
        if self.title:
            return self.title
        if self.info is None and self.settings is None:
            try:
                self.resolve_settings()
            except ModelError:
                return self.path.stem
        return (self.info.name if self.info is not None and self.info.name else "") or self.path.stem

    @property
    def n_ctx(self) -> int:
        return self.settings.context if self.settings is not None else ModelSettings().context

    @property
    def answer_tokens(self) -> int:
        return self.settings.answer_tokens if self.settings is not None else ModelSettings().answer_tokens

    def resolve_settings(self) -> ModelSettings:
        """The settings this model runs with (reads the GGUF's metadata the first time)."""
        if self.settings is None:
            path = check_model_file(self.path)
            try:
                self.info = gguf_info.read(path)
            except ModelError as exc:
                raise ModelError(f"{exc} {CHOOSE_ANOTHER}") from None
            self.settings = ModelSettings.defaults(self.info, physical_cores()).with_changes(self.overrides)
        return self.settings

    def load(self) -> None:
        with self._load_lock:
            if self._llama is not None:
                return
            path = check_model_file(self.path)
            settings = self.resolve_settings()
            try:
                from llama_cpp import Llama
                from llama_cpp._utils import suppress_stdout_stderr

                with suppress_stdout_stderr(disable=False):  # llama.cpp's own notes ("using full-size SWA cache")
                    self._llama = Llama(
                        model_path=str(path),
                        n_ctx=settings.context,
                        n_threads=settings.threads,
                        seed=self.seed,
                        verbose=False,
                    )
            except Exception as exc:
                raise ModelError(
                    f"The language model file {path} could not be loaded ({exc}). It may be damaged or "
                    f"of a kind this llama.cpp does not support. {CHOOSE_ANOTHER}"
                ) from exc
            self.prefix_cache.restore(self._llama, path)

    def stream_chat(self, messages: list[dict], max_tokens: int = 200,
                    cancel: threading.Event | None = None, temperature: float | None = None,
                    keep_prefix: bool = False) -> Iterator[str]:
        """The answer piece by piece. The messages' contents are tokenized as plain text, so a
        memory can never forge the template's control tokens (core/answering/chat_tokens.py)."""
        self.load()
        temperature = self.settings.temperature if temperature is None else temperature
        with self._run_lock:
            prompt = chat_tokens(self._llama, messages)
            if keep_prefix:
                self.prefix_cache.keep(self._llama, self.path, prompt.tokens[: prompt.prefix])
            chunks = self._llama.create_completion(
                prompt=prompt.tokens,
                stream=True,
                max_tokens=max_tokens,
                temperature=temperature,
                seed=self.seed if temperature == self.settings.temperature else random.randrange(2 ** 31),
                top_k=1 if temperature == 0 else 40,
                repeat_penalty=1.1,
                stop=prompt.stop,
            )
            try:
                for chunk in chunks:
                    if cancel is not None and cancel.is_set():
                        break
                    piece = chunk["choices"][0].get("text")
                    if piece:
                        yield piece
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()

    def fits(self, messages: list[dict], max_tokens: int) -> bool:
        """Do these messages and an answer of `max_tokens` fit in the model's context?"""
        return len(self.prompt_tokens(messages)) + max_tokens <= self.n_ctx

    def prompt_tokens(self, messages: list[dict]) -> list[int]:
        """The tokens `stream_chat` would give the model for these messages."""
        self.load()
        return chat_tokens(self._llama, messages).tokens

    @property
    def parameters(self) -> int | None:
        """How many weights the model has (decides whether it is trusted to write summaries)."""
        self.load()
        try:
            return int(self._llama._model.n_params())
        except Exception:  # an older or newer llama-cpp-python without this accessor
            return None

    def forget_cache(self) -> None:
        """Drop the cached attention state (the next prompt is processed from scratch)."""
        if self._llama is not None:
            with self._run_lock:
                self._llama.reset()

    def count_tokens(self, text: str) -> int:
        self.load()
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False))
