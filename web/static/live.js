// A socket that follows the server (/ws/board or /ws/incidents/{id}) and says honestly
// whether what the page shows is live: it reconnects with backoff, resumes with
// ?after= once a snapshot was shown, and takes a server that stops beating for dead.

const RETRY_START_MS = 500;
const RETRY_MAX_MS = 5000;
const SNAPSHOT_WAIT_MS = 10000; // an open socket that sends no snapshot by then is dropped
const HEARTBEATS_MISSED = 2.5; // silence this many heartbeat intervals long means the server is gone

/**
 * states: connecting | live | stale | reconnecting.
 * handlers: snapshot(message), event(message), row(message), heartbeat(message),
 * state(state), closed() → Promise<bool> (false: stop retrying, e.g. the session ended),
 * position() → the last log position shown (for ?after=).
 */
export class LiveSocket {
  constructor(path, handlers) {
    this.path = path;
    this.handlers = handlers;
    this.socket = null;
    this.retryDelay = RETRY_START_MS;
    this.retryTimer = null;
    this.snapshotTimer = null;
    this.silenceTimer = null;
    this.heartbeatMs = 10000; // the server says how often it beats, in its snapshot
    this.failedAttempts = 0;
    this.state = "connecting";
    this.loaded = false; // a snapshot has been shown
    this.stale = false;
    this.stopped = false;
  }

  start() {
    window.addEventListener("online", () => this.reconnectNow());
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.closeSocket();
  }

  connect() {
    this.retryTimer = null;
    if (this.stopped) return;
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    let ws;
    try {
      // Once something is shown, resume after its position: the server sends exactly what was missed.
      const resume = this.loaded ? `?after=${this.handlers.position()}` : "";
      ws = new WebSocket(`${scheme}://${window.location.host}${this.path}${resume}`);
    } catch {
      this.onClosed();
      return;
    }
    this.socket = ws;
    ws.onopen = () => {
      clearTimeout(this.snapshotTimer);
      if (this.loaded) {
        // Resumed: the missed events follow, then live ones, with no snapshot.
        this.connected();
      } else {
        this.snapshotTimer = setTimeout(() => this.abandon(ws), SNAPSHOT_WAIT_MS);
      }
      this.expectHeartbeat(ws);
    };
    ws.onmessage = (message) => {
      if (this.socket !== ws) return;
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        data = null;
      }
      if (data) this.onMessage(data);
      if (this.socket === ws) this.expectHeartbeat(ws);
    };
    ws.onclose = (close) => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.onClosed(close.code);
    };
  }

  connected() {
    this.failedAttempts = 0;
    this.retryDelay = RETRY_START_MS;
    this.setState(this.stale ? "stale" : "live");
  }

  onMessage(message) {
    if (message.type === "snapshot") {
      clearTimeout(this.snapshotTimer);
      if (message.heartbeat > 0) this.heartbeatMs = message.heartbeat * 1000;
      this.stale = Boolean(message.stale);
      this.loaded = true;
      this.handlers.snapshot?.(message);
      this.connected();
    } else if (message.type === "event" || message.type === "row") {
      // "row": the server's clock recounted a row (an order went overdue); no log position.
      if (this.loaded) this.handlers[message.type]?.(message);
    } else if (message.type === "heartbeat" && this.loaded) {
      // A quiet night, not a dead server; it also says whether the views follow the log.
      const stale = Boolean(message.stale);
      if (stale !== this.stale) {
        this.stale = stale;
        this.setState(stale ? "stale" : "live");
      }
      this.handlers.heartbeat?.(message);
    }
    // "resync": a fresh snapshot follows and replaces everything.
  }

  /** A socket that stays silent past a few heartbeats is dead, even if the browser has not noticed. */
  expectHeartbeat(ws) {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => this.abandon(ws), this.heartbeatMs * HEARTBEATS_MISSED);
  }

  /** Give up on a socket now: a hung server would keep its closing handshake waiting. */
  abandon(ws) {
    if (this.socket !== ws) return;
    this.socket = null;
    ws.close();
    this.onClosed();
  }

  closeSocket() {
    clearTimeout(this.snapshotTimer);
    clearTimeout(this.silenceTimer);
    if (this.socket) {
      const ws = this.socket;
      this.socket = null;
      ws.close();
    }
  }

  async onClosed(code) {
    clearTimeout(this.snapshotTimer);
    clearTimeout(this.silenceTimer);
    if (this.stopped) return;
    this.failedAttempts += 1;
    this.setState(this.loaded ? "reconnecting" : "connecting");
    // 4404: the thing followed does not exist; the page says so, retrying cannot help.
    if (code === 4404 || code === 4400) {
      this.handlers.gone?.(code);
      return;
    }
    // Refused because the session ended? Then the page goes to login, not endless retries.
    if (this.handlers.closed && !(await this.handlers.closed())) return;
    if (this.stopped || this.socket || this.retryTimer) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  reconnectNow() {
    if (this.stopped) return;
    this.retryDelay = RETRY_START_MS;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.connect();
    } else if (this.socket) {
      this.socket.close(); // onclose schedules the reconnection
    }
  }

  setState(next) {
    this.state = next;
    this.handlers.state?.(next);
  }
}
