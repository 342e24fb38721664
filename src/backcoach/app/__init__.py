"""The two contexts the edges (CLI, web) build: one per process, one per person and request.

``AppContext`` holds what a process shares (settings, catalogue, database, job queue);
``PersonContext`` what one command or request works on (a person, their scoped store, the
clock). Services never import this package: the edges hand them the pieces they use.
"""

from backcoach.app.context import AppContext, PersonContext

__all__ = ["AppContext", "PersonContext"]
