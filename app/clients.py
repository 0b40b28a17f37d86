"""Which other programs may use the memory (over MCP), and how: read only, or read and write.
A program is known by the name it gives when it connects; an unknown one is refused until the
user allows it (`mnemo clients allow NAME [--write]`, or the app's prompt). Kept in
DATA_DIR/clients.json (readable by the user only), with each program's last use; for the HTTP
endpoint each allowed program gets a token, of which only a hash is kept."""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from core.errors import InvalidInputError, MnemoError

FILE_NAME = "clients.json"
MAX_NAME = 80


@dataclass
class Client:
    name: str
    write: bool = False  # may remember and forget, not only recall and ask
    allowed_at: str = ""
    last_used: str = ""
    token_sha256: str = ""  # for the HTTP endpoint


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def checked_name(name: str) -> str:
    name = " ".join(str(name).split())
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise InvalidInputError(f"A program's name is up to {MAX_NAME} printable characters; '{name[:40]}' is not.")
    return name


class Clients:
    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / FILE_NAME

    def all(self) -> dict[str, Client]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise MnemoError(f"The list of allowed programs {self.path} cannot be read ({exc}); fix or delete it "
                             "(every program is then asked again).") from None
        fields = set(Client.__dataclass_fields__)
        return {name: Client(**{k: v for k, v in value.items() if k in fields})
                for name, value in raw.items() if isinstance(value, dict)}

    def get(self, name: str) -> Client | None:
        return self.all().get(name)

    def allow(self, name: str, write: bool = False, token: bool = False) -> tuple[Client, str | None]:
        """Allow a program (read only, or read and write); with `token`, a new token for HTTP (shown once)."""
        name = checked_name(name)
        clients = self.all()
        client = clients.get(name) or Client(name)
        client.write, client.allowed_at = write, _now()
        secret = None
        if token:
            secret = secrets.token_urlsafe(32)
            client.token_sha256 = hashlib.sha256(secret.encode()).hexdigest()
        clients[name] = client
        self._save(clients)
        return client, secret

    def revoke(self, name: str) -> Client:
        clients = self.all()
        client = clients.pop(name, None)
        if client is None:
            known = ", ".join(sorted(clients)) or "none"
            raise InvalidInputError(f"No program called '{name}' is allowed; allowed: {known}.")
        self._save(clients)
        return client

    def by_token(self, secret: str) -> Client | None:
        digest = hashlib.sha256(secret.encode()).hexdigest()
        return next((c for c in self.all().values()
                     if c.token_sha256 and secrets.compare_digest(c.token_sha256, digest)), None)

    def used(self, name: str) -> None:
        clients = self.all()
        if name in clients:
            clients[name].last_used = _now()
            self._save(clients)

    def _save(self, clients: dict[str, Client]) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".clients-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({n: asdict(c) for n, c in clients.items()}, out, indent=2, sort_keys=True)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise MnemoError(f"The list of allowed programs could not be saved ({exc.strerror or exc}); nothing "
                             "was changed.") from None
