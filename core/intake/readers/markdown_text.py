"""Reading one Markdown note's text: its front matter (YAML between `---` lines, parsed with
PyYAML's safe loader), the time and tags it gives, wiki links put in words, embedded
attachments taken out, and the inline #tags of the text.

- Front matter: the file's first line is `---`, and a line `---` (or `...`) closes it within
  MAX_FRONT_MATTER characters. A block that is not a set of properties (a rule `---` above
  plain text) is kept as text. Invalid YAML, or a date property that is not a date, is an
  ImportFormatError naming the line or the property (the folder's reader leaves that one file
  out, with the reason).
- Time: the first of TIME_KEYS present (a YAML date or time, ISO-8601 text, a date in words, or
  seconds / milliseconds since 1970). Times without a zone are this computer's local time (the
  notes were written here), a date alone its midnight.
- Tags: `tags` / `tag` (a list, or words separated by commas or spaces, '#' optional) and the
  #tags in the text (Obsidian's rule: letters, digits, _ - /, not only digits; never inside
  code or a link's address).
- `[[Target]]` reads "Target", `[[Target|alias]]` "alias", `[[Target#Part]]` "Target > Part";
  `![[picture.png]]` and `![alt](picture.png)` (attachments) are taken out and counted, while
  `![[Other note]]` reads "Other note"."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from .model import ImportFormatError
from .times import EARLIEST, LATEST, _shown

MAX_FRONT_MATTER = 64 * 1024  # characters; a longer block is not taken for properties
MAX_TAGS = 64  # per note
MAX_TAG_CHARS = 100
TIME_KEYS = ("date", "created", "date created", "created_at", "creation date", "datecreated", "created date",
             "updated", "modified", "date modified", "last modified", "updated_at", "modified_at", "lastmod")
TAG_KEYS = ("tags", "tag")
BAD_YAML = "the front matter (between the --- lines) is not valid YAML"
BAD_DATE = "a date in the front matter is not a date such as 2024-05-01"
NOTE_SUFFIXES = ("", ".md", ".markdown")  # an embed of one of these is a note, not an attachment

_OPEN = re.compile(r"\A---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_EMBED = re.compile(r"!\[\[([^\[\]\n]*)\]\]")
_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\(([^()\n]*)\)")
_LINK = re.compile(r"\[\[([^\[\]\n]*)\]\]")
_CODE = re.compile(r"^(`{3,}|~{3,}).*?(?:^\1[ \t]*$|\Z)|`[^`\n]*`", re.M | re.S)
_URL = re.compile(r"\b(?:https?|ftp|file|obsidian)://\S+|\]\([^()\s]*\)")
_TAG = re.compile(r"(?<![\w#&/\\])#([\w/-]{1,200})")
_SPLIT_TAGS = re.compile(r"[,\s]+")
_GAPS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


class NoteProblem(ImportFormatError):
    """Why one note cannot be read: `reason` (the same for every note with that problem, for the
    report) and `detail` (this note's particulars)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason, self.detail = reason, _clip(detail, 120)


@dataclass
class MarkdownNote:
    text: str  # the body, links in words, attachments taken out
    at: datetime | None  # from the front matter
    tags: tuple[str, ...] = ()
    title: str | None = None  # the front matter's `title`, when it has one
    attachments: list[str] = field(default_factory=list)  # embedded attachments taken out


def read_note(raw: str) -> MarkdownNote:
    """One note's text (newlines already "\\n"). Raises ImportFormatError with a sentence."""
    properties, body = front_matter(raw)
    at = note_time(properties)
    title = properties.get("title") if isinstance(properties.get("title"), str) else None
    attachments: list[str] = []
    text = readable(body, attachments)
    tags = unique_tags([*property_tags(properties), *inline_tags(body)])
    return MarkdownNote(text, at, tags, title.strip() or None if title else None, attachments)


def front_matter(raw: str) -> tuple[dict, str]:
    """(properties, the rest of the text). No front matter: ({}, raw)."""
    opened = _OPEN.match(raw)
    if opened is None:
        return {}, raw
    closed = _CLOSE.search(raw, opened.end(), opened.end() + MAX_FRONT_MATTER + 4)
    if closed is None:
        return {}, raw  # a rule at the top of the text, not properties
    block, rest = raw[opened.end():closed.start()], raw[closed.end() + 1:]
    properties = _yaml(block)
    if properties is None:
        return {}, rest
    if not isinstance(properties, dict):
        return {}, raw  # `---`, plain text, `---`: rules around text
    return {str(k).strip().casefold() if isinstance(k, str) else k: v for k, v in properties.items()}, rest


def _yaml(block: str):
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(block, Loader=loader)  # noqa: S506 (a safe loader: plain data only)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "it cannot be read"
        at = f" at line {mark.line + 2}" if mark is not None else ""  # (+1 for the opening ---)
        raise NoteProblem(BAD_YAML, f"{_clip(problem)}{at}") from None
    except (RecursionError, MemoryError, ValueError, TypeError, OverflowError):
        raise NoteProblem(BAD_YAML, "nested too deep or out of range") from None


def note_time(properties: dict) -> datetime | None:
    """The note's time from the first time property present, or None."""
    for key in TIME_KEYS:
        value = properties.get(key)
        if value is not None and value != "":
            return property_time(value, key)
    return None


def property_time(value, key: str) -> datetime:
    what = f"'{_clip(key, 30)}'"
    if isinstance(value, list) and len(value) == 1:
        value = value[0]  # (Obsidian's list properties)
    if isinstance(value, datetime):
        return checked(value, what)
    if isinstance(value, date):
        return checked(datetime.combine(value, time()), what)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise NoteProblem(BAD_DATE, f"{what} is {_shown(value)}")
        seconds = value / 1000 if abs(value) >= 1e11 else value  # milliseconds, as some plugins write
        try:
            return checked(datetime.fromtimestamp(seconds, timezone.utc), what)
        except (OverflowError, OSError, ValueError):
            raise NoteProblem(BAD_DATE, f"{what} is {_clip(str(value))}") from None
    if isinstance(value, str):
        found = text_time(value)
        if found is None:
            raise NoteProblem(BAD_DATE, f"{what} is '{_clip(value)}'")
        return checked(found, what)
    raise NoteProblem(BAD_DATE, f"{what} is {_shown(value)}")


def text_time(value: str) -> datetime | None:
    """A date or time written as text (ISO-8601 first, then dateparser for "5 March 2024",
    "12.01.2023": dots are day first), or None. Only short text that holds a digit is tried."""
    raw = value.strip().strip("[]\"'")
    if not raw or len(raw) > 60 or not any(c.isdigit() for c in raw):
        return None
    try:
        return datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw)
    except ValueError:
        pass
    import dateparser

    settings = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"],
                "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DATES_FROM": "past"}
    if re.fullmatch(r"\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}.*", raw):
        settings["DATE_ORDER"] = "DMY"
    try:
        return dateparser.parse(raw, settings=settings)
    except Exception:  # dateparser is forgiving, but a note must never fail on it
        return None


