"""The one exception family of orders and service: a change the business rules refuse (shown to the user)."""


class OrderError(ValueError):
    """A quote, contract, project, payment, booking or service record cannot be changed this way."""
