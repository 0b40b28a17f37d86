"""A Quick Capture shortcut that works everywhere on the desktop, registered through the XDG
GlobalShortcuts portal (org.freedesktop.portal.GlobalShortcuts: KDE Plasma, GNOME 48+, Hyprland,
and others, on Wayland and X11): the running app creates a portal session, binds "quick-capture"
with a preferred trigger, and `activated` fires whenever the user presses it, wherever the focus is.

Where there is no portal, or it has no GlobalShortcuts (most X11 desktops), `state` says so and
Preferences ▸ Keyboard Shortcuts offers the fallbacks (ui/gnome_keybinding.py, or binding
`mnemo-gui --quick-capture` by hand).

D-Bus goes through jeepney (pure Python, also what keyring uses on Linux) on a worker thread:
PySide6's QtDBus cannot send BindShortcuts' `a(sa{sv})` argument from Python (it needs a
D-Bus-registered C++ type, and qDBusRegisterMetaType is not in the bindings). Results reach the
GUI thread as Qt signals."""
from __future__ import annotations

import queue
import secrets
import threading

from PySide6.QtCore import QObject, Signal

SHORTCUT_ID = "quick-capture"
DESCRIPTION = "Open Mnemo's Quick Capture"
PREFERRED = "CTRL+SHIFT+space"  # the XDG shortcuts syntax; the desktop may let the user pick another
PREFERRED_TEXT = "Ctrl+Shift+Space"
APP_ID = "mnemo"  # the .desktop file's name (app.setDesktopFileName)

NAME = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
INTERFACE = "org.freedesktop.portal.GlobalShortcuts"
ANSWER_WAIT = 300.0  # seconds: binding may show the user a dialog first

# states
NOT_ASKED, ASKING, REGISTERED, UNAVAILABLE, REFUSED = "not asked", "asking", "registered", "unavailable", "refused"


