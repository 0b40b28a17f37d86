"""Google Gemini through Takeout ("My Activity" ▸ "Gemini Apps", JSON), read from a sample written
after the activity file's public shape: prompts in titles, answers in HTML, newest first."""
import json
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.intake.readers import ImportFormatError, read_import
from core.intake.readers.gemini import html_text

SAMPLE = Path(__file__).resolve().parents[3] / "data" / "import_samples" / "gemini" / "MyActivity.json"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def items() -> list:
    return json.loads(SAMPLE.read_text())


def write(tmp_path, data, name="activity.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_prompts_and_answers_in_conversations_by_time():
    parsed = read_import(SAMPLE)
    assert parsed.format == "gemini"
    assert [(t.role, t.text[:40]) for t in parsed.turns] == [
        ("user", "My sister Anna lives in Lisbon and loves"),
        ("assistant", "That sounds lovely! Lisbon has a lively "),
        ("user", "Suggest a birthday present for her."),
        ("assistant", "Since Anna loves jazz, how about tickets"),
        ("user", "I'm cooking bacalhau à brás for my paren"),
        ("assistant", "What a treat for them! Soak the cod for "),
        ("user", "Which wine goes with bacalhau?"),
        ("assistant", "A crisp Vinho Verde is the classic choic"),
        ("user", "Remind me which day the plumber comes")]  # no answer in the file: the prompt alone
    assert parsed.turns[0].text == "My sister Anna lives in Lisbon and loves jazz."  # "Attached 1 file." cut off
    assert parsed.turns[3].text == "Since Anna loves jazz, how about tickets to the Hot Clube de Portugal?"  # no script
    assert parsed.turns[7].text == ("A crisp Vinho Verde is the classic choice:\n\n- Alvarinho\n- Loureiro\n\n"
                                    "Serve it cold & young.")
    # a new conversation after 30 minutes without a prompt
    assert [t.conversation_id for t in parsed.turns] == (["gemini-2024-05-01T09:30:00Z"] * 4
                                                         + ["gemini-2024-05-02T19:40:00Z"] * 4
                                                         + ["gemini-2024-05-03T07:00:00Z"])
    assert parsed.turns[0].at == parsed.turns[1].at == utc(2024, 5, 1, 9, 30, 0, 123000)
    assert dict(parsed.skipped.reasons) == {"an activity that is not a prompt ('Gave')": 1,
                                            "an activity that is not a prompt ('Used')": 1,
                                            "an activity that is not a prompt ('Created')": 1}
    assert parsed.skipped.examples["an activity that is not a prompt ('Used')"] == ["item 5"]
    assert not parsed.rejected.total


def test_detected_by_content_and_read_inside_a_takeout_zip(tmp_path):
    assert read_import(write(tmp_path, items(), "export.json")).format == "gemini"
    search = [{"header": "Search", "title": "Searched for bacalhau", "time": "2024-05-02T19:00:00.000Z",
               "products": ["Search"]}]
    bundle = tmp_path / "takeout-20240510T100000Z-001.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.write(SAMPLE, "Takeout/My Activity/Gemini Apps/MyActivity.json")
        z.writestr("Takeout/My Activity/Search/MyActivity.json", json.dumps(search))  # another product's
        z.writestr("Takeout/My Activity/Gemini Apps/concert-poster.jpg", b"\xff\xd8\xff")
        z.writestr("Takeout/archive_browser.html", "<html></html>")
    parsed = read_import(bundle)
    assert parsed.format == "gemini" and len(parsed.turns) == 9
    localized = tmp_path / "takeout-el.zip"
    with zipfile.ZipFile(localized, "w") as z:  # an account in another language names its folders so
        z.write(SAMPLE, "Takeout/Η δραστηριότητά μου/Εφαρμογές Gemini/Ηδραστηριότητάμου.json")
    assert len(read_import(localized).turns) == 9


def test_imported_through_mnemo(mnemo):
    report = mnemo.import_parsed(mnemo.read_import(SAMPLE), "MyActivity.json")
    assert (report.format, report.imported, report.conversations, report.rejected.total) == ("gemini", 9, 3, 0)
    assert report.skipped.total == 3
    turns = mnemo.store.all(kinds=["turn"])
    anna = next(m for m in turns if m.text.startswith("My sister Anna"))
    assert (anna.role, anna.speaker, anna.conversation_id) == ("user", "", "gemini-2024-05-01T09:30:00Z")
    assert anna.event_at == utc(2024, 5, 1, 9, 30, 0, 123000).timestamp()
    assert {m.role for m in turns if m.conversation_id == "gemini-2024-05-02T19:40:00Z"} == {"user", "assistant"}


def test_other_wordings_products_and_a_prompt_in_another_language(tmp_path):
    data = [
        {"header": "Bard", "title": "Asked Bard: what is a pastel de nata?", "time": "2023-08-01T10:00:00Z",
         "products": ["Bard"]},
        {"header": "Gemini Apps", "title": "Prompted ", "text": "Plan a day in Sintra", "time": "2024-02-01T10:00:00Z",
         "safeHtmlItem": [{"html": "<p>Start at Pena Palace.</p>"}]},
        {"header": "App Gemini", "title": "Riassumi questo articolo", "time": "2024-02-02T10:00:00Z",
         "safeHtmlItem": [{"html": "<p>Riassunto: ...</p>"}]},  # no English verb, but answered: a prompt
        {"header": "Gemini Apps", "title": "Viewed a shared chat", "time": "2024-02-03T10:00:00Z"},
        {"header": "YouTube", "title": "Watched a video", "time": "2024-02-03T11:00:00Z", "products": ["YouTube"]},
    ]
    parsed = read_import(write(tmp_path, data), "gemini")
    assert [t.text for t in parsed.turns] == ["what is a pastel de nata?", "Plan a day in Sintra", "Start at Pena Palace.",
                                              "Riassumi questo articolo", "Riassunto: ..."]
    assert dict(parsed.skipped.reasons) == {"an activity that is not a prompt ('Viewed')": 1,
                                            "another Google product's activity": 1}


@pytest.mark.parametrize("change, reason", [
    (lambda d: d.__setitem__(6, None), "an activity item that is not an object"),
    (lambda d: d[6].update(time="the first of May"), "a message whose time cannot be read"),
    (lambda d: d[6].pop("title"), "an activity item without a title"),
])
def test_a_bad_item_is_rejected_with_its_place_and_the_rest_imports(mnemo, tmp_path, change, reason):
    data = items()
    change(data)
    path = write(tmp_path, data)
    report = mnemo.import_parsed(mnemo.read_import(path), path.name)
    assert report.imported == 7 and report.rejected.reasons == {reason: 1}
    assert f"{reason} (e.g. item 7)" in "\n".join(report.lines())


@pytest.mark.parametrize("content, problem", [
    ([None, 3], "Item 1: it should be an object, not null"),
    ("Prompted hello", "should be a list, not text"),
])
def test_a_file_that_is_not_gemini_activity_is_refused_with_a_sentence(tmp_path, content, problem):
    with pytest.raises(ImportFormatError, match=problem):
        read_import(write(tmp_path, content), "gemini")
    html_export = tmp_path / "MyActivity.html"  # Takeout's default format, not JSON
    html_export.write_text("<html><body><div class='outer-cell'>Prompted hello</div></body></html>")
    with pytest.raises(ImportFormatError, match="not valid JSON"):
        read_import(html_export, "gemini")


def test_html_answers_become_plain_text():
    assert html_text("<h2>Tips</h2><ol><li>Soak</li><li>Boil</li></ol><pre>for x in y:\n    cook(x)</pre>") == (
        "Tips\n\n- Soak\n- Boil\n\nfor x in y:\n    cook(x)")
    assert html_text("<p>a &lt;b&gt; &amp; <style>p{}</style>c<br>d</p><table><tr><td>1</td><td>2</td></tr></table>") \
        == "a <b> & c\nd\n\n1 2"
    assert html_text("<p>unclosed <b>bold <![if x]> <!-- c --> &#xZZ;") == "unclosed bold &#xZZ;"
    assert html_text("1 < 2 and 3 > 2<br/>x") == "1 < 2 and 3 > 2\nx"


@pytest.mark.parametrize("html", ["<a " * 50_000, "<!--" * 20_000, "</" * 100_000, "<1" * 100_000 + ">",
                                  "<script>" * 100_000])
def test_broken_markup_is_read_in_one_pass(html):
    started = time.monotonic()
    html_text(html)
    assert time.monotonic() - started < 5  # (html.parser takes minutes on the first of these)
