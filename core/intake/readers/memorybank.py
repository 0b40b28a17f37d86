"""MemoryBank (Zhong et al., 2023): {user name: {"name", "history": {"YYYY-MM-DD":
[{"query": what the user said, "response": what the assistant answered}]}}}. Each user's
day is one conversation; the day is its turns' time."""
from __future__ import annotations

from .model import ImportFormatError, ParsedImport, expect
from .times import pattern_time

NAME = "memorybank"


def looks_like(data) -> bool:
    return (isinstance(data, dict) and bool(data)
            and all(isinstance(v, dict) and "history" in v for v in data.values()))


def parse(data) -> ParsedImport:
    expect(data, dict, "The file")
    result = ParsedImport("memorybank")
    for key, user in data.items():
        expect(user, dict, f"user {key}")
        name = expect(user.get("name", key), str, f"user {key}: 'name'")
        history = expect(user.get("history"), dict, f"user {key}: 'history'")
        for day, exchanges in history.items():
            where = f"user {name}, {day}"
            when = pattern_time(day, "%Y-%m-%d", f"{where}: the day", "2023-04-27")
            expect(exchanges, list, where)
            for i, exchange in enumerate(exchanges, start=1):
                spot = f"{where}, exchange {i}"
                expect(exchange, dict, spot)
                if "query" not in exchange and "response" not in exchange:
                    raise ImportFormatError(f"{spot} has neither 'query' nor 'response'.")
                conv = f"{name}:{day}"
                if "query" in exchange:
                    result.add_turn(exchange["query"], "user", name, conv, when, f"{spot} (query)")
                if "response" in exchange:
                    result.add_turn(exchange["response"], "assistant", "", conv, when, f"{spot} (response)")
    return result
