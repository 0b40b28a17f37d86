"""WhatsApp chat exports (a chat's menu ▸ More ▸ Export chat): the chat as text, alone or in the
zip WhatsApp writes with its media ("WhatsApp Chat with Ana.zip" holding "WhatsApp Chat with
Ana.txt", or on an iPhone "WhatsApp Chat - Ana.zip" holding "_chat.txt").

    31/12/2023, 21:05 - Ana: We land in Porto at 9     Android, 24-hour clock
    12/31/23, 9:05 PM - Ana: We land in Porto at 9     Android, 12-hour clock (U+202F before PM)
    [31.12.23, 21:05:09] Ana: We land in Porto at 9    iPhone (any date order, localized AM/PM)
    and the flat has a balcony                         a line without a date continues the message

Every message is said by a named person; which one is the user is settled later (--me NAME,
unless the file shows it: "You deleted this message" under the user's name). The order of day
and month is the file's own: the reading that keeps every date valid and the file in time
order; when both readings do, the user chooses (--format whatsapp-dmy or whatsapp-mdy). Times
are the phone's local time. Notices (encryption, joins, group changes, calls), media and
deleted messages are left out and counted; a line whose date cannot be read is rejected."""
from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Callable, Iterable

from .chat_times import local_time
from .model import MAX_TURN_CHARS, ImportFormatError, ParsedImport
from .transcript import ASSISTANT_NAMES, USER_NAMES

NAME = "whatsapp"
MEMBERS = ("_chat.txt", "*WhatsApp*.txt")  # the chat's text inside WhatsApp's zip

Lines = Iterable[tuple[int, str, bool]]
S = r"[ \u00a0\u202f\u2009]"  # WhatsApp writes narrow no-break spaces (U+202F) before AM/PM
MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"  # direction marks
HEADER = re.compile(
    rf"^[{MARKS}]*(?P<open>\[)?(?P<date>\d{{1,4}}[./-]{S}?\d{{1,2}}[./-]{S}?\d{{1,4}})\.?,?{S}+"
    rf"(?:(?P<pre>上午|下午|午前|午後|오전|오후){S}?|[^\W\d_]{{1,3}}\.?{S})?"  # a mark or a word ("klo")
    rf"(?P<time>\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?)(?P<ampm>(?:{S}*[^\W\d_][^\W\d_.\s]{{0,5}}\.?){{0,3}})"
    rf"{S}*(?(open)\]{S}*|[-–]{S}+)(?P<rest>.*)$")
AM = {"am", "a", "vorm", "πμ", "ص", "上午", "午前", "오전", "pg", "öö", "fm", "sa"}
PM = {"pm", "p", "nachm", "μμ", "م", "下午", "午後", "오후", "ptg", "ös", "em", "ch"}
SPEAKER = re.compile(rf"^(?P<name>[^:]{{1,80}}?):(?:{S}(?P<text>.*))?$", re.S)
QUOTES = set("\"“”„«»")  # a "name" holding these is a notice: Ana changed the subject to "Trip: Porto"

NOTICE = "a WhatsApp notice (encryption, joins, group changes, calls)"
MEDIA = "a photo, video or other attachment (media are not imported)"
DELETED = "a deleted message"
DELETED_TEXTS = re.compile(r"^(this message was deleted|you deleted this message|diese nachricht wurde gelöscht|"
                           r"du hast diese nachricht gelöscht|se eliminó este mensaje|eliminaste este mensaje|"
                           r"ce message a été supprimé|vous avez supprimé ce message|essa mensagem foi apagada|"
                           r"você apagou esta mensagem|questo messaggio è stato eliminato|"
                           r"hai eliminato questo messaggio)\.?$", re.I)
MINE_DELETED = re.compile(r"^(you deleted this message|du hast diese nachricht gelöscht|eliminaste este mensaje|"
                          r"vous avez supprimé ce message|você apagou esta mensagem|"
                          r"hai eliminato questo messaggio)\.?$", re.I)
ATTACHMENT = re.compile(
    r"^(<(media omitted|medien ausgeschlossen|multimedia omitido|médias omis|mídia oculta|media weggelaten|"
    r"media omessi|attached: [^<>]+)>|null|.{1,200}\.\w{1,5} \((file attached|datei angehängt|archivo adjunto|"
    r"fichier joint|arquivo anexado|file allegato|bestand bijgevoegd)\)|(img|vid|aud|ptt|stk|doc)-\d{8}-wa\d+\.\w+.*)$",
    re.I)
