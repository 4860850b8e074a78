"""The playground: the real bot on the local Discord (fakecord), shown in a browser.

`python -m bot playground` starts it (bot/cli/playground.py). `runtime.py` runs the emulator and
the real bot with a manual clock, `world.py` seeds the demo server, `persist.py` keeps the
emulator's state between runs, `web.py` serves the page and its API, `view.py` turns the
emulator's state into what the page draws, `markdown.py` renders Discord's markdown safely.
"""
