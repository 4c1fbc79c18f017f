"""Examples that run beside codriver (``python -m examples.…`` from the repository root)."""
