"""backcoach: an open, offline exercise coach for non-specific lower back pain."""

import os

__version__ = "0.1.0"

# Pydantic plugins (installed packages that hook every validation, such as observability
# tools that send what they see to a service) are never loaded by backcoach: validated data is
# a person's records, and nothing leaves the machine. Not looking for them also spares every
# command a scan of all installed packages' metadata (about 10 ms of start-up).
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
