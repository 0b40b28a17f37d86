"""The model method (capable models): paths written by the model, clustered as in A-MemGuard."""
import numpy as np

from core.guard.consensus import _groups, check_with_model
from core.memory.records import Memory


def mem(i, text, source="user"):
    return Memory(id=str(i), text=text, kind="note", source=source, created_at=float(i))


def test_groups_are_the_connected_paths_closer_than_eps():
    v = np.array([[1, 0], [0.99, 0.14], [0, 1]], dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    groups = sorted(sorted(g) for g in _groups(v, 0.5).values())
    assert groups == [[0, 1], [2]]


def test_the_outside_path_that_leaves_the_consensus_is_flagged():
    memories = [mem(1, "Anna lives in Lisbon."), mem(2, "Visited Anna in Lisbon."),
                mem(3, "Anna lives in Madrid.", "import"), mem(4, "Anna's birthday is in June.")]
    replies = {"Lisbon.": [1, 0], "Madrid.": [0, 1]}
    answers = {"1": "Lisbon.", "2": "Lisbon.", "3": "Madrid.", "4": "unknown"}

    def ask(prompt):
        return next(answers[m.id] for m in memories if m.text in prompt)

    def embed(texts):
        return np.array([replies[t] for t in texts], dtype=np.float32)

    verdicts = check_with_model("Where does Anna live?", memories, ask, embed)
    assert [f.memory.id for f in verdicts.flags] == ["3"] and verdicts.method == "model"
    assert set(verdicts.flags[0].conflicts) == {"1", "2"}


def test_one_user_note_against_several_agreeing_imports_still_wins():
    memories = [mem(1, "Anna lives in Lisbon."), mem(2, "Anna lives in Madrid now.", "import"),
                mem(3, "Anna moved to Madrid.", "import"), mem(4, "Anna's home is Madrid.", "import")]
    answers = {"1": "Lisbon", "2": "Madrid", "3": "Madrid", "4": "Madrid"}

    def ask(prompt):
        return next(answers[m.id] for m in memories if m.text in prompt)

    verdicts = check_with_model("Where does Anna live?", memories, ask,
                                lambda texts: np.array([[1, 0] if t == "Lisbon" else [0, 1] for t in texts],
                                                       dtype=np.float32))
    assert sorted(f.memory.id for f in verdicts.flags) == ["2", "3", "4"]
