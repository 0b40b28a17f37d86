"""The answer prompt's static prefix (instructions, portrait, overview), kept evaluated across
questions and across restarts.

Within a run, llama.cpp reuses the longest common prefix of the previous prompt by itself. Here
the prefix's attention state is also written to a file (llama.cpp's own state file) when it
changes, and read back when the model loads, so the first question after a start does not pay
for it again. The file is the model's own cache: named for the model file, its size and date,
the context length and llama.cpp's version; a file that cannot be read is deleted and rebuilt."""
from __future__ import annotations

import ctypes
import hashlib
import logging
import os
from pathlib import Path

log = logging.getLogger("mnemo.model")


class PrefixCache:
    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder is not None else None
        self.saved: list[int] = []  # the prefix whose state is in the file
        self.restored = 0  # tokens read back at load (0: nothing was)

    def file_for(self, model_path: Path, n_ctx: int) -> Path | None:
        if self.folder is None:
            return None
        try:
            import llama_cpp

            stat = Path(model_path).stat()
            key = f"{Path(model_path).resolve()}|{stat.st_size}|{int(stat.st_mtime)}|{n_ctx}|{llama_cpp.__version__}"
        except (OSError, ImportError):
            return None
        return self.folder / f"{Path(model_path).stem[:40]}-{hashlib.sha1(key.encode()).hexdigest()[:12]}.prefix"

    def restore(self, llama, model_path: Path) -> int:
        """Read the saved prefix state into a freshly loaded model; returns its token count."""
        path = self.file_for(model_path, llama.n_ctx())
        if path is None or not path.is_file():
            return 0
        import llama_cpp

        capacity = llama.n_ctx()
        tokens = (llama_cpp.llama_token * capacity)()
        count = ctypes.c_size_t(0)
        try:
            ok = llama_cpp.llama_state_load_file(llama._ctx.ctx, str(path).encode("utf-8"), tokens, capacity,
                                                 ctypes.byref(count))
        except Exception:  # noqa: BLE001 - a cache, never a reason to fail
            ok = False
        n = int(count.value)
        if not ok or n <= 0 or n > capacity:
            llama.reset()
            path.unlink(missing_ok=True)
            return 0
        llama.input_ids[:n] = list(tokens[:n])
        llama.n_tokens = n
        self.saved = list(tokens[:n])
        self.restored = n
        return n

    def keep(self, llama, model_path: Path, prefix: list[int]) -> None:
        """Make sure `prefix` is evaluated in the model's context, and saved when it changed."""
        if not prefix or prefix == self.saved:
            return
        cached = llama.input_ids[: llama.n_tokens].tolist()
        common = 0
        for a, b in zip(cached, prefix):
            if a != b:
                break
            common += 1
        if common < len(prefix):
            if common == 0:
                llama.reset()
            else:
                llama.n_tokens = common
            llama.eval(prefix[common:])  # (removes what followed in the cache first)
        else:
            llama._ctx.kv_cache_seq_rm(-1, len(prefix), -1)
            llama.n_tokens = len(prefix)
        self._save(llama, model_path, prefix)

    def _save(self, llama, model_path: Path, prefix: list[int]) -> None:
        path = self.file_for(model_path, llama.n_ctx())
        if path is None:
            return
        import llama_cpp

        try:
            for folder in (path.parent.parent, path.parent):  # (mkdir's parents=True would not make them private)
                folder.mkdir(mode=0o700, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            array = (llama_cpp.llama_token * len(prefix))(*prefix)
            if llama_cpp.llama_state_save_file(llama._ctx.ctx, str(tmp).encode("utf-8"), array, len(prefix)):
                os.chmod(tmp, 0o600)
                os.replace(tmp, path)
                self.saved = list(prefix)
            else:
                tmp.unlink(missing_ok=True)
        except OSError as exc:  # a full disk: the next start evaluates the prefix again
            log.info("the prompt prefix could not be saved: %s", exc)