class GlobalShortcut(QObject):
    """`start()` asks the desktop (in the background); `state` and `trigger` say how it went
    (`changed` fires then); `activated` fires on each press. `stop()` closes the session."""

    activated = Signal()
    changed = Signal()
    _report = Signal(str, str, str)  # from the worker thread: state, trigger, reason
    _pressed = Signal()  # from the worker thread; re-emitted as `activated` on the GUI thread

    def __init__(self, parent: QObject | None = None, bus: str = "SESSION"):
        super().__init__(parent)
        self.bus = bus
        self.state, self.trigger, self.reason = NOT_ASKED, "", ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._report.connect(self._set)
        self._pressed.connect(self._press)

    @property
    def registered(self) -> bool:
        return self.state == REGISTERED

    def start(self) -> None:
        if self._thread is not None:
            return
        self._set(ASKING, "", "")
        self._thread = threading.Thread(target=self._run, name="mnemo-global-shortcut", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _press(self) -> None:
        self.activated.emit()

    def _set(self, state: str, trigger: str, reason: str) -> None:
        self.state, self.trigger, self.reason = state, trigger, reason
        self.changed.emit()

    # --- on the worker thread ---

    def _run(self) -> None:
        try:
            from jeepney.io.threading import DBusRouter, open_dbus_connection

            conn = open_dbus_connection(self.bus)
        except Exception as exc:  # no session bus (a bare X11 session, a test, a container)
            self._report.emit(UNAVAILABLE, "", f"there is no desktop session bus ({exc.__class__.__name__})")
            return
        router = DBusRouter(conn)
        try:
            _Session(router, self).run()
        except Exception as exc:  # the portal went away, or answered something unexpected
            if not self._stop.is_set():
                self._report.emit(UNAVAILABLE, "", f"the desktop's shortcut service failed ({exc})")
        finally:
            router.close()
            conn.close()


class _Session:
    """One conversation with the portal, on the worker thread."""

    def __init__(self, router, owner: GlobalShortcut):
        from jeepney import DBusAddress

        self.router, self.owner = router, owner
        self.portal = DBusAddress(PATH, bus_name=NAME, interface=INTERFACE)
        self.sender = router.unique_name[1:].replace(".", "_")

    def call(self, address, method: str, signature: str, body: tuple):
        from jeepney import new_method_call
        from jeepney.wrappers import unwrap_msg

        return unwrap_msg(self.router.send_and_get_reply(new_method_call(address, method, signature, body),
                                                         timeout=30))

    def watch(self, **rule):
        from jeepney import MatchRule
        from jeepney.bus_messages import message_bus

        match = MatchRule(type="signal", **rule)
        self.call(message_bus, "AddMatch", "s", (match.serialise(),))
        return self.router.filter(match, queue=queue.Queue(), bufsize=0)

    def request(self, method: str, signature: str, body_without_options: tuple, options: dict):
        """A portal call whose answer comes as a Request's Response: (response code, results)."""
        token = "mnemo_" + secrets.token_hex(6)
        options = dict(options, handle_token=("s", token))
        with self.watch(interface="org.freedesktop.portal.Request", member="Response",
                        path=f"{PATH}/request/{self.sender}/{token}") as answers:
            self.call(self.portal, method, signature, body_without_options + (options,))
            return self.wait(answers, ANSWER_WAIT).body

    def wait(self, answers, seconds: float):
        waited = 0.0
        while not self.owner._stop.is_set():
            try:
                return answers.get(timeout=0.25)
            except queue.Empty:
                waited += 0.25
                if waited >= seconds:
                    raise TimeoutError(f"no answer in {seconds:.0f} s")
        raise InterruptedError("stopped")

    def run(self) -> None:
        from jeepney import DBusAddress, Properties

        try:  # a program not from Flatpak says who it is, first (xdg-desktop-portal 1.19+; older ones lack it)
            self.call(DBusAddress(PATH, NAME, "org.freedesktop.host.portal.Registry"), "Register", "sa{sv}",
                      (APP_ID, {}))
        except Exception:
            pass
        try:
            self.call(Properties(self.portal).props_if, "Get", "ss", (INTERFACE, "version"))
        except Exception:  # no portal, or one without GlobalShortcuts
            self.owner._report.emit(UNAVAILABLE, "", "your desktop has no global shortcut service")
            return
        code, results = self.request("CreateSession", "a{sv}", (),
                                     {"session_handle_token": ("s", "mnemo_" + secrets.token_hex(6))})
        if code != 0:
            self.owner._report.emit(REFUSED, "", "the desktop did not open a shortcut session")
            return
        session = results["session_handle"][1]
        try:
            self.bind_and_listen(session)
        finally:
            try:
                self.call(DBusAddress(session, NAME, "org.freedesktop.portal.Session"), "Close", "", ())
            except Exception:
                pass

    def bind_and_listen(self, session: str) -> None:
        with self.watch(interface=INTERFACE, member="Activated", path=PATH) as presses:
            shortcut = (SHORTCUT_ID, {"description": ("s", DESCRIPTION), "preferred_trigger": ("s", PREFERRED)})
            code, results = self.request("BindShortcuts", "oa(sa{sv})sa{sv}", (session, [shortcut], ""), {})
            if code != 0:
                self.owner._report.emit(REFUSED, "", "the shortcut was declined" if code == 1 else
                                        "the desktop could not bind the shortcut")
                return
            bound = dict(results.get("shortcuts", ("", []))[1])
            if SHORTCUT_ID not in bound:
                self.owner._report.emit(REFUSED, "", "the desktop did not bind the shortcut")
                return
            trigger = bound[SHORTCUT_ID].get("trigger_description", ("s", ""))[1]
            self.owner._report.emit(REGISTERED, trigger or PREFERRED_TEXT, "")
            while not self.owner._stop.is_set():
                try:
                    press = presses.get(timeout=0.25)
                except queue.Empty:
                    continue
                if press.body[0] == session and press.body[1] == SHORTCUT_ID:
                    self.owner._pressed.emit()
