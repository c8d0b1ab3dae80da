class DomainError(Exception):
    """A refused state change. The message is shown to the user as is, so it is translated."""


class ConflictError(DomainError):
    """Somebody else changed the object first; nothing was saved."""
