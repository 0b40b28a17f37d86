"""The chat's history, read back from the store: conversations newest first, each with its
questions and answers in order; a regenerated answer joins its question."""

from core.memory.records import Source


def test_conversations_are_listed_newest_first_with_their_first_question(mnemo, clock):
    mnemo.add_note("The garage code is 4417")
    mnemo.ask("What is the garage code?", conversation_id="gui-a")
    clock.advance(hours=1)
    mnemo.ask("Where is the bakery?", conversation_id="gui-b")
    mnemo.ask("And when does it close?", conversation_id="gui-b")
    listed = mnemo.conversations()
    assert [c.id for c in listed] == ["gui-b", "gui-a"]
    assert listed[0].title == "Where is the bakery?" and listed[0].questions == 2
    assert listed[1].title == "What is the garage code?" and listed[1].questions == 1


def test_a_conversation_reads_back_its_exchanges_in_order(mnemo):
    mnemo.add_note("The garage code is 4417")
    first = mnemo.ask("What is the garage code?", conversation_id="gui-a")
    mnemo.ask("Who won the match?", conversation_id="gui-a")
    exchanges = mnemo.conversation("gui-a")
    assert [e.question.text for e in exchanges] == ["What is the garage code?", "Who won the match?"]
    assert exchanges[0].answer.text == first.text and exchanges[0].answer.source == Source.ASSISTANT


def test_a_regenerated_answer_is_kept_with_its_question_which_is_not_stored_twice(mnemo):
    mnemo.add_note("The garage code is 4417")
    mnemo.ask("What is the garage code?", conversation_id="gui-a")
    again = mnemo.ask("What is the garage code?", conversation_id="gui-a", again=True)
    exchanges = mnemo.conversation("gui-a")
    assert len(exchanges) == 1 and len(exchanges[0].answers) == 2
    assert exchanges[0].answer.id == again.captured_ids[0]


def test_deleted_turns_leave_the_history_and_notes_and_imports_are_not_conversations(mnemo):
    mnemo.add_note("The garage code is 4417")
    answer = mnemo.ask("What is the garage code?", conversation_id="gui-a")
    question_id = answer.captured_ids[0]
    mnemo.delete(question_id)
    exchanges = mnemo.conversation("gui-a")
    assert exchanges[0].question is None and exchanges[0].answer.text == answer.text
    assert [c.id for c in mnemo.conversations()] == ["gui-a"]
