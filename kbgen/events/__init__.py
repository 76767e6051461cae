"""Readers' search events: the SQLite store `kbgen collect` writes and `kbgen report` reads, and the masking of
personal data both apply."""
