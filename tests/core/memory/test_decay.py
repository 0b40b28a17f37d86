import math

import numpy as np
import pytest

from core.memory.decay import DAY, DecayPolicy, curve, retention
from core.memory.records import Kind, Memory, State


def test_retention_follows_exp_minus_t_over_s():
    assert retention(10.0, 0.0) == 1.0
    assert retention(10.0, 10.0) == pytest.approx(math.exp(-1))
    assert retention(4.0, 2.0) == pytest.approx(math.exp(-0.5))


def test_a_stronger_memory_fades_more_slowly():
    # MemoryBank's public code computes exp(-t / 5*S) = exp(-(t/5)*S): the stronger, the faster
    # it fades. Mnemo must not: after the same time the stronger memory keeps more.
    weak, strong = retention(2.0, 3.0), retention(8.0, 3.0)
    assert strong > weak
    assert strong != pytest.approx(math.exp(-(3.0 / 5) * 8.0))


def test_initial_strength_grows_with_importance():
    policy = DecayPolicy(min_strength_days=1, max_strength_days=15)
    assert policy.initial_strength(0.0) == 1
    assert policy.initial_strength(1.0) == 15
    assert policy.initial_strength(0.3) < policy.initial_strength(0.7)


def test_recall_grows_strength_most_when_half_forgotten():
    policy = DecayPolicy(recall_growth=2.0)
    assert policy.reinforced(5.0, retention_now=0.0) == 10.0
    assert policy.reinforced(5.0, retention_now=0.5) == 7.5
    # a recall straight after another adds nothing: massed repetition does not inflate strength
    assert policy.reinforced(5.0, retention_now=1.0) == 5.0


def test_thresholds_give_states():
    policy = DecayPolicy(fading_below=0.5, forget_below=0.1)
    assert policy.state_for(0.9) == State.ACTIVE
    assert policy.state_for(0.3) == State.FADING
    assert policy.state_for(0.05) == State.FORGOTTEN


@pytest.mark.parametrize("bad", [dict(min_strength_days=0), dict(recall_growth=0.5),
                                 dict(fading_below=0.1, forget_below=0.2), dict(retention_weight=2)])
def test_nonsense_policies_are_refused(bad):
    with pytest.raises(ValueError):
        DecayPolicy(**bad)


def test_vectorised_retention_matches_scalar():
    s = np.array([1.0, 5.0, 20.0])
    t = np.array([2.0, 2.0, 2.0])
    assert np.allclose(retention(s, t), [retention(x, 2.0) for x in s])


def test_curve_resets_at_each_recall():
    policy = DecayPolicy(recall_growth=2.0)
    memory = Memory(id="a", text="t", kind=Kind.NOTE, source="user", created_at=0.0,
                    importance=math.log(2) / math.log(policy.max_strength_days))
    assert policy.initial_strength(memory.importance) == pytest.approx(2.0)
    points = curve(memory, policy, [(3 * DAY, True)], until=6 * DAY, points=61)
    t_before, before = [p for p in points if p[0] < 3 * DAY][-1]
    # before the recall it fell with its initial strength 2; the recall resets it to 1 and
    # grows the strength by the spacing rule; after it, it falls with that strength
    assert before == pytest.approx(math.exp(-(t_before / DAY) / 2))
    assert dict(points)[3 * DAY] == 1.0
    grown = policy.reinforced(2.0, math.exp(-3 / 2))
    assert points[-1][1] == pytest.approx(math.exp(-3 / grown))
