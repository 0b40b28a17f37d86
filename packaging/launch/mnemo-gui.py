"""The bundle's `mnemo-gui` program (packaging/mnemo.spec): the desktop app, app/gui.py."""
import sys

from app.gui import main

if __name__ == "__main__":
    sys.exit(main())
