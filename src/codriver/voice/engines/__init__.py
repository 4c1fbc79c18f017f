"""Engines behind the voice ports: each module adapts one recogniser, synthesiser, wake-word spotter
or voice-activity detector, and imports its vendor library only when used."""
