"""`python -m bot …`: the command line (arguments only; the work is in bot.commands)."""

from bot.cli import main

raise SystemExit(main())
