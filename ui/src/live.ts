// The WebSocket to a wasmrun server, shared by the playground, the app-mode reload client and the OS page: reconnects
// with backoff when the socket closes (the server restarted or went away). connectLive reads the dev server's events;
// openSocket is the socket itself, for a page that also sends (the OS page's requests).
import { liveEvent, ROUTES, type LiveEvent, type ServerEvent } from "./api";

export interface LiveHandlers {
  event(event: LiveEvent): void;
  connected(): void;
  disconnected(): void;
}

export interface SocketHandlers {
  message(data: string): void;
  connected(): void;
  disconnected(): void;
}

export interface LiveSocket {
  /** Sends a text message; false while disconnected. */
  send(data: string): boolean;
  /** Closes the socket for good. */
  close(): void;
}

// A restarted server is usually back within a second; past that, polling more often than every 5 s only adds noise.
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;

function parseEvent(data: unknown): LiveEvent | null {
  if (typeof data !== "string") return null;
  try {
    const event = JSON.parse(data) as { type?: unknown };
    return typeof event?.type === "string" ? liveEvent(event as ServerEvent) : null;
  } catch {
    return null;
  }
}

/** Connects to the socket at `path` of this server and stays connected. */
export function openSocket(path: string, handlers: SocketHandlers): LiveSocket {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const url = `${scheme}//${location.host}${path}`;
  let delay = FIRST_DELAY_MS;
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let wasConnected = true;

  const open = (): void => {
    try {
      socket = new WebSocket(url);
    } catch {
      retry();
      return;
    }
    socket.onopen = () => {
      delay = FIRST_DELAY_MS;
      wasConnected = true;
      handlers.connected();
    };
    socket.onmessage = (message) => {
      if (typeof message.data === "string") handlers.message(message.data);
    };
    socket.onclose = () => {
      socket = null;
      if (!stopped) retry();
    };
  };

  const retry = (): void => {
    if (wasConnected) handlers.disconnected();
    wasConnected = false;
    timer = setTimeout(open, delay);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  };

  open();
  return {
    send: (data) => {
      if (socket?.readyState !== WebSocket.OPEN) return false;
      socket.send(data);
      return true;
    },
    close: () => {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}

/** Connects to the dev server's events and stays connected; returns a function that closes the socket for good. */
export function connectLive(handlers: LiveHandlers): () => void {
  const socket = openSocket(ROUTES.socket, {
    message: (data) => {
      const event = parseEvent(data);
      if (event) handlers.event(event);
    },
    connected: () => handlers.connected(),
    disconnected: () => handlers.disconnected(),
  });
  return () => socket.close();
}
