"""Conversations kept as a tree of messages (ChatGPT's and DeepSeek's `mapping`): every edit
of a question and every regenerated answer starts a branch. What is imported is the branch
the user ended on: from the node the export names as current up to the root, or, when it
names none (or one the tree does not hold), from the newest leaf."""
from __future__ import annotations

import math
from typing import Callable

from .tolerant import BadRecord, kind_of

DAMAGED = "a conversation whose message tree is damaged"


def branch(mapping: dict, current, where: str, stamp: Callable[[dict], float | None]) -> list[tuple[str, dict]]:
    """(node id, node) from the root down to the node the user ended on. `stamp(node)` is the
    time of a node's message in seconds (None when it has none), to find the newest leaf.
    A damaged tree (a node that is not an object, a loop, a parent the tree does not hold)
    is a BadRecord: the conversation is left out."""
    parents: dict[str, str | None] = {}
    for node_id, node in mapping.items():
        if not isinstance(node, dict):
            raise BadRecord(DAMAGED, where, f"node {node_id} of its message tree should be an object, not "
                                            f"{kind_of(node)}")
        parent = node.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise BadRecord(DAMAGED, where, f"the parent of node {node_id} should be a node id, not {kind_of(parent)}")
        parents[node_id] = parent
    if not parents:
        return []
    end = current if isinstance(current, str) and current in parents else _newest_leaf(mapping, parents, stamp)
    chain, seen, node_id = [], set(), end
    while node_id is not None:
        if node_id in seen:
            raise BadRecord(DAMAGED, where, f"its message tree loops back to node {node_id}")
        if node_id not in parents:
            raise BadRecord(DAMAGED, where, f"node {node_id} is named as a parent but is missing")
        seen.add(node_id)
        chain.append((node_id, mapping[node_id]))
        node_id = parents[node_id]
    return chain[::-1]


def _newest_leaf(mapping: dict, parents: dict, stamp) -> str:
    """The leaf (a node no other node names as its parent) whose message is the latest; among
    equals, the later in the file."""
    named = set(parents.values())
    leaves = [node_id for node_id in parents if node_id not in named] or list(parents)

    def key(item):
        n, node_id = item
        when = stamp(mapping[node_id])
        return (when if when is not None and math.isfinite(when) else -math.inf), n
    return max(enumerate(leaves), key=key)[1]


def has_fragments(conversation: dict) -> bool:
    """Is this a DeepSeek conversation (its messages hold `fragments`) rather than a ChatGPT one
    (its messages have an `author`)? Decided by the first message in its tree."""
    mapping = conversation.get("mapping")
    if isinstance(mapping, dict):
        for node in mapping.values():
            message = node.get("message") if isinstance(node, dict) else None
            if isinstance(message, dict):
                return "fragments" in message and "author" not in message
    return "inserted_at" in conversation and "create_time" not in conversation
