"""Errors the core raises for a user's input, with a Chinese message to show as it is."""


class InputError(ValueError):
    """Something a user typed or entered cannot be accepted; the message says why, in Chinese."""
