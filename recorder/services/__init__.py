"""Use cases: the only code that changes data.

Each call checks permission and validity with ``recorder.domain``, then writes the change
and its audit event in one transaction. A refusal raises a :class:`~recorder.services.errors.ServiceError`
subclass with a message to show, and writes only its audit event.
"""
