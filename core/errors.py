"""Errors core raises. Each message is a sentence a person can act on."""


class MnemoError(Exception):
    """Base class for errors shown to the user."""


class StoreError(MnemoError):
    """The memory store cannot be opened or written."""


class StoreVersionError(StoreError):
    """The store was written by a newer Mnemo."""


class ModelError(MnemoError):
    """The language model file is missing, unreadable or not a GGUF model."""


class EmbedderError(MnemoError):
    """The embedding model cannot be loaded."""


class NotFoundError(MnemoError):
    """A memory id does not exist."""


class InvalidInputError(MnemoError):
    """Input that Mnemo refuses (empty text, bad date...)."""
