"""The edges: store, clock and ids, HTTP, sockets and the command line."""
