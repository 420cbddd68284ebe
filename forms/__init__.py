"""See README: this package is built in a later issue."""
