"""The codriver command line."""
