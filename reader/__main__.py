"""`python -m reader` runs the same command line as `iatse-reader`."""

from reader.cli import main

# Guarded: a cold build starts worker processes with "spawn", which imports the
# parent's main module again (as __mp_main__) in each worker.
if __name__ == "__main__":
    raise SystemExit(main())
