"""One window per data folder: a second start brings the first window forward and exits.

Two processes could share the history safely (SQLite WAL), but two windows streaming into the
same conversations would confuse a person, so the second start hands over to the first.
"""

from __future__ import annotations

import hashlib
import logging

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from localchat.core.paths import DataPaths

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 500
MESSAGE = b"activate\n"


def server_name(paths: DataPaths) -> str:
    digest = hashlib.sha1(str(paths.root).encode("utf-8")).hexdigest()[:16]
    return f"localchat-{digest}"


class SingleInstance(QObject):
    activation_requested = Signal()

    def __init__(self, paths: DataPaths, parent: QObject | None = None):
        super().__init__(parent)
        self.name = server_name(paths)
        self._server: QLocalServer | None = None

    def notify_running(self) -> bool:
        """If another localchat runs on this data folder, ask it to come forward: True."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        socket.write(MESSAGE)
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        return True

    def listen(self) -> bool:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # a crashed instance can leave its socket file behind
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                log.warning("single-instance server unavailable: %s", server.errorString())
                return False
        server.newConnection.connect(self._on_new_connection)
        self._server = server
        return True

    @Slot()
    def _on_new_connection(self) -> None:
        while self._server is not None and self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll()).startswith(MESSAGE.strip()):
            self.activation_requested.emit()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
