"""A TCP proxy a test can cut, to give one process a database outage without touching the shared server."""

from __future__ import annotations

import selectors
import socket
import threading


class CuttableProxy:
    """Forwards 127.0.0.1:<port> to ``target``; :meth:`cut` drops every connection and refuses new ones."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = threading.Event()
        self.up.set()
        self.lock = threading.Lock()
        self.open: list[socket.socket] = []
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        """The database is gone: live connections break, new ones are closed at once."""
        self.up.clear()
        with self.lock:
            for sock in self.open:
                _close(sock)
            self.open.clear()

    def restore(self) -> None:
        self.up.set()

    def close(self) -> None:
        self.stopped = True
        self.cut()
        _close(self.listener)

    def _accept(self) -> None:
        while not self.stopped:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up.is_set():
                _close(client)
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            with self.lock:
                self.open += [client, server]
            threading.Thread(target=self._pipe, args=(client, server), daemon=True).start()

    def _pipe(self, client: socket.socket, server: socket.socket) -> None:
        peers = {client: server, server: client}
        with selectors.DefaultSelector() as selector:
            for sock in peers:
                selector.register(sock, selectors.EVENT_READ)
            try:
                while True:
                    for key, _ in selector.select(timeout=1):
                        data = key.fileobj.recv(65536)
                        if not data:
                            raise OSError("closed")
                        peers[key.fileobj].sendall(data)
            except (OSError, ValueError):
                pass
        for sock in peers:
            _close(sock)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
