"""Reading files to import: other assistants' exports, transcripts, datasets and Mnemo
archives. `read_import(path)` detects the format (or takes `format`), validates the whole
file and returns the turns (or archive records) without writing anything."""
from .detect import FORMATS, read_import
from .model import NOBODY, ImportFormatError, NoteItem, ParsedImport, Rejected, Turn, WhoIsMe, settle_me

__all__ = ["FORMATS", "NOBODY", "ImportFormatError", "NoteItem", "ParsedImport", "Rejected", "Turn", "WhoIsMe",
           "read_import", "settle_me"]
