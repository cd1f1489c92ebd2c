"""The incident domain: pure rules and events, no I/O."""
