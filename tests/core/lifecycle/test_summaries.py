from datetime import date, datetime, timezone

from core.memory.records import Kind, State


def _day(clock, iso, hour=10):
    clock.set(datetime.fromisoformat(iso).replace(hour=hour, tzinfo=timezone.utc))


def _chat(mnemo, text, reply="Noted."):
    return mnemo.capture.add_turns([(text, "user", ""), (reply, "assistant", "")], "c")


def test_every_past_day_with_activity_gets_a_summary_stating_its_date(mnemo, clock):
    _day(clock, "2026-05-01")
    _chat(mnemo, "I went hiking in the Alps with my brother Tom today.")
    _day(clock, "2026-05-03")
    mnemo.add_note("The dentist appointment is moved to Thursday at 3 pm.")
    _day(clock, "2026-05-04")
    written = mnemo.summarize()
    assert [s.kind for s in written] == [Kind.DAY_SUMMARY] * 2
    texts = [s.text for s in mnemo.day_summaries()]
    assert texts[0].startswith("Day summary, Friday 1 May 2026") and "hiking in the Alps" in texts[0]
    assert texts[1].startswith("Day summary, Sunday 3 May 2026") and "dentist" in texts[1]


def test_summary_links_to_what_it_summarises(mnemo, clock):
    turns = _chat(mnemo, "We adopted a cat called Miso this morning.")
    summary = mnemo.summarize(mnemo.today())[0]
    said = {t.id for t in turns if t.role == "user"}  # the assistant's answer is not summarised
    assert said and set(summary.links) == said
    assert {m.id for m in mnemo.linked(summary)} == said


def test_regenerating_is_idempotent_and_new_activity_rewrites_in_place(mnemo, clock):
    _chat(mnemo, "We adopted a cat called Miso this morning.")
    first = mnemo.summarize(mnemo.today())[0]
    history = len(mnemo.store.history())
    again = mnemo.summarize(mnemo.today())[0]
    assert again == first and len(mnemo.store.history()) == history  # nothing written
    _chat(mnemo, "In the evening Miso knocked over the orchid pot.")
    third = mnemo.summarize(mnemo.today())[0]
    assert third.id == first.id and third.text != first.text
    assert len([m for m in mnemo.memories() if m.kind == Kind.DAY_SUMMARY]) == 1


def test_pending_days_excludes_today_and_days_already_summarised(mnemo, clock):
    _day(clock, "2026-05-01")
    _chat(mnemo, "Planted tomatoes and basil in the garden.")
    _day(clock, "2026-05-02")
    _chat(mnemo, "Started reading a novel by Ishiguro.")
    assert mnemo.summaries.pending_days() == [date(2026, 5, 1)]
    mnemo.summarize()
    assert mnemo.summaries.pending_days() == []


def test_day_summary_remains_what_retrieval_finds_once_details_are_forgotten(mnemo, clock):
    _day(clock, "2026-05-01")
    _chat(mnemo, "We went kayaking on Lake Bled and saw a heron.")
    _day(clock, "2026-05-02")
    mnemo.summarize()
    clock.advance(days=90)
    mnemo.sweep()
    details = [m for m in mnemo.memories() if m.kind == Kind.TURN]
    assert details and all(m.state == State.FORGOTTEN for m in details)
    hits = mnemo.search("kayaking on Lake Bled")
    assert hits and hits[0].memory.kind == Kind.DAY_SUMMARY
    assert "Lake Bled" in hits[0].memory.text


def test_global_summary_covers_the_date_range_and_links_the_days(mnemo, clock):
    for day, text in [("2026-05-01", "Moved into the new flat on Elm Street."),
                      ("2026-05-02", "Bought a second-hand piano for the living room."),
                      ("2026-05-05", "Started piano lessons with Mrs Okafor.")]:
        _day(clock, day)
        _chat(mnemo, text)
    _day(clock, "2026-05-06")
    mnemo.summarize()
    overview = mnemo.summarize_global()
    assert overview.kind == Kind.GLOBAL_SUMMARY
    assert overview.text.startswith("Overview, 1 May 2026 to 5 May 2026 (3 days with activity)")
    assert set(overview.links) == {d.id for d in mnemo.day_summaries()}
    assert mnemo.summarize_global() == overview  # idempotent


