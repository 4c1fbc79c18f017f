"""Language understanding: brains that turn what occupants say into plans."""

from codriver.assistant.plan import Brain
from codriver.understanding.direct import DirectBrain
from codriver.understanding.engine import Interpretation, LocalBrain


def default_brain() -> Brain:
    """The on-device brain used when none is configured."""
    return LocalBrain()


__all__ = ["DirectBrain", "Interpretation", "LocalBrain", "default_brain"]
