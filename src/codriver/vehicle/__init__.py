"""The car: the VSS catalog, vehicle profiles, the bus port and the simulated car."""

from codriver.vehicle.bus import Applied, SignalChange, VehicleBus, WriteResult
from codriver.vehicle.catalog import Catalog, Rejection, SignalSpec, Value
from codriver.vehicle.clock import SimClock
from codriver.vehicle.profile import VehicleProfile
from codriver.vehicle.seats import SEATS, Seat
from codriver.vehicle.simulator import SimulatedCar

__all__ = [
    "SEATS",
    "Applied",
    "Catalog",
    "Rejection",
    "Seat",
    "SignalChange",
    "SignalSpec",
    "SimClock",
    "SimulatedCar",
    "Value",
    "VehicleBus",
    "VehicleProfile",
    "WriteResult",
]
