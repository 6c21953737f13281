"""The ``withdrawkit`` command line (the ``cli`` extra: click and rich). Private: the console
script is its interface, documented in the README; nothing here is importable API.

``main`` is the entry point; each command group is a module (``onekonto``, ``ripio``, ``fake``).
"""
