"""`mnemo clients list | allow NAME [--write] [--token] | revoke NAME`: which other programs may use
the memory over MCP (`mnemo mcp`). None of these opens the memory store."""
from __future__ import annotations

import argparse

from .cli_common import printable
from .clients import Clients


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    clients = sub.add_parser("clients", parents=[common], help="programs allowed to use the memory over MCP")
    actions = clients.add_subparsers(dest="clients_command", required=True, metavar="ACTION")
    actions.add_parser("list", parents=[common], help="the allowed programs and their last use")
    allow = actions.add_parser("allow", parents=[common], help="let a program use the memory")
    allow.add_argument("name", help="the name the program gives when it connects")
    allow.add_argument("--write", action="store_true", help="it may also remember and forget")
    allow.add_argument("--token", action="store_true", help="a token for the HTTP endpoint (printed once)")
    revoke = actions.add_parser("revoke", parents=[common], help="take a program's access away")
    revoke.add_argument("name")


def run(args, print_json) -> int:
    clients = Clients(args.data_dir_resolved)
    if args.clients_command == "allow":
        client, token = clients.allow(args.name, write=args.write, token=args.token)
        if args.json:
            print_json({"name": client.name, "write": client.write, "token": token})
        else:
            how = "read and write" if client.write else "read only"
            print(f"{printable(client.name)} may use the memory ({how}).")
            if token:
                print(f"Its token for the HTTP endpoint (shown once): {token}")
        return 0
    if args.clients_command == "revoke":
        client = clients.revoke(args.name)
        print_json({"revoked": client.name}) if args.json else print(f"{printable(client.name)} may no longer use it.")
        return 0
    found = sorted(clients.all().values(), key=lambda c: c.name.casefold())
    if args.json:
        print_json([{"name": c.name, "write": c.write, "allowed_at": c.allowed_at, "last_used": c.last_used or None,
                     "token": bool(c.token_sha256)} for c in found])
        return 0
    if not found:
        print("No program may use the memory yet (mnemo clients allow NAME).")
    for c in found:
        print(f"{printable(c.name):<30} {'read and write' if c.write else 'read only':<15} "
              f"last used {c.last_used or 'never'}")
    return 0
