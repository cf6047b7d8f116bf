"""The Textual front end. Reads and writes only through ``recorder.services``."""
