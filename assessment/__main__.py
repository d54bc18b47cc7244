"""`python -m assessment` runs the command line."""

from assessment.cli import main

raise SystemExit(main())
