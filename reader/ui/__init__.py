"""The Textual user interface. Imports the core; the core never imports this."""
