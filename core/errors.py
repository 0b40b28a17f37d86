"""Errors core raises. Each message is a sentence a person can act on."""


class MnemoError(Exception):
    """Base class for errors shown to the user."""


class StoreError(MnemoError):
    """The memory store cannot be opened or written."""


class StoreVersionError(StoreError):
    """The store was written by a newer Mnemo."""


class StoreDamagedError(StoreError):
    """The store does not hold what was saved (a missing table, a rolled-back version, a
    record that does not match its checksum). `problems` names each thing found."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


class ModelError(MnemoError):
    """The language model file is missing, unreadable or not a GGUF model."""


class EmbedderError(MnemoError):
    """The embedding model cannot be loaded."""


class NotFoundError(MnemoError):
    """A memory id does not exist."""


class InvalidInputError(MnemoError):
    """Input that Mnemo refuses (empty text, bad date...)."""


class ImportFormatError(InvalidInputError):
    """The file cannot be imported as it is; nothing was written. The message may quote the
    file (names, keys): it is kept on one line and short enough to read."""

    def __init__(self, message: str):
        message = "".join(ch if ch.isprintable() else " " for ch in str(message))
        message = " ".join(message.split())
        if len(message) > 400:
            message = message[:300] + " … " + message[-90:]
        super().__init__(message)


NOBODY = "none"  # the answer to "which of them is you?" when none is


class WhoIsMe(ImportFormatError):
    """Several people wrote in a chat app's export and it does not say which one is the user:
    the user is asked (`mnemo import --me NAME`, or a question in the app). Nothing was imported."""

    def __init__(self, file_name: str, speakers):
        self.speakers = [name for name, _ in speakers.most_common()]
        shown = ", ".join(f"{name} ({count:,} messages)" for name, count in speakers.most_common(8))
        super().__init__(f"Several people wrote in {file_name}: {shown}. Say which one is you with --me NAME (or "
                         f"--me {NOBODY} when none is); nothing was imported.")