IPHONE_MEDIA = re.compile(r"^(.{0,200}\b(image|video|audio|sticker|gif|document|contact card) omitted|"
                          r"<attached: [^<>]+>)$", re.I)  # (marked as written by WhatsApp: U+200E first)
EDITED = re.compile(rf"{S}*[{MARKS}]*<(this message was edited|diese nachricht wurde bearbeitet|"
                    r"se editó este mensaje|ce message a été modifié|esta mensagem foi editada)>\s*$", re.I)
KEPT_CHARS = 4 * MAX_TURN_CHARS  # of one message's lines (before cleaning); a longer one is rejected unkept
ORDERS = ("dmy", "mdy")
SLACK = timedelta(days=1)  # a message may be dated a little before the one above it (a phone offline)


def looks_like(lines: Lines) -> bool:
    """Does the file start with a WhatsApp message line (and not a transcript's "[2024-05-01 10:02] User:")?"""
    seen = 0
    for _, line, _cut in lines:
        if not line.strip():
            continue
        match = _header(line)
        if seen == 0 and match is None:
            return False
        if match is not None:
            speaker = _speaker(match.group("rest"))[0]
            if (re.match(r"\d{4}-", match.group("date")) and speaker is not None
                    and speaker.casefold() in USER_NAMES | ASSISTANT_NAMES):
                return False
        seen += 1
        if seen >= 20:
            break
    return seen > 0


def parse(lines: Callable[[], Lines], conversation: str, order: str | None = None) -> ParsedImport:
    """`lines()` gives the file's lines afresh: read twice, once for the order of day and month
    (unless `order` is given), once for the messages, a line at a time."""
    conversation = "WhatsApp chat" if conversation == "_chat" else conversation  # (an iPhone's, out of its zip)
    order = order or _order(lines(), conversation)
    result = ParsedImport("whatsapp")
    mine: set[str] = set()
    current: dict | None = None
    headers = 0

    def flush() -> None:
        if current is None or current.get("dropped"):
            return
        where = f"line {current['line']}"
        if current["size"] > KEPT_CHARS:  # its lines were not kept past the limit
            result.rejected.add(f"the message is longer than {MAX_TURN_CHARS:,} characters", where)
            return
        _message(result, "\n".join(current["lines"]), current["speaker"], conversation, current["at"], where, mine)

    for n, line, cut in lines():
        match = _header(line)
        if match is None:
            if current is None:
                if line.strip():
                    result.rejected.add("a line before the first message", f"line {n}")
            elif not current.get("dropped"):
                current["size"] += len(line) + 1 + (KEPT_CHARS if cut else 0)
                if current["size"] <= KEPT_CHARS:
                    current["lines"].append(line)
                else:
                    current["lines"] = []  # too long to import: the rest is counted, not kept
            continue
        headers += 1
        flush()
        current = {"dropped": True}  # (until this line proves to be a message, its lines go with it)
        at = _when(match, order)
        if at is None:
            result.rejected.add("the date or time cannot be read", f"line {n}")
            continue
        speaker, text = _speaker(match.group("rest"))
        if speaker is None:
            result.skip(NOTICE, f"line {n}")
            continue
        current = {"lines": [text], "size": len(text) + (KEPT_CHARS if cut else 0), "speaker": speaker, "at": at,
                   "line": n}
    flush()
    if headers == 0:
        raise ImportFormatError(f"{conversation} holds no WhatsApp messages: a WhatsApp export has lines like "
                                "'31/12/2023, 21:05 - Ana: text' or '[31.12.23, 21:05:09] Ana: text'.")
    if len(mine) == 1 and next(iter(mine)) in result.speakers:
        result.me = next(iter(mine))  # "You deleted this message" was written under the user's name
    return result


class Variant:
    """`--format whatsapp-dmy` / `whatsapp-mdy`: the order of day and month chosen by the user."""

    MEMBERS = MEMBERS

    def __init__(self, name: str, order: str):
        self.NAME, self.order = name, order

    def looks_like(self, lines: Lines) -> bool:
        return False  # (chosen, never detected: detection is `whatsapp`)

    def parse(self, lines: Callable[[], Lines], conversation: str) -> ParsedImport:
        return parse(lines, conversation, self.order)


DAY_FIRST = Variant("whatsapp-dmy", "dmy")
MONTH_FIRST = Variant("whatsapp-mdy", "mdy")


