"""codriver: an open, bilingual in-car AI assistant engine."""
