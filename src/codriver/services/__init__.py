"""Services the agents call, each behind a port with an offline provider shipped as data:
maps and energy (`maps`), media catalog (`media`), phone (`phone`), vehicle knowledge
(`knowledge`). A real provider implements the same protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Services:
    """The providers one assistant uses; a missing one is None and its tools say so."""

    maps: Any = None
    media: Any = None
    phone: Any = None
    knowledge: Any = None
    profiles: Any = None

    @classmethod
    def offline(cls) -> Services:
        """Every offline provider that is installed in this package."""
        found = cls()
        for name, module, factory in _OFFLINE:
            try:
                imported = __import__(f"codriver.services.{module}", fromlist=[factory])
            except ImportError:
                continue
            setattr(found, name, getattr(imported, factory)())
        return found


_OFFLINE = (
    ("maps", "maps", "offline_maps"),
    ("media", "media", "offline_media"),
    ("phone", "phone", "offline_phone"),
    ("knowledge", "knowledge", "offline_knowledge"),
    ("profiles", "profiles", "offline_profiles"),
)
