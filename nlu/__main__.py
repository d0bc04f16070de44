"""`python -m nlu …`: arguments only; the work is in nlu.cli."""

from nlu.cli import main

raise SystemExit(main())
