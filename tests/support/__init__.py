"""Helpers of the tests (not part of the package): a text renderer for round trips (``render``),
realistic blocks for the stage table tests (``blocks``), text conservation checks (``textcheck``)."""
