"""`mnemo models list|recommend|download NAME|remove NAME|use NAME|add PATH|settings NAME|offline on|off`:
the model library from the command line. None of these opens the memory store."""
from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

from core.models import catalog
from core.models.catalog import Machine

from . import model_library
from .cli_common import printable
from .settings import Settings


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    models = sub.add_parser("models", parents=[common], help="the model library: list, recommend, download, use...")
    actions = models.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    actions.add_parser("list", parents=[common], help="the catalog and the models on this computer")
    actions.add_parser("recommend", parents=[common], help="the model this computer runs best")
    for name, text in (("download", "fetch a catalog model (the only network access Mnemo makes)"),
                       ("remove", "delete a downloaded model (an added file is only forgotten)"),
                       ("use", "answer with this model from now on")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("name", help="the model's name (see `mnemo models list`)")
    add = actions.add_parser("add", parents=[common], help="add a GGUF file from disk (it stays where it is)")
    add.add_argument("path", type=Path)
    tune = actions.add_parser("settings", parents=[common], help="show or change a model's settings")
    tune.add_argument("name", nargs="?", help="the model (default: the one that answers)")
    tune.add_argument("--context", type=int, help="tokens the prompt and answer share")
    tune.add_argument("--threads", type=int)
    tune.add_argument("--temperature", type=float, help="0 gives the same answer to the same question")
    tune.add_argument("--answer-tokens", type=int, help="the longest answer, in tokens")
    tune.add_argument("--reset", action="store_true", help="back to the defaults from the model's file")
    offline = actions.add_parser("offline", parents=[common], help="on: never download; off: downloads allowed")
    offline.add_argument("state", choices=["on", "off", "status"])


def run(args, print_json) -> int:
    data_dir = args.data_dir_resolved
    return ACTIONS[args.models_command](data_dir, args, print_json)


def _entry_json(entry, installed: dict, current: Path, machine: Machine) -> dict:
    ok, why = catalog.runs_well(entry, machine)
    here = installed.get(entry.file)
    return {"name": entry.name, "title": entry.title, "file": entry.file, "repo": entry.repo,
            "size_bytes": entry.size_bytes, "ram_bytes": entry.ram_bytes, "parameters_b": entry.parameters_b,
            "quantisation": entry.quantisation, "licence": entry.licence, "sha256": entry.sha256,
            "bundled": entry.bundled, "installed": here is not None, "path": str(here.path) if here else None,
            "in_use": bool(here) and here.path.resolve() == current.resolve(), "runs_well": ok, "why": why}


def _list(data_dir, args, print_json) -> int:
    machine = Machine.this_one()
    installed = {m.path.name: m for m in model_library.library(data_dir).installed()}
    current = model_library.current_path(data_dir, args.model)
    rows = [_entry_json(e, installed, current, machine) for e in model_library.entries()]
    known = {e.file for e in model_library.entries()}
    others = [{"name": m.name, "title": m.title, "file": m.path.name, "path": str(m.path), "installed": True,
               "in_use": m.path.resolve() == current.resolve(), "kind": m.kind}
              for m in installed.values() if m.path.name not in known]
    if args.json:
        print_json({"machine": {"ram_bytes": machine.ram_bytes, "physical_cores": machine.physical_cores},
                    "offline": Settings.load(data_dir).offline, "catalog": rows, "other": others})
        return 0
    print(f"This computer: {machine.describe()}.")
    for r in rows + others:
        mark = "*" if r["in_use"] else ("+" if r["installed"] else " ")
        size = catalog.size_label(r["size_bytes"]) if "size_bytes" in r else "on disk"
        fit = "" if r.get("runs_well", True) else f"  ({r['why']})"
        print(f" {mark} {r['name']:<16} {size:>8}  {printable(r['title'])}{fit}")
    print("\n* answers now   + on this computer   (mnemo models download NAME; mnemo models use NAME)")
    return 0


def _recommend(data_dir, args, print_json) -> int:
    machine = Machine.this_one()
    best = catalog.recommend(model_library.entries(), machine)
    if args.json:
        print_json({"name": best.name if best else None, "title": best.title if best else None,
                    "size_bytes": best.size_bytes if best else None,
                    "why": catalog.runs_well(best, machine)[1] if best else "only the bundled model runs well here"})
        return 0
    if best is None:
        print(f"This computer ({machine.describe()}) runs the bundled model best.")
    else:
        print(f"{best.title} ({best.size_label}): {catalog.runs_well(best, machine)[1]}.\n"
              f"Get it with: mnemo models download {best.name}")
    return 0


def _download(data_dir, args, print_json) -> int:
    cancel = threading.Event()
    last = [0.0]

    def show(progress) -> None:
        now = time.monotonic()
        if not args.json and (now - last[0] > 0.5 or progress.done == progress.total):
            last[0] = now
            print(f"\r{progress.describe():<70}", end="", file=sys.stderr, flush=True)

    try:
        path = model_library.fetch(data_dir, args.name, on_progress=show, cancel=cancel)
    except KeyboardInterrupt:
        cancel.set()
        raise
    if not args.json:
        print(file=sys.stderr)
    entry = catalog.find(model_library.entries(), args.name)
    if args.json:
        print_json({"name": entry.name, "path": str(path), "sha256": entry.sha256, "verified": True})
    else:
        print(f"{entry.title} is ready ({path}). Answer with it: mnemo models use {entry.name}")
    return 0


def _remove(data_dir, args, print_json) -> int:
    model, was_current = model_library.remove(data_dir, args.name)
    if args.json:
        print_json({"name": model.name, "path": str(model.path), "kind": model.kind, "bundled_answers_now": was_current})
    else:
        done = "deleted" if model.kind == "downloaded" else "taken out of the library (the file is still there)"
        print(f"{model.title}: {done}." + (" The bundled model answers again." if was_current else ""))
    return 0


def _use(data_dir, args, print_json) -> int:
    model = model_library.use(data_dir, args.name)
    if args.json:
        print_json({"name": model.name, "path": str(model.path), "kind": model.kind})
    else:
        print(f"{model.title} answers from now on (the app switches at its next start, or in Models…).")
    return 0


def _add(data_dir, args, print_json) -> int:
    model = model_library.add(data_dir, args.path)
    if args.json:
        print_json({"name": model.name, "path": str(model.path), "kind": model.kind})
    else:
        print(f"Added {model.path}. Answer with it: mnemo models use {model.name}")
    return 0


def _settings(data_dir, args, print_json) -> int:
    path = model_library.library(data_dir).find(args.name).path if args.name else \
        model_library.current_path(data_dir, args.model)
    changes = {"context": args.context, "threads": args.threads, "temperature": args.temperature,
               "answer_tokens": args.answer_tokens}
    if args.reset or any(v is not None for v in changes.values()):
        resolved = model_library.change_settings(data_dir, path, changes, reset=args.reset)
        changed = Settings.load(data_dir).models.get(path.name, {})
    else:
        resolved, changed = model_library.settings_of(data_dir, path)
    if args.json:
        print_json({"model": path.name, "settings": resolved.to_dict(), "changed": sorted(changed)})
        return 0
    print(f"{path.name}:")
    for key, value in resolved.to_dict().items():
        print(f"  {key:<14} {value}{'' if key in changed else '  (default)'}")
    return 0


def _offline(data_dir, args, print_json) -> int:
    if args.state != "status":
        model_library.set_offline(data_dir, args.state == "on")
    offline = Settings.load(data_dir).offline
    if args.json:
        print_json({"offline": offline})
    else:
        print("Offline: Mnemo downloads nothing." if offline else
              "Online for model downloads you ask for (Mnemo makes no other connection).")
    return 0


ACTIONS = {"list": _list, "recommend": _recommend, "download": _download, "remove": _remove, "use": _use,
           "add": _add, "settings": _settings, "offline": _offline}
