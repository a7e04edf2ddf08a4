"""The one exception family the engine raises on purpose.

Callers (the CLI, the Streamlit pages) catch `EngineError` and show its message to
the learner as is, so every message must be friendly and say what to do next.
"""


class EngineError(Exception):
    """A problem the learner or operator can act on; the message says how."""


class InputError(EngineError):
    """The text, file or setting given to the engine cannot be used."""


class CheckpointError(EngineError):
    """A checkpoint is missing, truncated, tampered with or for another task."""
