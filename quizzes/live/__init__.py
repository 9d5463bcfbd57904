"""The live class game (issue 22): its event bus (bus.py) and event streams (streams.py)."""
