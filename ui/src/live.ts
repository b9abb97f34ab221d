// The WebSocket to the dev server, shared by the playground and the app-mode reload client: parses events and
// reconnects with backoff when the socket closes (the server restarted or went away).
import { liveEvent, ROUTES, type LiveEvent, type ServerEvent } from "./api";

export interface LiveHandlers {
  event(event: LiveEvent): void;
  connected(): void;
  disconnected(): void;
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

/** Connects and stays connected; returns a function that closes the socket for good. */
export function connectLive(handlers: LiveHandlers): () => void {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const url = `${scheme}//${location.host}${ROUTES.socket}`;
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
      const event = parseEvent(message.data);
      if (event) handlers.event(event);
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
  return () => {
    stopped = true;
    clearTimeout(timer);
    socket?.close();
  };
}
