"""LoCoMo (Maharana et al., 2024): a list of samples {"sample_id", "conversation":
{"speaker_a", "speaker_b", "session_N_date_time": "1:56 pm on 8 May, 2023",
"session_N": [{"speaker", "dia_id", "text"}]}, "qa": [...]}. Both speakers are people:
every turn is stored as said by its speaker; each session's date becomes its turns' time."""
from __future__ import annotations

import re

from ...bounded import StreamedArray
from .model import ImportFormatError, ParsedImport, expect
from .times import pattern_time

NAME = "locomo"

DATE_FORMAT = "%I:%M %p on %d %B, %Y"


def looks_like(data) -> bool:
    first = data[0] if isinstance(data, list) and data else data
    return isinstance(first, dict) and isinstance(first.get("conversation"), dict) and "sample_id" in first


def parse(data) -> ParsedImport:
    samples = data if isinstance(data, (list, StreamedArray)) else [data]
    result = ParsedImport("locomo")
    for n, sample in enumerate(samples, start=1):
        expect(sample, dict, f"sample {n}")
        sample_id = expect(sample.get("sample_id", f"locomo-{n}"), str, f"sample {n}: 'sample_id'")
        conversation = expect(sample.get("conversation"), dict, f"sample {sample_id}: 'conversation'")
        numbers = sorted(int(m.group(1)) for k in conversation if (m := re.fullmatch(r"session_(\d+)", k)))
        if not numbers:
            raise ImportFormatError(f"Sample {sample_id} has no sessions (session_1, session_2, ...).")
        for s in numbers:
            where = f"sample {sample_id}, session {s}"
            when = pattern_time(conversation.get(f"session_{s}_date_time"), DATE_FORMAT,
                                f"{where}: 'session_{s}_date_time'", "1:56 pm on 8 May, 2023")
            turns = expect(conversation[f"session_{s}"], list, f"{where}")
            for i, turn in enumerate(turns, start=1):
                spot = f"{where}, turn {turn.get('dia_id', i) if isinstance(turn, dict) else i}"
                expect(turn, dict, spot)
                speaker = expect(turn.get("speaker"), str, f"{spot}: 'speaker'")
                result.add_turn(turn.get("text"), "user", speaker, sample_id, when, spot)
    return result
