"""`python -m reader` runs the same command line as `iatse-reader`."""

from reader.cli import main

raise SystemExit(main())
