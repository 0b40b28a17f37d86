"""`mnemo encryption` through the real stack (LanceDB, MiniLM, SmolLM2): with encryption on, no
file under the data folder (tables, history, backups, settings, the model's prompt state) holds a
memory's words or its vector's bytes; every command unlocks with $MNEMO_PASSPHRASE; the wrong
passphrase is a sentence and changes no file."""
import hashlib
import json

import numpy as np
import pytest

from app import cli

pytestmark = pytest.mark.real
WORDS = [b"Zanzibarra", b"Vellacourt", b"quinceberries"]


def run_cli(capsys, *args):
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _files(path):
    return {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(path.rglob("*")) if f.is_file()}


def test_encrypted_memory_answers_as_before_and_keeps_no_words_on_disk(tmp_path, capsys, monkeypatch):
    d = str(tmp_path / "data")
    monkeypatch.delenv("MNEMO_PASSPHRASE", raising=False)
    run_cli(capsys, "--data-dir", d, "add", "My sister Zanzibarra lives in Vellacourt")
    run_cli(capsys, "--data-dir", d, "add", "I am allergic to quinceberries")
    code, out, _ = run_cli(capsys, "--data-dir", d, "--now", "2026-06-01T10:00", "ask", "Where does my sister live?",
                           "--json")
    assert code == 0 and "Vellacourt" in json.loads(out)["answer"]
    run_cli(capsys, "--data-dir", d, "backup", "now")
    assert list((tmp_path / "data" / "models" / ".prefix-cache").glob("*.prefix")), "the prompt state was saved"

    monkeypatch.setenv("MNEMO_PASSPHRASE", "correct horse battery")
    code, out, err = run_cli(capsys, "--data-dir", d, "encryption", "on", "--json")
    assert code == 0, err
    status = json.loads(out)
    assert status["encrypted"] and status["method"] == "passphrase" and "before-encryption" in status["backup"]

    code, out, _ = run_cli(capsys, "--data-dir", d, "search", "where does my sister live", "--json")
    assert code == 0 and "Zanzibarra" in json.loads(out)[0]["text"]
    code, out, _ = run_cli(capsys, "--data-dir", d, "--now", "2026-06-01T11:00", "ask", "What am I allergic to?",
                           "--json")
    assert code == 0 and json.loads(out)["memories"]
    code, out, _ = run_cli(capsys, "--data-dir", d, "list", "--json")
    listed = json.loads(out)
    assert {"id", "kind", "state", "retention", "links", "conversation_id", "event_at"} <= set(listed[0])

    from core.clock import SystemClock
    from core.memory.keys import Passphrase
    from core.memory.store import MemoryStore

    store = MemoryStore.open(tmp_path / "data", SystemClock(), passphrase=lambda: Passphrase("correct horse battery"))
    vectors = [store.vector(m.id) for m in store.all()]
    store.close()
    needles = WORDS + [np.asarray(v, "<f4").tobytes()[:32] for v in vectors]
    leaking = [str(f) for f in (tmp_path / "data").rglob("*") if f.is_file()
               and any(n in f.read_bytes() for n in needles)]
    assert leaking == []
    assert not list((tmp_path / "data").rglob("*.prefix")), "the model's prompt state (it quotes memories) is not kept"

    before = _files(tmp_path / "data")
    monkeypatch.setenv("MNEMO_PASSPHRASE", "not the passphrase")
    code, out, err = run_cli(capsys, "--data-dir", d, "list")
    assert code == 1 and "The passphrase is wrong" in err and out == ""
    monkeypatch.delenv("MNEMO_PASSPHRASE")
    code, _, err = run_cli(capsys, "--data-dir", d, "search", "sister")
    assert code == 1 and "set $MNEMO_PASSPHRASE" in err
    assert _files(tmp_path / "data") == before

    monkeypatch.setenv("MNEMO_PASSPHRASE", "correct horse battery")
    monkeypatch.setenv("MNEMO_NEW_PASSPHRASE", "a new passphrase!")
    assert run_cli(capsys, "--data-dir", d, "encryption", "passphrase")[0] == 0
    monkeypatch.setenv("MNEMO_PASSPHRASE", "a new passphrase!")
    code, out, _ = run_cli(capsys, "--data-dir", d, "encryption", "off", "--json")
    assert code == 0 and json.loads(out)["encrypted"] is False
    monkeypatch.delenv("MNEMO_PASSPHRASE")
    code, out, _ = run_cli(capsys, "--data-dir", d, "encryption", "status", "--json")
    assert json.loads(out) == {"encrypted": False, "method": None, "state": "off", "backups": 3, "backup": None,
                               "unconverted_backups": []}