def _message(result: ParsedImport, text: str, speaker: str, conversation: str, at, where: str,
             mine: set[str]) -> None:
    text = EDITED.sub("", text)
    plain = text.strip().lstrip(MARKS).strip()
    if DELETED_TEXTS.match(plain):
        result.skip(DELETED, where)
        if MINE_DELETED.match(plain):
            mine.add(speaker)
        return
    kept = [line for line in text.split("\n") if not _attachment(line)]
    if len(kept) < text.count("\n") + 1 and not "".join(kept).strip():
        result.skip(MEDIA, where)
        return
    if text.lstrip()[:1] and text.lstrip()[0] in MARKS:
        result.skip(NOTICE, where)  # (an iPhone marks what WhatsApp wrote itself: calls, notices)
        return
    result.add_spoken("\n".join(kept), speaker, conversation, at, where)


def _attachment(line: str) -> bool:
    bare = line.strip()
    marked, bare = bare[:1] in MARKS, bare.strip(MARKS + " ")
    return bool(ATTACHMENT.match(bare)) or (marked and bool(IPHONE_MEDIA.match(bare)))


def _header(line: str) -> re.Match | None:
    match = HEADER.match(line)
    if match is None or _ampm(match) == "?":
        return None
    return match


def _ampm(match: re.Match) -> str:
    """"am", "pm", "" (a 24-hour clock) or "?" (not a clock WhatsApp writes: not a message line)."""
    mark = match.group("pre") or re.sub(rf"[.\s{S[1:-1]}]", "", match.group("ampm") or "").casefold()
    if not mark:
        return ""
    return "am" if mark in AM else "pm" if mark in PM else "?"


def _speaker(rest: str) -> tuple[str | None, str]:
    """(name, text), or (None, the notice) for a line WhatsApp wrote itself ("Ana added Rui")."""
    match = SPEAKER.match(rest)
    if match is None:
        return None, rest
    name = " ".join(match.group("name").translate({ord(c): None for c in MARKS}).replace("~", " ").split())
    if not name or len(name) > 60 or QUOTES & set(name):
        return None, rest
    return name, match.group("text") or ""


def _fields(raw: str) -> tuple[str, str, str]:
    a, b, c = re.split(rf"[./-]{S}?", raw)
    return a, b, c


def _day(raw: str, order: str) -> date | None:
    a, b, c = _fields(raw)
    if len(a) == 4:
        year, month, day = a, b, c  # 2023/12/31 (Japanese, Swedish...)
    elif len(c) in (2, 4):
        day, month, year = (a, b, c) if order == "dmy" else (b, a, c)
    else:
        return None
    try:
        return date(int(year) + (2000 if len(year) == 2 else 0), int(month), int(day))
    except ValueError:
        return None


def _when(match: re.Match, order: str) -> datetime | None:
    day = _day(match.group("date"), order)
    parts = [int(p) for p in re.split(r"[:.]", match.group("time"))] + [0]
    hour, minute, second = parts[:3]
    mark = _ampm(match)
    if day is None or minute > 59 or second > 59 or hour > (12 if mark else 23):
        return None
    if mark:
        hour = hour % 12 + (12 if mark == "pm" else 0)
    try:
        return local_time(datetime(day.year, day.month, day.day, hour, minute, second), "the date")
    except ImportFormatError:
        return None


def _order(lines: Lines, conversation: str) -> str:
    """The order of day and month: the reading with the fewest impossible dates and steps back
    in time. Both without any, and different: the user is asked to choose."""
    errors, last = Counter(), {o: None for o in ORDERS}
    example = None
    for _, line, _cut in lines:
        match = _header(line)
        if match is None:
            continue
        days = {o: _day(match.group("date"), o) for o in ORDERS}
        if example is None and None not in days.values() and days["dmy"] != days["mdy"]:
            example = match.group("date")
        for o, day in days.items():
            if day is None or (last[o] is not None and day < last[o] - SLACK):
                errors[o] += 1
            else:
                last[o] = max(day, last[o] or day)
    if errors["dmy"] != errors["mdy"]:
        return min(ORDERS, key=lambda o: errors[o])
    if example is None:
        return "dmy"  # (every date reads the same either way)
    d, m = _day(example, "dmy"), _day(example, "mdy")
    raise ImportFormatError(
        f"Mnemo cannot tell the order of day and month in the chat '{conversation}': its dates read as valid and in time "
        f"order both ways ('{example}' is {d.day} {d:%B %Y} or {m.day} {m:%B %Y}). Import it again with --format "
        "whatsapp-dmy (day first, as 31/12/2023) or --format whatsapp-mdy (month first, as 12/31/2023).")
