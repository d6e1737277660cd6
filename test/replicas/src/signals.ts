import WebSocket from 'ws';

/**
 * Signs in to a replica as the guest user (auth backend's guest provider) and returns the
 * Backstage token, as the app does when the page loads.
 */
export async function signIn(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(
      `Sign-in at ${baseUrl} failed: ${res.status} ${await res.text()}`,
    );
  }
  const body = await res.json();
  return body.backstageIdentity.token;
}

/** A message of the signals channel as the app receives it, and when it arrived. */
export interface ReceivedSignal {
  channel: string;
  message: any;
  at: number;
}

/**
 * A browser tab's signals connection: the websocket at `/api/signals` with the user's token as
 * its protocol, subscribing to channels with `{ action: 'subscribe', channel }` (the protocol of
 * `@backstage/plugin-signals`' SignalClient).
 */
export class SignalsTab {
  readonly received: ReceivedSignal[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', data => {
      const { channel, message } = JSON.parse(data.toString());
      this.received.push({ channel, message, at: Date.now() });
    });
  }

  /**
   * Connects, retrying for a while: the signals backend starts handling websocket upgrades with
   * its first request, as the app's SignalClient also finds by reconnecting.
   */
  static async connect(baseUrl: string, token: string): Promise<SignalsTab> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/signals`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        const ws = await new Promise<WebSocket>((resolve, reject) => {
          const socket = new WebSocket(url, token, { handshakeTimeout: 3000 });
          socket.once('open', () => resolve(socket));
          socket.once('error', reject);
          socket.once('unexpected-response', (_req, res) =>
            reject(new Error(`upgrade answered ${res.statusCode}`)),
          );
        });
        return new SignalsTab(ws);
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`Could not open ${url}: ${error}`, { cause: error });
        }
        await new Promise(resolve => setTimeout(resolve, 200));
      }
    }
  }

  subscribe(channel: string) {
    this.ws.send(JSON.stringify({ action: 'subscribe', channel }));
  }

  close() {
    this.ws.close();
  }
}
