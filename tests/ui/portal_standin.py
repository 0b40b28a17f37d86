"""A stand-in for the desktop's xdg-desktop-portal on a private D-Bus session, for the global
shortcut tests: `python portal_standin.py ADDRESS [--without-shortcuts]`.

It owns org.freedesktop.portal.Desktop and answers the parts of
org.freedesktop.portal.GlobalShortcuts (version 1) that Mnemo uses, as the real portal does:
each call returns a Request handle at once and the result follows as that Request's Response
signal. It prints one JSON line per call it receives (`{"call": "BindShortcuts", ...}`) and
"ready" once it owns its name. A test presses the shortcut by calling `org.mnemo.Test.Press`
(shortcut id) on it: it then emits GlobalShortcuts.Activated for every session that bound it.
`--without-shortcuts`: a portal without the GlobalShortcuts interface (as on most X11 desktops).
"""
from __future__ import annotations

import json
import sys

from jeepney import DBusAddress, HeaderFields, MessageType, new_error, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

NAME = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
SHORTCUTS = "org.freedesktop.portal.GlobalShortcuts"
TRIGGER = "Ctrl+Shift+Space"  # what the desktop says the user's trigger is


def plain(value):
    """A D-Bus body as JSON-friendly values (variants unwrapped)."""
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str) and value[0] in ("s", "u", "b", "o"):
        return value[1]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


class Portal:
    def __init__(self, conn, with_shortcuts: bool):
        self.conn = conn
        self.with_shortcuts = with_shortcuts
        self.sessions: dict[str, list[str]] = {}  # session handle -> bound shortcut ids

    def request_path(self, msg, options) -> str:
        sender = msg.header.fields[HeaderFields.sender][1:].replace(".", "_")
        token = plain(options.get("handle_token", ("s", "t0")))
        return f"{PATH}/request/{sender}/{token}"

    def respond(self, request: str, results: dict) -> None:
        signal = new_signal(DBusAddress(request, interface="org.freedesktop.portal.Request"), "Response",
                            "ua{sv}", (0, results))
        self.conn.send(signal)

    def handle(self, msg) -> None:
        fields = msg.header.fields
        interface, member = fields.get(HeaderFields.interface), fields.get(HeaderFields.member)
        print(json.dumps({"call": member, "interface": interface, "path": fields.get(HeaderFields.path),
                          "body": plain(msg.body)}), flush=True)
        if interface == "org.freedesktop.DBus.Properties" and member == "Get":
            if msg.body[0] == SHORTCUTS and self.with_shortcuts and msg.body[1] == "version":
                return self.conn.send(new_method_return(msg, "v", (("u", 1),)))
            return self.conn.send(new_error(msg, "org.freedesktop.DBus.Error.InvalidArgs", "s",
                                            (f"No such interface “{msg.body[0]}”",)))
        if interface == SHORTCUTS and self.with_shortcuts and member == "CreateSession":
            options = msg.body[0]
            request = self.request_path(msg, options)
            sender = fields[HeaderFields.sender][1:].replace(".", "_")
            session = f"{PATH}/session/{sender}/{plain(options['session_handle_token'])}"
            self.sessions[session] = []
            self.conn.send(new_method_return(msg, "o", (request,)))
            return self.respond(request, {"session_handle": ("s", session)})
        if interface == SHORTCUTS and self.with_shortcuts and member == "BindShortcuts":
            session, shortcuts, _parent, options = msg.body
            request = self.request_path(msg, options)
            self.sessions[session] = [sid for sid, _info in shortcuts]
            self.conn.send(new_method_return(msg, "o", (request,)))
            bound = [(sid, {"description": info["description"], "trigger_description": ("s", TRIGGER)})
                     for sid, info in shortcuts]
            return self.respond(request, {"shortcuts": ("a(sa{sv})", bound)})
        if interface == "org.freedesktop.portal.Session" and member == "Close":
            self.sessions.pop(fields[HeaderFields.path], None)
            return self.conn.send(new_method_return(msg))
        if interface == "org.mnemo.Test" and member == "Press":
            for session, ids in self.sessions.items():
                if msg.body[0] in ids:
                    self.conn.send(new_signal(DBusAddress(PATH, interface=SHORTCUTS), "Activated", "osta{sv}",
                                              (session, msg.body[0], 1234, {})))
            return self.conn.send(new_method_return(msg))
        self.conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s",
                                 (f"No such method {interface}.{member}",)))


def main(address: str, with_shortcuts: bool) -> None:
    conn = open_dbus_connection(address)
    conn.send_and_get_reply(message_bus.RequestName(NAME))
    portal = Portal(conn, with_shortcuts)
    print("ready", flush=True)
    while True:
        msg = conn.receive()
        if msg.header.message_type == MessageType.method_call:
            portal.handle(msg)


if __name__ == "__main__":
    main(sys.argv[1], "--without-shortcuts" not in sys.argv)
