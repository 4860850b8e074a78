# For type checkers only: at run time this module is fakecord.ratelimit (see __init__.py).
from fakecord.ratelimit import *  # noqa: F403 (the same names, whatever they are)
