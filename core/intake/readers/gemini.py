"""Google Gemini through Takeout: "My Activity" ▸ "Gemini Apps" in JSON,
`Takeout/My Activity/Gemini Apps/MyActivity.json` (alone or inside the Takeout zip; folder and
file names follow the account's language, so any .json under a folder named with "Gemini" is
looked at, and read when its content is Gemini activity).

Its shape: a list of activity items, newest first, {"header": "Gemini Apps", "title":
"Prompted <what the user typed>", "time": ISO-8601, "products": ["Gemini Apps"],
"activityControls": [...], "safeHtmlItem": [{"html": "<p>Gemini's answer</p>"}], "subtitles",
"attachedFiles", ...}. Older items say "Bard".

- An item is a prompt when its title starts with "Prompted " (or "Asked ", "Asked: ", "Submitted
  query ", ...): the rest of the title (or its `text`, when it has one) is the user's turn, with
  "Attached 2 files." cut off; the HTML of `safeHtmlItem` put into plain text is the answer. A
  title in another language is a prompt when it has an answer. Items that are not prompts
  ("Used an extension", "Gave feedback", "Created Gemini Canvas ...") are left out and counted,
  so are other Google products' items.
- Takeout gives no conversation ids, so prompts are put into conversations by time: in time
  order, a new conversation starts after GAP (30 minutes) with no prompt; its id is
  "gemini-" and the time of its first prompt. Prompts without a time go together into
  "gemini-undated".
- An item that is not an object, has no title or an unreadable time is rejected with its place
  ("item 12", counted in the file's order) and the rest imports; a file that is not a list of
  items, or none of whose items can be read, is refused."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

from .model import MAX_TEXT_BYTES, MAX_TURNS, ImportFormatError, ParsedImport
from .times import iso_time
from .tolerant import BadRecord, each_record, kind_of, record_time

NAME = "gemini"
MEMBERS = ("MyActivity.json", "My Activity.json", "*Gemini*/*.json")  # read inside a Takeout zip

GAP = timedelta(minutes=30)
PROMPTS = ("Prompted with: ", "Prompted ", "Asked Gemini: ", "Asked Bard: ", "Asked: ", "Asked ",
           "Submitted query ", "Query submitted ", "Said ")
NOT_PROMPTS = ("Used", "Gave", "Created", "Selected", "Shared", "Deleted", "Viewed", "Visited", "Searched",
               "Edited", "Pinned", "Renamed", "Exported", "Updated", "Added", "Opened", "Listened", "Watched")
ATTACHED = re.compile(r"\s*Attached \d+ files?\.?\s*$", re.I)


def looks_like(data) -> bool:
    first = data[0] if isinstance(data, list) and data else None
    return isinstance(first, dict) and "title" in first and "time" in first and _is_gemini(first, strict=True)


def _is_gemini(item: dict, strict: bool = False) -> bool:
    labels = [item.get("header")] + (item["products"] if isinstance(item.get("products"), list) else [])
    labels = [label.casefold() for label in labels if isinstance(label, str) and label.strip()]
    if not labels:
        return not strict  # no label at all: this file is Gemini's
    return any("gemini" in label or "bard" in label for label in labels)


def parse(data) -> ParsedImport:
    result = ParsedImport(NAME)
    prompts: list[tuple[datetime | None, int, str, str]] = []  # (time, item, prompt, answer)
    size = [0]

    def read(n: int, item) -> None:
        prompt = _prompt(result, item, f"item {n}")
        if prompt is not None:
            prompts.append((prompt[0], n, prompt[1], prompt[2]))
            size[0] += len(prompt[1]) + len(prompt[2])
            if len(prompts) > MAX_TURNS or size[0] > MAX_TEXT_BYTES:  # (as ParsedImport counts them)
                raise ImportFormatError(f"The file holds more than {MAX_TURNS:,} prompts or "
                                        f"{MAX_TEXT_BYTES >> 20} MB of text; Mnemo imports at most that "
                                        "much at once. Nothing was imported.")
    each_record(data, result, read, "Gemini's activity (MyActivity.json)")
    prompts.sort(key=lambda p: (p[0] is None, p[0].timestamp() if p[0] else 0.0, p[1]))
    conversation, last = "", None
    for at, n, prompt, answer in prompts:
        if at is None:
            conversation = "gemini-undated"
        elif last is None or at - last > GAP:
            conversation = f"gemini-{at:%Y-%m-%dT%H:%M:%SZ}"
        last = at
        result.add_turn(prompt, "user", "", conversation, at, f"item {n}")
        if answer:
            result.add_turn(answer, "assistant", "", conversation, at, f"item {n}")
    return result


def _prompt(result: ParsedImport, item, where: str) -> tuple[datetime | None, str, str] | None:
    """(time, prompt, answer) of an item that is a prompt; others are counted and left out."""
    if not isinstance(item, dict):
        raise BadRecord("an activity item that is not an object", where, f"it should be an object, not "
                                                                         f"{kind_of(item)}")
    if not _is_gemini(item):
        result.skip("another Google product's activity", where)
        return None
    title = item.get("title")
    if not isinstance(title, str) or not title.strip():
        raise BadRecord("an activity item without a title", where, f"its 'title' should be text, not "
                                                                    f"{kind_of(title)}")
    title, answer = title.lstrip(), _answer(item)
    details = _details(item)
    verb = next((v for v in PROMPTS if title.startswith(v) or title.rstrip() == v.rstrip()), None)
    if details.get("request"):
        prompt, answer = details["request"], answer or details.get("response", "")
    elif verb is not None:
        text = item.get("text")
        prompt = text if isinstance(text, str) and text.strip() else title[len(verb):]
    elif title.split(" ", 1)[0].rstrip(":") in NOT_PROMPTS or not answer:
        word = title.split(" ", 1)[0].rstrip(":")
        result.skip(f"an activity that is not a prompt ('{word}')" if word in NOT_PROMPTS else
                    "an activity that is not a prompt", where)
        return None
    else:
        prompt = title.strip()  # another language: it has an answer, so it was a prompt
    at = record_time(item.get("time"), iso_time, where)
    tail = prompt[-40:]  # ("... Attached 2 files." cut off)
    cut = ATTACHED.search(tail)
    return at, (prompt[:len(prompt) - len(tail) + cut.start()] if cut else prompt).strip(), answer


def _answer(item: dict) -> str:
    parts = item.get("safeHtmlItem")
    parts = [parts] if isinstance(parts, dict) else parts if isinstance(parts, list) else []
    texts = [html_text(p["html"]) for p in parts if isinstance(p, dict) and isinstance(p.get("html"), str)]
    return "\n\n".join(t for t in texts if t)


def _details(item: dict) -> dict:
    """Some exports hold the exchange as details [{"name": "Request" | "Response", "value"}]."""
    found = {}
    details = item.get("details")
    for detail in details if isinstance(details, list) else []:
        if isinstance(detail, dict) and isinstance(detail.get("name"), str) and isinstance(detail.get("value"), str):
            found.setdefault(detail["name"].strip().casefold(), detail["value"])
    return found


PARAGRAPHS = {"p", "div", "ul", "ol", "table", "pre", "blockquote", "section", "article", "hr",
              "h1", "h2", "h3", "h4", "h5", "h6"}
LINES = {"br": "\n", "tr": "\n", "li": "\n- ", "td": " ", "th": " "}
HIDDEN = {"script", "style", "template", "head", "title", "svg", "math"}
TAG = re.compile(r"(/?)\s*([a-zA-Z][a-zA-Z0-9]{0,15})\b")


def html_text(html: str) -> str:
    """The words of a piece of HTML as plain text: paragraphs apart, list items and table rows on
    lines of their own, scripts and styles left out, entities decoded. A single pass over the
    text (html.parser slows down to minutes on some broken markup)."""
    out: list[str] = []
    pre, pos, gt = 0, 0, -1
    while True:
        lt = html.find("<", pos)
        if lt < 0:
            out.append(_words(html[pos:], pre))
            break
        out.append(_words(html[pos:lt], pre))
        if html.startswith("<!--", lt):
            end = html.find("-->", lt + 4)
            if end < 0:
                break  # (the rest is a comment)
            pos = end + 3
            continue
        if gt <= lt:  # (the first ">" after this "<": the one found before, while it is still ahead)
            gt = html.find(">", lt + 1)
        if gt < 0:
            out.append(_words(html[lt:], pre))
            break
        tag = TAG.match(html, lt + 1, gt)
        if html[lt + 1:lt + 2] in ("!", "?"):
            pos = gt + 1  # a doctype, CDATA or processing instruction
            continue
        if tag is None:
            out.append(_words("<", pre))  # ("a < b": text)
            pos = lt + 1
            continue
        name, closing = tag.group(2).lower(), bool(tag.group(1))
        pos = gt + 1
        if name in HIDDEN and not closing and html[gt - 1:gt] != "/":
            end = re.compile(rf"</\s*{name}\s*>", re.I).search(html, pos)
            if end is None:
                break  # (the rest is a script or a style)
            pos = end.end()
        elif name in PARAGRAPHS:
            out.append("\n\n")
            pre = max(0, pre + (1 if not closing else -1)) if name == "pre" else pre
        elif name in LINES and not closing:
            out.append(LINES[name])
    lines = [line.rstrip() if line.startswith(("    ", "\t")) else re.sub(r"\s{2,}", " ", line.strip())
             for line in "".join(out).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _words(text: str, pre: int) -> str:
    text = unescape(text)
    return text if pre else re.sub(r"\s+", " ", text)
