import json
import re
from pathlib import Path

import pytest

from core.errors import MnemoError
from core.models import catalog
from core.models.catalog import Machine

ROOT = Path(__file__).resolve().parents[3]
CATALOG = ROOT / "resources" / "models.json"
GIB = 1024 ** 3


def test_the_catalog_names_each_model_with_its_file_size_licence_and_checksum():
    entries = catalog.load(CATALOG)
    assert len(entries) >= 10
    assert len({e.name for e in entries}) == len(entries)
    for e in entries:
        assert re.fullmatch(r"[0-9a-f]{64}", e.sha256), e.name
        assert e.file.endswith(".gguf") and "/" in e.repo and e.licence and e.quantisation
        assert e.size_bytes > 50 * 1024 ** 2 and e.ram_bytes > e.size_bytes
    assert [e.name for e in entries if e.bundled] == ["smollm2-135m"]


def test_the_bundled_entry_is_the_file_mnemo_ships(smollm):
    from core.models.download import sha256_of

    bundled = next(e for e in catalog.load(CATALOG) if e.bundled)
    assert smollm.path.name == bundled.file and smollm.path.stat().st_size == bundled.size_bytes
    assert sha256_of(smollm.path) == bundled.sha256


def test_the_recommendation_follows_memory_and_cores():
    entries = catalog.load(CATALOG)
    small = catalog.recommend(entries, Machine(4 * GIB, 2))
    assert small is not None and small.ram_bytes <= 2 * GIB and small.parameters_b <= 1.3
    quiet = catalog.recommend(entries, Machine(24 * GIB, 2))
    assert quiet.parameters_b <= 1.3 and quiet.parameters_b >= small.parameters_b
    big = catalog.recommend(entries, Machine(32 * GIB, 8))
    assert big.parameters_b > 3
    assert catalog.recommend(entries, Machine(512 * 1024 ** 2, 1)) is None  # only the bundled model fits
    ok, why = catalog.runs_well(next(e for e in entries if e.name == "gemma3-4b"), Machine(4 * GIB, 8))
    assert not ok and "memory" in why


def test_an_unknown_name_lists_the_known_ones():
    with pytest.raises(MnemoError, match="Known models: smollm2-135m"):
        catalog.find(catalog.load(CATALOG), "gpt-5")


def test_a_damaged_catalog_is_a_sentence(tmp_path):
    bad = tmp_path / "models.json"
    bad.write_text(json.dumps({"models": [{"name": "x"}]}))
    with pytest.raises(MnemoError, match="model catalog .* cannot be read"):
        catalog.load(bad)
