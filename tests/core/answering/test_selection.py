"""What may go into an answer's prompt: the user's words and the facts drawn from them; the
assistant's own answers and the user's chat questions only as history, and only when the
question asks what the assistant said; one hit per statement; facts first, summaries last."""
from __future__ import annotations

from core.answering.selection import about_assistant, candidates, for_prompt, is_evidence
from core.memory.records import Kind, Memory, Source
from core.recall.retrieval import Hit


def memory(text: str, kind=Kind.NOTE, source=Source.USER, role="", links=()) -> Memory:
    return Memory(id=text[:12].replace(" ", "_"), text=text, kind=str(kind), source=source, created_at=0.0,
                  role=role, links=tuple(links))


def hit(m: Memory, score: float) -> Hit:
    return Hit(m, score, dense_score=0.9, dense_rank=1)


ANSWER = memory("You could visit Leonardo da Vinci's works.", Kind.TURN, Source.ASSISTANT, "assistant")
QUESTION = memory("Where does my sister live?", Kind.TURN, Source.CHAT, "user")
NOTE = memory("My sister Anna lives in Lisbon.")
FACT = memory("My sister Anna lives in Lisbon.", Kind.FACT, links=["n"])
SUMMARY = memory("Day summary: Anna lives in Lisbon.", Kind.DAY_SUMMARY, Source.MNEMO, links=[NOTE.id])


def test_the_assistants_answers_and_chat_questions_are_never_evidence():
    assert is_evidence(NOTE) and is_evidence(FACT)
    assert not is_evidence(ANSWER) and not is_evidence(QUESTION)
    chosen = candidates([hit(ANSWER, 0.9), hit(QUESTION, 0.8), hit(NOTE, 0.5)], [], 10,
                        "Where does my sister live?")
    assert [h.memory for h in chosen] == [NOTE]  # even though both outscored it


def test_a_question_about_what_the_assistant_said_brings_its_words_back_after_the_users():
    assert about_assistant("What painters did you recommend to me?")
    assert about_assistant("What was your advice about the speech?")
    assert not about_assistant("Where does my sister live?") and not about_assistant("Do you know my sister?")
    question = "What painters did you recommend to me?"
    chosen = candidates([hit(ANSWER, 0.9), hit(NOTE, 0.5)], [], 10, question)
    assert {h.memory.id for h in chosen} == {ANSWER.id, NOTE.id}
    assert [h.memory for h in for_prompt(chosen, 5)] == [NOTE, ANSWER]  # never before what the user said


def test_one_hit_per_statement_and_no_summary_of_a_memory_already_chosen():
    chosen = candidates([hit(FACT, 0.9), hit(NOTE, 0.8), hit(SUMMARY, 0.7)], [], 10, "sister?")
    assert [h.memory.kind for h in chosen] == ["note", "day_summary"]  # the fact and its note: one
    assert [h.memory for h in for_prompt(chosen, 5)] == [NOTE]  # the summary quotes the note: left out


def test_facts_come_first_then_the_users_words_then_the_rest_then_summaries():
    other = memory("Anna visited in May.", Kind.TURN, Source.IMPORT, "user")
    fact = memory("The plumber's name is Kowalski.", Kind.FACT)
    summary = memory("Day summary: a walk.", Kind.DAY_SUMMARY, Source.MNEMO)
    hits = [hit(summary, 0.9), hit(other, 0.8), hit(NOTE, 0.7), hit(fact, 0.6)]
    assert [h.memory for h in for_prompt(hits, 5)] == [fact, NOTE, other, summary]


def test_a_summary_only_fills_a_slot_no_original_memory_wants():
    summary = memory("Day summary: a walk by the river.", Kind.DAY_SUMMARY, Source.MNEMO)
    notes = [memory(f"Note number {i} about the river.") for i in range(3)]
    hits = [hit(summary, 0.9)] + [hit(n, 0.5 - i / 10) for i, n in enumerate(notes)]
    assert [h.memory for h in for_prompt(hits, 3)] == notes  # it outscored them, yet three notes fill three slots
    assert [h.memory for h in for_prompt(hits, 4)][-1] == summary  # a slot left over: the summary takes it
