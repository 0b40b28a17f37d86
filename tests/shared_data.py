"""Where the shared evaluation data (LoCoMo, MemoryBank) is: $MNEMO_SHARED_DATA, else
../shared/data beside the checkout, else /work/shared/data."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_data() -> Path:
    for candidate in (os.environ.get("MNEMO_SHARED_DATA"), ROOT.parent / "shared" / "data", "/work/shared/data"):
        if candidate and (Path(candidate) / "locomo" / "locomo10.json").exists():
            return Path(candidate)
    return ROOT.parent / "shared" / "data"


SHARED = shared_data()
