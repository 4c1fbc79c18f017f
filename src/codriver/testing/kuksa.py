"""codriver over a real ``kuksa.val.v2`` link on loopback, for tests and benchmarks (extra
``[kuksa]``): the simulated car behind codriver's own KUKSA server, and a :class:`KuksaBus` to it.

Each :meth:`LoopbackBroker.assistant` puts a fresh simulated car behind the server and builds an
assistant on the shared bus whose clock is that car's: a scenario's ``given`` and ``set`` reach the
car as a provider's ``PublishValue``, its commands as ``Actuate``, and its ``wait`` moves the car's
simulated time in the server (in this process), whose changes come back on the subscription.
"""

from __future__ import annotations

from dataclasses import replace

from codriver.assistant.plan import Brain
from codriver.assistant.session import Assistant
from codriver.vehicle.bus import VehicleBus
from codriver.vehicle.kuksa.client import KuksaBus
from codriver.vehicle.kuksa.options import KuksaOptions
from codriver.vehicle.kuksa.server import KuksaServer
from codriver.vehicle.profile import VehicleProfile
from codriver.vehicle.simulator import SimulatedCar


class LoopbackBroker:
    """A :class:`KuksaServer` on 127.0.0.1 and a :class:`KuksaBus` connected to it."""

    def __init__(self, server: KuksaServer, bus: KuksaBus, profile: VehicleProfile) -> None:
        self.server = server
        self.bus = bus
        self.profile = profile

    @classmethod
    async def start(
        cls,
        car: VehicleBus | None = None,
        *,
        options: KuksaOptions | None = None,
        token: str | None = None,
    ) -> LoopbackBroker:
        """Serve ``car`` (a fresh simulated car when None) and connect to it."""
        profile = VehicleProfile.load()
        server = KuksaServer(car or SimulatedCar(profile=profile), token=token)
        port = await server.start()
        settings = replace(options or KuksaOptions("127.0.0.1"), host="127.0.0.1", port=port)
        try:
            bus = await KuksaBus.connect(settings, profile)
        except BaseException:
            await server.stop(None)
            raise
        return cls(server, bus, profile)

    @property
    def car(self) -> VehicleBus:
        """The car behind the server now."""
        return self.server.servicer.car

    async def assistant(self, brain: Brain | None = None) -> Assistant:
        """An assistant on the bus, with a fresh simulated car in its default state behind it."""
        car = SimulatedCar(profile=self.profile)
        await self.server.servicer.load(car)
        return Assistant(bus=self.bus, brain=brain, clock=car.clock)

    async def close(self) -> None:
        await self.bus.close()
        await self.server.stop(0.1)
