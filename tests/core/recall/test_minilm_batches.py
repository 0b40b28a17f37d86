"""Long texts are embedded in smaller batches, so a large import's memory stays bounded."""
import numpy as np

from core.recall.minilm_onnx import _batches


def test_batches_keep_within_both_limits_and_cover_every_text_once():
    lengths = [5] * 100 + [64] * 70 + [256] * 40
    order = np.arange(len(lengths))
    batches = list(_batches(lengths, order, batch_size=64, max_tokens=4096))
    assert np.array_equal(np.concatenate(batches), order)
    assert all(len(b) <= 64 and max(lengths[i] for i in b) * len(b) <= 4096 for b in batches)
    assert [len(b) for b in batches if lengths[b[0]] == 256] == [16, 16, 8]
    assert list(_batches([9000], np.arange(1), 64, 4096))[0].tolist() == [0]  # one text longer than the budget
