"""One owner, many clients: while the desktop app runs it owns the memory (the store, the
models, the one writer); the command line and other local programs talk to it over a Unix
socket in the data folder that only the user can open (`server.py`, `client.py`). With no app
running, `mnemo` opens the store itself, as always.

May import: core (through the facade), app.cli for running a command; ui never."""
