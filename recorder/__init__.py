"""recorder: case recording for children's social workers in England."""

__version__ = "0.1.0"
