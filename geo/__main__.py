"""``python -m geo``: the command-line interface."""
from geo.cli import main

raise SystemExit(main())
