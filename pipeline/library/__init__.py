"""Tools for librarians, over a batch's output directory: the SQLite catalogue (``catalog``), the
HTML review pages (``html``), BagIt packages (``package``), and reading the outputs back
(``outputs``)."""