def test_a_deleted_summary_is_not_brought_back_unless_the_day_changes(mnemo, clock):
    _day(clock, "2026-05-01")
    _chat(mnemo, "Planted tomatoes and basil in the garden.")
    _day(clock, "2026-05-02")
    summary = mnemo.summarize()[0]
    mnemo.delete(summary.id)
    assert mnemo.summaries.pending_days() == []
    assert mnemo.store.get(summary.id).state == State.DELETED


def test_a_capable_model_writes_the_summary(tmp_path, clock):
    from core.lifecycle.summaries import SummaryOptions
    from core.mnemo import Mnemo
    from tests.fakes import HashEmbedder, ScriptedModel

    model = ScriptedModel("Anna visited Lisbon and tried pastel de nata.")
    m = Mnemo(tmp_path / "d", clock, HashEmbedder(), model, summary_options=SummaryOptions(use_model="always"))
    try:
        m.capture.add_turns([("Anna flew to Lisbon and loved the pastel de nata.", "user", "")], "c")
        summary = m.summarize(m.today())[0]
        assert summary.text.endswith("Anna visited Lisbon and tried pastel de nata.")
        assert summary.text.startswith("Day summary, Friday 1 May 2026")
        assert "Summarize what happened on Friday 1 May 2026" in model.prompts[-1][0]["content"]
    finally:
        m.close()


def test_the_small_default_model_is_not_trusted_with_summaries(mnemo):
    class Small:
        parameters = 135_000_000

    mnemo.model = Small()
    assert not mnemo.summaries.capable()
    mnemo.model = type("Big", (), {"parameters": 7_000_000_000})()
    assert mnemo.summaries.capable()


def test_purging_a_deleted_memory_takes_it_out_of_the_summary(mnemo, clock):
    _day(clock, "2026-05-01")
    secret = mnemo.add_note("I am quitting my job at Acme next month.").memory
    mnemo.add_note("Bought new running shoes in the sale.")
    _day(clock, "2026-05-02")
    summary = mnemo.summarize()[0]
    assert "Acme" in summary.text
    mnemo.delete(secret.id)
    mnemo.purge(secret.id)
    after = mnemo.store.get(summary.id)
    assert "Acme" not in after.text and "running shoes" in after.text


def test_forgotten_details_keep_the_gist_and_a_purge_takes_their_words_out(mnemo, clock):
    _day(clock, "2026-05-01")
    a = mnemo.add_note("We went kayaking on Lake Bled and saw a heron.").memory
    mnemo.add_note("Dinner at a small trattoria near the lake.")
    _day(clock, "2026-05-02")
    summary = mnemo.summarize()[0]
    clock.advance(days=a.strength * 3)
    mnemo.sweep()
    assert mnemo.store.get(a.id).state == State.FORGOTTEN
    assert mnemo.summaries.pending_days() == [] and "Lake Bled" in mnemo.store.get(summary.id).text
    mnemo.purge(a.id)  # forgetting for good: the summary is written again without it
    assert mnemo.summaries.pending_days() == []
    text = mnemo.store.get(summary.id).text
    assert "Lake Bled" not in text and "trattoria" in text


def test_a_day_whose_details_were_all_deleted_loses_its_summary(mnemo, clock):
    _day(clock, "2026-05-01")
    only = mnemo.add_note("Private: the surprise party is for Dana.").memory
    _day(clock, "2026-05-02")
    summary = mnemo.summarize()[0]
    mnemo.delete(only.id)
    assert mnemo.summaries.pending_days() == [date(2026, 5, 1)]
    mnemo.summarize()
    assert mnemo.store.get(summary.id).state == State.DELETED


def test_days_follow_local_time_with_summer_time(monkeypatch):
    import time

    from core.days import day_bounds, day_of

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        # 00:30 CEST on 16 July 2025 is 22:30 UTC on the 15th
        assert day_of(datetime(2025, 7, 15, 22, 30, tzinfo=timezone.utc).timestamp()) == date(2025, 7, 16)
        start, end = day_bounds(date(2025, 3, 30))  # the clocks go forward: a 23-hour day
        assert end - start == 23 * 3600
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_day_summary_is_made_from_what_the_user_said_never_the_assistants_answers(mnemo, clock):
    mnemo.capture.add_turns([("We adopted a cat called Miso this morning.", "user", ""),
                             ("Cats named Miso are usually Siamese and love tuna.", "assistant", "")], "c")
    summary = mnemo.summarize(mnemo.today())[0]
    assert "Miso" in summary.text and "Siamese" not in summary.text and "tuna" not in summary.text
