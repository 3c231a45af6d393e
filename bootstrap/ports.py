"""Free TCP ports on the loopback interface, for the servers the project starts on this machine (a throwaway API
server, the AWS emulator, the stand-in, a kind cluster's published NodePorts)."""

import socket


def free_ports(count: int) -> list[int]:
    """`count` distinct ports no one listens on now: the kernel picks them, all held open at once so none repeats.
    Whoever binds them next should do so soon: another process may take one meanwhile."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_port() -> int:
    """One port no one listens on now (see free_ports)."""
    return free_ports(1)[0]
