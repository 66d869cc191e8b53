"""One module per source system: read its API and return the records in the extract
contract's shape (``ObjectRows``), advancing the system's cursors."""
