"""The property office's use cases (console and operators' CLI), each taking an explicit actor
and checking its scope."""
