"""The bundle's `mnemo` program (packaging/mnemo.spec): the command line, app/cli.py."""
import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
