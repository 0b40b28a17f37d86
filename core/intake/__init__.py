"""What comes in: capture of notes and chat turns (`capture`), imports merged as one unit
(`importer`), and the readers of every file format Mnemo imports (`readers/`, one module per
format; a Mnemo archive is read through core.transfer).

May import: core.memory, core.recall, core.transfer and the shared primitives."""
