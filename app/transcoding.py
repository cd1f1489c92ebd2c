"""Stored events as orjson, keeping their types (UUID, datetime, enums).

orjson writes UUIDs, datetimes and enums as plain strings and has no object
hook, so values the library must get back typed are tagged on the way in and
untagged on the way out, in the library's own `{"_type_", "_data_"}` format:
the library's default transcoder reads what this one writes.
"""

from dataclasses import fields
from enum import Enum
from typing import Any

import orjson
from eventsourcing.persistence import (
    JSONTranscoder,
    Transcoding,
    TranscodingNotRegisteredError,
)

_PLAIN = frozenset({str, int, float, bool, type(None)})
KEYED_DICT = "dict_of_pairs"


class OrjsonTranscoder(JSONTranscoder):
    def encode(self, obj: Any) -> bytes:
        return orjson.dumps(self._tag(obj))

    def decode(self, data: bytes) -> Any:
        return self._untag(orjson.loads(data))

    def _tag(self, obj: Any) -> Any:
        kind = type(obj)
        if kind in _PLAIN:
            return obj
        if kind is dict:
            tagged = {}
            for key, value in obj.items():
                if type(key) is not str:
                    return self._pairs(obj)
                # Plain values are most of an event: skip the call for them.
                tagged[key] = value if type(value) in _PLAIN else self._tag(value)
            return tagged
        if kind is list or kind is tuple:
            return [value if type(value) in _PLAIN else self._tag(value) for value in obj]
        transcoding = self.types.get(kind)
        if transcoding is None:
            msg = f"Object of type {kind} is not serializable; register a transcoding for it."
            raise TranscodingNotRegisteredError(msg)
        return {"_type_": transcoding.name, "_data_": self._tag(transcoding.encode(obj))}

    def _pairs(self, obj: dict[Any, Any]) -> dict[str, Any]:
        """JSON keys are strings; a dict keyed by UUIDs or enums goes as pairs."""
        pairs = [[self._tag(key), self._tag(value)] for key, value in obj.items()]
        return {"_type_": KEYED_DICT, "_data_": pairs}

    def _untag(self, obj: Any) -> Any:
        kind = type(obj)
        if kind is dict:
            if len(obj) == 2 and "_type_" in obj and "_data_" in obj:
                return self._decode_tagged(obj["_type_"], obj["_data_"])
            # Plain values are most of an event: only containers are walked.
            untagged = {}
            for key, value in obj.items():
                inner = type(value)
                untagged[key] = self._untag(value) if inner is dict or inner is list else value
            return untagged
        if kind is list:
            return [v if type(v) in _PLAIN else self._untag(v) for v in obj]
        return obj

    def _decode_tagged(self, name: str, data: Any) -> Any:
        if name == KEYED_DICT:
            return {self._untag(k): self._untag(v) for k, v in data}
        try:
            transcoding = self.names[name]
        except KeyError:
            msg = f"No transcoding registered for '{name}'."
            raise TranscodingNotRegisteredError(msg) from None
        inner = type(data)
        return transcoding.decode(self._untag(data) if inner is dict or inner is list else data)


def enum_transcoding(enum_class: type[Enum]) -> Transcoding:
    """One transcoding per enum class: the library looks transcodings up by exact type."""

    members = dict(enum_class._value2member_map_)

    class EnumAsValue(Transcoding):
        type = enum_class
        name = enum_class.__name__

        def encode(self, obj: Enum) -> Any:
            return obj.value

        def decode(self, data: Any) -> Enum:
            # The value map first: calling the class costs five times as much.
            return members.get(data) or enum_class(data)

    return EnumAsValue()


def dataclass_transcoding(cls: type[Any]) -> Transcoding:
    """Entities and values inside the incident's state (snapshots) and events."""
    names = tuple(f.name for f in fields(cls))

    class DataclassAsDict(Transcoding):
        type = cls
        name = cls.__name__

        def encode(self, obj: Any) -> dict[str, Any]:
            return {name: getattr(obj, name) for name in names}

        def decode(self, data: dict[str, Any]) -> Any:
            return cls(**data)

    return DataclassAsDict()
