"""The one composition skeleton every Chorus service runs in."""

from chorus_runtime.runtime import ServiceRuntime

__all__ = ["ServiceRuntime"]
