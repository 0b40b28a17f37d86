"""Answering a question: the prompt (`prompt`), the local GGUF model through llama-cpp-python
(`llm`) and the answer service that retrieves, asks the guard, streams the model and
captures the exchange (`answer`).

May import: core.memory, core.recall, core.intake, core.lifecycle, core.guard, core.models and the shared
primitives."""
