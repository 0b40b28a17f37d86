"""A Mnemo process for tests/app/test_kill9_encryption.py to kill while it turns encryption on
or off: it prints READY, then PAUSED where asked (and waits there to be killed), else DONE."""
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.clock import FixedClock  # noqa: E402
from core.memory import encryption  # noqa: E402
from core.memory.keys import Passphrase  # noqa: E402
from core.mnemo import Mnemo  # noqa: E402
from tests.fakes import HashEmbedder, ScriptedModel  # noqa: E402

SECRET = Passphrase("correct horse battery")


def pause_after(module, name: str) -> None:
    """Stop right after `module.name` returns (the first time)."""
    original = getattr(module, name)

    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        print("PAUSED", flush=True)
        time.sleep(60)
        return result
    setattr(module, name, paused)


def main(data_dir: str, mode: str, point: str = "") -> None:
    clock = FixedClock(datetime(2026, 5, 1, 9, tzinfo=timezone.utc))
    mnemo = Mnemo(Path(data_dir), clock, HashEmbedder(), ScriptedModel(), passphrase=lambda: SECRET)
    if point == "rows":  # every row rewritten, the ledger not yet told: rolled back, then done again
        pause_after(encryption, "convert_rows")
    elif point == "backups":  # the live store converted and compacted, one backup converted
        pause_after(encryption, "convert_backup")
    elif point == "compact":  # the old versions being dropped
        from core.memory.tables import Tables

        pause_after(Tables, "drop_old_versions")
    print("READY", flush=True)
    if mode == "encrypt":
        mnemo.store.encrypt(SECRET)
    else:
        mnemo.store.decrypt()
    print("DONE", flush=True)
    time.sleep(60)


if __name__ == "__main__":
    main(*sys.argv[1:])
