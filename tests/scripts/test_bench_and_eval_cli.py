"""The benchmark and evaluation entry points run and print their figures (tiny sizes)."""
import json
import subprocess
import sys
from pathlib import Path

from app import cli_eval
from app.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def test_bench_retrieval_prints_the_table_and_writes_json(tmp_path):
    out = subprocess.run([sys.executable, "scripts/bench_retrieval.py", "--sizes", "2000", "--queries", "10",
                          "--json", str(tmp_path / "r.json")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "brute p50" in out.stdout and "full, hybrid" in out.stdout
    rows = json.loads((tmp_path / "r.json").read_text())
    vector = next(r for r in rows if r["search"] == "vector")
    assert vector["memories"] == 2000 and vector["recall_at_10"] == 1.0  # exact below the threshold


def test_mnemo_eval_runs_the_evaluation_scripts():
    args = build_parser().parse_args(["eval", "qa", "--limit", "3", "--out", "x.json", "--model", "m.gguf"])
    assert cli_eval.command(args)[1:] == [str(ROOT / "scripts" / "eval_locomo_qa.py"), "--per-conversation", "3",
                                         "--json", "x.json", "--model", "m.gguf"]
    args = build_parser().parse_args(["eval", "recall", "--limit", "1"])
    assert cli_eval.command(args)[-2:] == ["--limit", "1"]
    args = build_parser().parse_args(["eval", "lifetime", "--limit", "1", "--out", "life.json"])
    command = cli_eval.command(args)
    assert command[1] == str(ROOT / "scripts" / "eval_lifetime.py") and "--limit" in command and "life.json" in command
    args = build_parser().parse_args(["eval", "memorybank", "--out", "mb.json"])
    assert cli_eval.command(args)[1:] == [str(ROOT / "scripts" / "eval_memorybank_recall.py"), "--json", "mb.json"]


def test_recall_figures_count_a_fact_as_its_turn_and_choose_on_the_fit_part_only():
    sys.path.insert(0, str(ROOT / "scripts"))
    from types import SimpleNamespace as NS

    from recall_baselines import grid_rows, labelled, recall

    hits = [NS(memory=NS(id=i)) for i in ("fact1", "t2", "t1", "unknown")]
    ranked = labelled(hits, {"fact1": "D1:1", "t1": "D1:1", "t2": "D1:2"})
    assert ranked == ["D1:1", "D1:2"] and recall(ranked, {"D1:2", "D1:9"}, 1) == 0.0
    rows = grid_rows({(10, 1.0, "fit"): [0.5], (10, 1.0, "held out"): [0.9],
                      (20, 1.0, "fit"): [0.7], (20, 1.0, "held out"): [0.1]})
    assert rows[0][:3] == [20, 1.0, 0.7] and rows[0][3] == 0.1  # best on fit first, however it does held out
