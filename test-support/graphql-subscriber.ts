import WebSocket from 'ws';

/** A graphql-transport-ws client: one subscription per socket, messages collected in order. */
export class Subscriber {
  readonly received: { type: string; payload?: unknown }[] = [];
  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.received.push(JSON.parse(String(data))));
  }

  static async open(
    url: string,
    token: string,
    query: string,
    variables: object,
  ): Promise<Subscriber> {
    const socket = new WebSocket(url.replace('http', 'ws'), 'graphql-transport-ws');
    const subscriber = new Subscriber(socket);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    socket.send(
      JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }),
    );
    await subscriber.until((m) => m.type === 'connection_ack');
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
    return subscriber;
  }

  async until(
    predicate: (message: { type: string; payload?: unknown }) => boolean,
    timeoutMs = 15_000,
  ) {
    const deadline = Date.now() + timeoutMs;
    while (!this.received.some(predicate)) {
      if (Date.now() > deadline)
        throw new Error(`no such message; got ${JSON.stringify(this.received)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  data<T>(): T[] {
    return this.received
      .filter((m) => m.type === 'next')
      .map((m) => (m.payload as { data: T }).data);
  }

  close() {
    this.socket.close();
  }
}
