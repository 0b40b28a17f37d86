"""A folder of Markdown notes, such as an Obsidian vault (`mnemo import FOLDER`, or `--format
markdown`): each .md file is a note about the user's world, in every folder below; .txt files
beside them are plain-text notes (text_notes.py).

- A note is the file's text led by its title (the file's name, or the front matter's `title`;
  left out when the text opens with it), links in words and embedded attachments taken out
  (markdown_text.py). A file of more than 20,000 characters becomes several notes, cut at
  headings, else paragraphs, else sentences (notes_folder.py), each led by the title.
- Its time: the front matter's date (date, created, updated, modified...), else a daily note's
  name (2024-05-01.md), else the file's modification time. Its tags: the front matter's and the
  text's #tags.
- Left out and counted: Obsidian's settings (.obsidian), its trash, hidden files, templates (a
  folder named Templates, or the one the vault's settings name), Excalidraw drawings,
  attachments and other files, links out of the folder. A note whose front matter cannot be
  read (invalid YAML, a date that is not one) is left out with the reason and its place; the
  rest imports."""
from __future__ import annotations

import json
import os
from pathlib import Path

from ...text import has_words
from . import text_notes
from .markdown_text import NoteProblem, read_note
from .model import ImportFormatError, ParsedImport
from .notes_folder import Found, add_note, file_time, probe, read_text, walk

NAME = "markdown"
NOTE_FILES = (".md", ".markdown")
OTHER_EXPORTS = (".json", ".html", ".htm", ".enex", ".xml", ".csv")  # files other readers take
TEMPLATE_FOLDERS = {"templates", "template", "_templates", "_template"}
# The vault's settings that name its templates: (file in .obsidian, its key)
TEMPLATE_SETTINGS = (("templates.json", "folder"), ("plugins/templater-obsidian/data.json", "templates_folder"),
                     ("daily-notes.json", "template"))


def looks_like(folder: Path) -> bool:
    suffixes, vault = probe(folder)
    markdown = sum(suffixes[s] for s in NOTE_FILES)
    return vault or (markdown > 0 and markdown >= sum(suffixes[s] for s in OTHER_EXPORTS))


def parse(folder: Path) -> ParsedImport:
    folder = Path(folder)
    result = ParsedImport(NAME)
    templates = configured_templates(folder)
    for found in walk(folder, result):
        if is_template(found.where, templates):
            result.skip("a template", found.where)
        elif found.name.casefold().endswith(".excalidraw.md"):
            result.skip("an Excalidraw drawing", found.where)
        elif found.suffix in NOTE_FILES:
            read_one(result, folder, found)
        elif found.suffix in text_notes.TEXT_FILES:
            text_notes.read_one(result, folder, found)
        else:
            result.skip("an attachment or other file that is not a note", found.where)
    if not result.notes and not result.rejected.total:
        raise ImportFormatError(f"{folder.name} holds no Markdown notes (.md files) to import.")
    return result


def read_one(result: ParsedImport, folder: Path, found: Found) -> None:
    """One .md file: its note(s), or the reason it is left out."""
    try:
        note = read_note(read_text(found))
    except NoteProblem as problem:
        result.rejected.add(problem.reason, f"{found.where}: {problem.detail}" if problem.detail else found.where)
        return
    for target in note.attachments:
        result.skip("an embedded attachment (the note keeps its text)", f"{found.where}: {target}")
    if not has_words(note.text):
        result.skip("an empty note", found.where)
        return
    title = " ".join((note.title or os.path.splitext(found.name)[0]).split())[:200]
    opening = note.text.lstrip().split("\n", 1)[0].strip("# \t")
    if opening.casefold() == title.casefold():
        title = ""  # (the text opens with it)
    add_note(result, folder, note.text, note.at or file_time(found), found.where, note.tags, title)


def is_template(where: str, configured: set[str]) -> bool:
    """In a templates folder (by its name, or as the vault's settings name it), or a template file."""
    path = where.casefold()
    parts = path.split("/")
    if any(part in TEMPLATE_FOLDERS for part in parts[:-1]):
        return True
    stem = os.path.splitext(path)[0]
    return any(path.startswith(c + "/") or stem == c or path == c for c in configured)


def configured_templates(folder: Path) -> set[str]:
    """The templates folder and files the vault's settings name (paths inside the vault, lower case)."""
    out = set()
    for name, key in TEMPLATE_SETTINGS:
        value = _small_json(folder / ".obsidian" / name).get(key)
        if isinstance(value, str) and value.strip().strip("/"):
            out.add(value.strip().strip("/").casefold())
    return out


def _small_json(path: Path) -> dict:
    """A settings file of the vault (at most 1 MB, never through a link), or {}."""
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        with os.fdopen(os.open(path, flags), "rb") as handle:
            data = json.loads(handle.read(1 << 20))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}