def checked(moment: datetime, what: str) -> datetime:
    """In UTC; a time without a zone is this computer's local time. Implausible: ImportFormatError."""
    try:
        moment = (moment.astimezone() if moment.tzinfo is None else moment).astimezone(timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise NoteProblem(BAD_DATE, f"{what} is {_clip(str(moment))}") from None
    if not EARLIEST <= moment < LATEST:
        raise NoteProblem(BAD_DATE, f"{what} is {moment.date()}, not a plausible date for a note")
    return moment


def property_tags(properties: dict) -> list[str]:
    out: list[str] = []
    for key in TAG_KEYS:
        value = properties.get(key)
        items = value if isinstance(value, list) else [value]
        for item in items[:MAX_TAGS * 2]:
            if isinstance(item, (str, int)) and not isinstance(item, bool):
                out += [t for t in _SPLIT_TAGS.split(str(item)) if t]
    return out


def inline_tags(body: str) -> list[str]:
    """The #tags of the text, outside code and link addresses."""
    text = _URL.sub(" ", _CODE.sub(" ", body))
    found = []
    for match in _TAG.finditer(text):
        tag = match.group(1).rstrip("/-")
        if tag and not tag.replace("/", "").replace("-", "").replace("_", "").isdigit():
            found.append(tag)
            if len(found) >= MAX_TAGS * 2:
                break
    return found


def unique_tags(tags: list[str]) -> tuple[str, ...]:
    """Without '#', each once (Obsidian's tags ignore case), at most MAX_TAGS."""
    seen, out = set(), []
    for tag in tags:
        tag = tag.strip().lstrip("#").strip()[:MAX_TAG_CHARS]
        if tag and tag.casefold() not in seen and any(not c.isdigit() for c in tag):
            seen.add(tag.casefold())
            out.append(tag)
    return tuple(out[:MAX_TAGS])


def readable(body: str, attachments: list[str]) -> str:
    """Links in words; embedded attachments (recorded in `attachments`) taken out."""

    def embed(match: re.Match) -> str:
        target = match.group(1).split("|", 1)[0].split("#", 1)[0].strip()
        if is_note_name(target):
            return link_words(match.group(1))
        attachments.append(target)
        return ""

    def image(match: re.Match) -> str:
        attachments.append(match.group(2).strip() or match.group(1).strip())
        return ""

    text = _EMBED.sub(embed, body)
    text = _IMAGE.sub(image, text)
    text = _LINK.sub(lambda m: link_words(m.group(1)), text)
    return _GAPS.sub("\n\n", text) if attachments else text  # (where an embed stood alone on its line)


def link_words(inner: str) -> str:
    """What a wiki link reads as: its alias, else its target (a heading after ' > ')."""
    target, _, alias = inner.partition("|")
    if alias.strip():
        return alias.strip()
    page, _, part = target.partition("#")
    page, part = page.strip(), part.strip()
    if part.startswith("^"):
        part = ""  # a block's id reads as nothing
    if page.casefold().endswith((".md", ".markdown")):
        page = page.rsplit(".", 1)[0]
    page = page.rsplit("/", 1)[-1].strip()
    return f"{page} > {part}" if page and part else page or part


def is_note_name(target: str) -> bool:
    """An embed of a note (no suffix, .md, or a name with dots in it such as "Minutes 2024.01.05")
    rather than of an attachment (picture.png, paper.pdf)."""
    name = target.rsplit("/", 1)[-1]
    suffix = name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    return not suffix or f".{suffix}" in NOTE_SUFFIXES or not any(c.isalpha() for c in suffix) or " " in suffix


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
