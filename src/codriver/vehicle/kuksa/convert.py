"""Values, datapoints and metadata between codriver's catalog and ``kuksa.val.v2`` messages.

Each VSS datatype has one field of the protocol's ``Value`` (``int8`` travels as ``int32``,
``uint16`` as ``uint32``, ``float`` as a 32-bit float), so a value is written in the field its
signal's datatype names and read from whichever field the broker filled. A 32-bit float read back
is given as the shortest decimal that is the same float (22.1, not 22.100000381).
"""

from __future__ import annotations

import math
import struct
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp
from kuksa.val.v2 import types_pb2

from codriver.vehicle.catalog import SignalKind, SignalSpec, Value

_SCALAR_FIELD = {
    "string": "string",
    "boolean": "bool",
    "int8": "int32",
    "int16": "int32",
    "int32": "int32",
    "int64": "int64",
    "uint8": "uint32",
    "uint16": "uint32",
    "uint32": "uint32",
    "uint64": "uint64",
    "float": "float",
    "double": "double",
}
_ARRAY_CLASS = {
    "string": "StringArray",
    "bool": "BoolArray",
    "int32": "Int32Array",
    "int64": "Int64Array",
    "uint32": "Uint32Array",
    "uint64": "Uint64Array",
    "float": "FloatArray",
    "double": "DoubleArray",
}
KINDS: dict[SignalKind, int] = {
    "sensor": types_pb2.ENTRY_TYPE_SENSOR,
    "actuator": types_pb2.ENTRY_TYPE_ACTUATOR,
    "attribute": types_pb2.ENTRY_TYPE_ATTRIBUTE,
}
_KIND_OF = {number: kind for kind, number in KINDS.items()}


def value_field(datatype: str) -> str:
    """The ``Value`` field a datatype travels in: ``uint8`` → ``uint32``, ``string[]`` →
    ``string_array``."""
    scalar = _SCALAR_FIELD[datatype.removesuffix("[]")]
    return f"{scalar}_array" if datatype.endswith("[]") else scalar


def data_type(datatype: str) -> int:
    """The protocol's ``DataType`` number of a VSS datatype (``float[]`` → FLOAT_ARRAY)."""
    name = datatype.removesuffix("[]").upper()
    suffix = "_ARRAY" if datatype.endswith("[]") else ""
    return int(getattr(types_pb2, f"DATA_TYPE_{name}{suffix}"))


def datatype_name(number: int) -> str | None:
    """The VSS datatype of a ``DataType`` number (FLOAT_ARRAY → ``float[]``), None if unknown."""
    try:
        name = str(types_pb2.DataType.Name(number))
    except ValueError:
        return None
    base = name.removeprefix("DATA_TYPE_")
    array = base.endswith("_ARRAY")
    base = base.removesuffix("_ARRAY").lower()
    if base in ("unspecified", "timestamp"):
        return None
    return f"{base}[]" if array else base


def kind_name(number: int) -> SignalKind | None:
    return _KIND_OF.get(number)


def to_value(datatype: str, value: Value) -> Any:
    """``value`` as a protocol ``Value`` in the field of ``datatype``."""
    name = value_field(datatype)
    if name.endswith("_array"):
        array = getattr(types_pb2, _ARRAY_CLASS[name.removesuffix("_array")])
        items = value if isinstance(value, list) else [value]
        return types_pb2.Value(**{name: array(values=items)})
    return types_pb2.Value(**{name: value})


def from_value(message: Any) -> Value | None:
    """A protocol ``Value`` as codriver's value; None when it holds none."""
    which = message.WhichOneof("typed_value")
    if which is None:
        return None
    raw = getattr(message, which)
    if which.endswith("_array"):
        items = list(raw.values)
        return [_short(x) for x in items] if which == "float_array" else items
    if which == "float":
        return _short(raw)
    return raw  # type: ignore[no-any-return]


def datapoint(datatype: str, value: Value | None, at: float) -> Any:
    """A datapoint stamped ``at`` (seconds since the epoch); no value when ``value`` is None."""
    stamp = Timestamp()
    stamp.FromNanoseconds(int(at * 1e9))
    if value is None:
        return types_pb2.Datapoint(timestamp=stamp)
    return types_pb2.Datapoint(timestamp=stamp, value=to_value(datatype, value))


def from_datapoint(point: Any) -> tuple[Value | None, float | None]:
    """A datapoint's value (None: it has none) and when it was taken (None: not said)."""
    value = from_value(point.value) if point.HasField("value") else None
    if not point.HasField("timestamp"):
        return value, None
    stamp = point.timestamp
    return value, stamp.seconds + stamp.nanos / 1e9


def metadata(spec: SignalSpec, number: int) -> Any:
    """A catalog signal as the protocol's ``Metadata``, with ``number`` as its id."""
    fields: dict[str, Any] = {
        "path": spec.path,
        "id": number,
        "data_type": data_type(spec.datatype),
        "entry_type": KINDS[spec.kind],
        "description": spec.description,
        "unit": spec.unit or "",
        "deprecation": spec.deprecated or "",
    }
    if spec.allowed:
        fields["allowed_values"] = to_value("string[]", list(spec.allowed))
    numeric = spec.datatype in _SCALAR_FIELD and spec.datatype not in ("string", "boolean")
    if numeric and spec.min is not None:
        fields["min"] = to_value(spec.datatype, _typed(spec.datatype, spec.min))
    if numeric and spec.max is not None:
        fields["max"] = to_value(spec.datatype, _typed(spec.datatype, spec.max))
    return types_pb2.Metadata(**fields)


def _typed(datatype: str, number: float) -> int | float:
    return float(number) if datatype in ("float", "double") else int(number)


def _short(number: float) -> float:
    """The shortest decimal that is the same 32-bit float as ``number``."""
    if not math.isfinite(number):
        return number
    target = struct.pack("<f", number)
    for digits in range(1, 10):
        candidate = float(f"{number:.{digits}g}")
        if struct.pack("<f", candidate) == target:
            return candidate
    return number
