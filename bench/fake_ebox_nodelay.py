"""The fake eBox with TCP_NODELAY on its sockets: a what-if of the delivery benchmark.

`tools.fake_ebox` answers every request about 40 ms late on Linux: its handler writes the
headers and the body of a response in two segments, and Nagle's algorithm holds the second one until
the client's delayed acknowledgement arrives. A real eBox would not add those 40 ms to each
publication, so the delivery benchmark also runs against this copy, which only turns Nagle off
(`StreamRequestHandler.disable_nagle_algorithm`), to show what the outbox and the two workers do
when the server answers at once. `tools/fake_ebox.py` itself is not changed.
"""

from __future__ import annotations

import sys

from tools import fake_ebox

fake_ebox._Handler.disable_nagle_algorithm = True

if __name__ == "__main__":
    sys.exit(fake_ebox.main())
