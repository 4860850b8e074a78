"""Steps and fixtures that several test files share.

A test file imports from here (or gets a fixture from tests/conftest.py), never from another
test file: each module here is named for what it helps with (stories, the command line, the
bot as a child process ...). The local Discord (`tests.fakecord`) and the harness that runs the
real bot on it (`tests.harness`) stay where they are.
"""
