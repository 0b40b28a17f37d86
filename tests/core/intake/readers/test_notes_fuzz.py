"""Fuzzing a Markdown note's reading (front matter, dates, tags, wiki links, embeds) and a notes
folder holding any file: a note comes out, or an ImportFormatError with one sentence (and in a
folder that file alone is left out, with its place); never another exception, never a hang."""
import os
from datetime import datetime, timezone

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.intake.readers import ImportFormatError, read_import
from core.intake.readers.markdown_text import MAX_TAGS, link_words, read_note
from core.intake.readers.notes_folder import split_note
from core.intake.readers.times import EARLIEST, LATEST

FUZZ = settings(max_examples=int(os.environ.get("MNEMO_FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
PIECES = st.sampled_from(["---", "...", "\n", " ", ":", "- ", "tags", "created", "date", "modified", "title",
                          "[", "]", "[[", "]]", "|", "#", "![[", "!", "(", ")", "`", "```", "{", "}", "&a", "*a",
                          "!!python/object", "'", '"', "2024-05-01", "12:30", "T", "Z", "+01:00", "1e400",
                          "1700000000000", "x.png", "Note", "#tag", "é", "\t", "%%", "^block", "http://a/#b"])
MARKDOWNISH = st.lists(PIECES | st.text(max_size=6), max_size=40).map("".join)
YAML_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=15)
    | st.dates() | st.datetimes(timezones=st.none() | st.just(timezone.utc)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
KEYS = st.sampled_from(["date", "created", "updated", "modified", "tags", "tag", "title", "aliases", "Date"])


def check(raw: str) -> None:
    try:
        note = read_note(raw)
    except ImportFormatError as exc:
        message = str(exc)
        assert message.strip() and "\n" not in message and len(message) <= 400
        return
    assert isinstance(note.text, str) and all(isinstance(a, str) for a in note.attachments)
    assert len(note.tags) <= MAX_TAGS
    assert all(t and not t.startswith("#") and t == t.strip() for t in note.tags)
    assert len({t.casefold() for t in note.tags}) == len(note.tags)
    if note.at is not None:
        assert note.at.tzinfo is timezone.utc and EARLIEST <= note.at < LATEST
    assert note.title is None or isinstance(note.title, str)


@FUZZ
@given(raw=MARKDOWNISH)
@example(raw="---\n&a [*a, *a]\n---\n")
@example(raw="---\n" + "[" * 5000 + "\n---\nbody")
@example(raw="---\ncreated: 1e400\n---\nx")
@example(raw="---\ndate: !!python/object/apply:os.system ['true']\n---\nx")
@example(raw="---\ntags: [[[[a]]]]\n---\n[[|]] [[#]] ![[]] ![[.png]]")
def test_any_markdown_text(raw):
    check(raw)


@FUZZ
@given(properties=st.dictionaries(KEYS, YAML_VALUE, max_size=5), body=MARKDOWNISH)
def test_any_front_matter_values(properties, body):
    try:
        block = yaml.safe_dump(properties, allow_unicode=True)
    except yaml.YAMLError:
        return
    check(f"---\n{block}---\n{body}")


@FUZZ
@given(inner=st.text(max_size=40))
def test_a_wiki_link_always_reads_as_some_of_its_own_words(inner):
    words = link_words(inner)
    assert isinstance(words, str) and len(words) <= len(inner) + 3
    if "|" not in inner and "#" not in inner and "/" not in inner and not inner.casefold().endswith(
            (".md", ".markdown")):
        assert words == inner.strip()


def test_wiki_links_in_words():
    assert link_words("Anna Kowalska|Anna") == "Anna"
    assert link_words("Trips#Portugal") == "Trips > Portugal"
    assert link_words("#Summary") == "Summary"
    assert link_words("People/Tom.md") == "Tom"
    assert link_words("Recipes#^a1b2c3") == "Recipes"
    note = read_note("See [[Recipes|the soup]] and ![[soup.jpg]], ![[Soup notes]] and ![photo](img/soup.png).")
    assert note.text == "See the soup and , Soup notes and ." and note.attachments == ["soup.jpg", "img/soup.png"]


@FUZZ
@given(text=st.text(alphabet=st.sampled_from("ab. \n#!?"), max_size=3000), limit=st.integers(20, 400))
def test_a_long_text_is_cut_into_parts_within_the_limit_losing_nothing(text, limit):
    parts = split_note(text, limit)
    assert all(0 < len(p) <= limit for p in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())  # (only spaces at the cuts go)


@FUZZ
@given(data=st.binary(max_size=600), name=st.sampled_from(["x.md", "x.txt", "x.png", ".x.md", "2024-01-05.md"]))
@example(data=b"---\ncreated: 2024-13-45\n---\nx", name="x.md")
@example(data=b"\xef\xbb\xbf---\ntags: a\n---\nBOM first", name="x.md")
def test_a_folder_with_any_file_beside_a_good_note(tmp_path_factory, data, name):
    folder = tmp_path_factory.mktemp("vault")
    (folder / "Good.md").write_text("Anna's birthday is on 12 June.\n")
    (folder / name).write_bytes(data)
    parsed = read_import(folder)
    assert "Good\n\nAnna's birthday is on 12 June." in [n.text for n in parsed.notes]
    assert len(parsed.notes) + parsed.rejected.total + parsed.skipped.total >= 2
    for note in parsed.notes:
        assert note.text.strip() and len(note.text) <= 20_000
        assert note.at is None or isinstance(note.at, datetime)
