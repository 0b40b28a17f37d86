from core.lifecycle.portrait import extract, parse
from core.memory.records import Kind


def _say(mnemo, text, reply="I see."):
    mnemo.capture.add_turns([(text, "user", ""), (reply, "assistant", "")], "c")


def test_portrait_names_preferences_people_routines_and_answer_style(mnemo):
    _say(mnemo, "Hello, my name is Priya. I really enjoy rock climbing and baking sourdough.")
    _say(mnemo, "My sister Meera lives in Pune.")
    _say(mnemo, "Every morning I swim 30 lengths before work.")
    _say(mnemo, "Please keep your answers short.")
    portrait = mnemo.refresh_portrait()
    assert portrait.kind == Kind.PORTRAIT
    text = portrait.text
    assert "Name: Priya" in text
    assert "rock climbing and baking sourdough" in text
    assert "my sister meera lives in pune" in text.lower()
    assert "Every morning I swim 30 lengths" in text
    assert "keep your answers short" in text


def test_portrait_is_drawn_from_the_user_not_the_assistant(mnemo):
    _say(mnemo, "What should I cook tonight?", reply="I love Thai curry, you should try it.")
    portrait = mnemo.refresh_portrait()
    assert "Thai curry" not in portrait.text


def test_user_corrections_survive_regeneration(mnemo):
    _say(mnemo, "I really enjoy jazz and chess.")
    _say(mnemo, "I love gardening.")
    portrait = mnemo.refresh_portrait()
    edited = portrait.text.replace("; gardening", "").replace("gardening; ", "") + "\nLikes: tango"
    mnemo.correct_portrait(edited)
    assert "gardening" not in mnemo.portrait().text and "tango" in mnemo.portrait().text
    _say(mnemo, "I also love cycling along the river.")  # new evidence: the portrait is regenerated
    refreshed = mnemo.refresh_portrait()
    assert "cycling along the river" in refreshed.text
    assert "tango" in refreshed.text and "gardening" not in refreshed.text


def test_portrait_opens_the_prompt(mnemo):
    _say(mnemo, "My name is Priya and I love rock climbing.")
    mnemo.refresh_portrait()
    mnemo.add_note("The gym opens at 7.")
    mnemo.answers.capable = lambda: True  # the whole prompt goes to a model that reads it
    mnemo.ask("When does the gym open?", capture=False)
    system = mnemo.model.prompts[-1][0]["content"]
    assert "About the user:" in system and "rock climbing" in system
    user = mnemo.model.prompts[-1][-1]["content"]
    assert "Portrait" not in user  # not repeated among the notes


def test_refresh_is_idempotent(mnemo):
    _say(mnemo, "I love gardening.")
    first = mnemo.refresh_portrait()
    count = len(mnemo.store.history())
    assert mnemo.refresh_portrait() == first and len(mnemo.store.history()) == count


def test_vague_statements_are_left_out():
    from core.memory.records import Memory

    m = Memory(id="x", text="I like that feeling. I enjoy doing it. I love hiking.", kind=Kind.TURN, source="chat",
               created_at=0.0, role="user")
    assert extract([m])["Likes"] == ["hiking"]


def test_parse_reads_what_the_user_typed():
    items = parse("Portrait of the user:\nLikes: jazz; chess\nsomething free-form")
    assert items == {"Likes": ["jazz", "chess"], "Notes from the user": ["something free-form"]}


def test_a_name_at_the_start_of_a_sentence_is_found(mnemo):
    _say(mnemo, "My name is Jon. I love sailing.")
    assert "Name: Jon" in mnemo.refresh_portrait().text


def test_free_form_lines_the_user_adds_are_kept_and_used(mnemo):
    _say(mnemo, "I love gardening.")
    portrait = mnemo.refresh_portrait()
    mnemo.correct_portrait(portrait.text + "\nI am vegetarian, never suggest meat.\nlikes: chess")
    text = mnemo.portrait().text
    assert "Notes from the user: I am vegetarian, never suggest meat." in text
    assert "chess" in text
    mnemo.answers.capable = lambda: True
    mnemo.add_note("There are courgettes and rice in the fridge.")
    mnemo.ask("What should I cook with the courgettes?", capture=False)
    assert "vegetarian" in mnemo.model.prompts[-1][0]["content"]


def test_saving_a_stale_view_unchanged_removes_nothing(mnemo):
    _say(mnemo, "I love gardening.")
    shown = mnemo.refresh_portrait().text
    _say(mnemo, "I have started learning the cello.")  # arrives while the editor is open
    mnemo.refresh_portrait()
    mnemo.portraits.correct(shown, base_text=shown)  # saved without a change
    assert "the cello" in mnemo.portrait().text
