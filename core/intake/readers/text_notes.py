"""A folder of plain-text notes (`mnemo import FOLDER`, or `--format text`): each .txt file is a
note (a long one several: notes_folder.py), in every folder below.

Its time is a date on the file's first line when that line is clearly nothing else ("2024-05-01",
"Tuesday, 5 March 2024 14:30", "Date: 12.01.2023"; read by dateparser, dots day first), else
the file's modification time (a daily note's name, "2024-05-01.txt", gives the day). The text must
be UTF-8 (a BOM is fine): a file in another encoding is left out with its place, and the rest
imports. Hidden files, links out of the folder and other kinds of file are left out and counted."""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from ...text import has_words
from .markdown_text import NoteProblem, checked, text_time
from .model import ImportFormatError, ParsedImport
from .notes_folder import Found, add_note, file_time, probe, read_text, walk

NAME = "text"
TEXT_FILES = (".txt", ".text")
OTHER_EXPORTS = (".md", ".markdown", ".json", ".html", ".htm", ".enex", ".xml", ".csv")  # other readers' files
_DATE_LIKE = re.compile(r"\b(?:1[89]|2[01])\d\d\b|\b\d{1,2}[./-]\s?\d{1,2}[./-]\s?\d{2,4}\b")
_DECORATION = " \t#*=_->[]():"


def looks_like(folder: Path) -> bool:
    suffixes, _ = probe(folder)
    text = sum(suffixes[s] for s in TEXT_FILES)
    markdown = suffixes[".md"] + suffixes[".markdown"]
    return text > 0 and not markdown and text >= sum(suffixes[s] for s in OTHER_EXPORTS)


def parse(folder: Path) -> ParsedImport:
    result = ParsedImport(NAME)
    for found in walk(Path(folder), result):
        if found.suffix in TEXT_FILES:
            read_one(result, Path(folder), found)
        else:
            result.skip("not a plain-text note (.txt)", found.where)
    if not result.notes and not result.rejected.total:
        raise ImportFormatError(f"{Path(folder).name} holds no text notes (.txt files) to import.")
    return result


def read_one(result: ParsedImport, folder: Path, found: Found) -> None:
    """One .txt file: its note(s), or the reason it is left out."""
    try:
        text = read_text(found)
    except NoteProblem as problem:
        result.rejected.add(problem.reason, f"{found.where}: {problem.detail}" if problem.detail else found.where)
        return
    if not has_words(text):
        result.skip("an empty note", found.where)
        return
    add_note(result, folder, text, leading_date(text) or file_time(found), found.where)


def leading_date(text: str) -> datetime | None:
    """The date on the first line, when that line is a date and nothing else, or None."""
    head = text.lstrip()[:200]
    line = head.split("\n", 1)[0].strip(_DECORATION)
    if line[:5].casefold() == "date:":
        line = line[5:].strip(_DECORATION)
    if not line or len(line) > 40 or len(line.split()) > 6 or not _DATE_LIKE.search(line):
        return None
    found = text_time(line)
    if found is None:
        return None
    try:
        return checked(found, "the date on the first line")
    except NoteProblem:
        return None
