"""A service whose brain takes two seconds to think, for the graceful-shutdown test:
``python slow_server.py PORT`` serves with the token ``test-token``."""

from __future__ import annotations

import asyncio
import sys

import uvicorn

from codriver.assistant import Assistant
from codriver.assistant.plan import Brain, Plan, TurnContext, Utterance
from codriver.server.app import build_app
from codriver.server.config import ServerConfig
from codriver.understanding import default_brain

THINK_S = 2.0


class SlowBrain:
    def __init__(self, inner: Brain) -> None:
        self.inner = inner

    async def plan(self, utterance: Utterance, context: TurnContext) -> Plan:
        await asyncio.sleep(THINK_S)
        return await self.inner.plan(utterance, context)


def main() -> None:
    app = build_app(
        ServerConfig(token="test-token", tick_seconds=0.2),
        lambda: Assistant(brain=SlowBrain(default_brain())),
    )
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="info")


if __name__ == "__main__":
    main()
