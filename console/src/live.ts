// Live streams over graphql-transport-ws that lose nothing across reconnects.
//
// graphql-ws retries a dropped socket on its own and then re-sends each subscription's original
// payload. Each stream here keeps one payload object and moves its `after` variable to every
// event it receives, so the re-sent subscription asks for exactly what was missed. A stream
// starts from the organization's newest event id, read just before subscribing, so it has a
// place to resume from even before its first event. A stream that the server ends (an expired
// token, an interrupted or expired event stream) is resubscribed here, after renewing the
// token when that is the reason.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { type Client, createClient, type FormattedExecutionResult } from "graphql-ws";
import { stringifyDocument } from "urql";
import type { Session } from "./session";

export type ConnectionState = "connecting" | "live" | "interrupted";

export interface LiveEvent {
  eventId: string;
}

export interface StreamHandlers<E> {
  event(event: E): void;
  /** Events were lost for good (older than the server keeps): reload the state. */
  gap?(): void;
}

/** What a stream does once the server ended it, by the error code it ended with. */
export type Ending = "resume" | "renew" | "restart-from-now" | "retry-later";

export function endingFor(code: unknown): Ending {
  switch (code) {
    case "TOKEN_EXPIRED":
    case "ACCESS_CHANGED":
    case "UNAUTHENTICATED":
      return "renew";
    case "EVENTS_EXPIRED":
      return "restart-from-now";
    case "EVENT_STREAM_INTERRUPTED":
    case undefined:
      return "resume";
    default:
      return "retry-later";
  }
}

/** Waits between reconnection attempts: quick at first, then every 10 s at most. */
export function retryDelayMs(attempt: number, jitter: number = Math.random()): number {
  return Math.min(10_000, 500 * 2 ** attempt) * (0.75 + jitter / 2);
}

/** The event a subscription document delivers in its one field. */
export type EventOf<D, K extends keyof D> = NonNullable<D[K]> & LiveEvent;

type StreamVariables = Record<string, unknown> & { after: string | null };

export class ResumableStream<E extends LiveEvent> {
  readonly payload: { query: string; variables: StreamVariables };
  private dispose: () => void = () => {};
  private stopped = false;
  private ending: Ending = "resume";

  constructor(
    private readonly connection: Pick<Client, "subscribe">,
    query: string,
    variables: Record<string, unknown>,
    private readonly field: string,
    private readonly handlers: StreamHandlers<E>,
    private readonly reconnect: () => Promise<boolean>,
    private readonly startingCursor: () => Promise<string | null>,
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {
    this.payload = { query, variables: { ...variables, after: null } };
  }

  get lastEventId(): string | null {
    return this.payload.variables.after;
  }

  async start(): Promise<void> {
    if (this.payload.variables.after === null) {
      this.payload.variables.after = await this.startingCursor().catch(() => null);
    }
    if (this.stopped) return;
    this.ending = "resume";
    this.dispose = this.connection.subscribe<Record<string, E | null>>(this.payload, {
      next: (result) => this.receive(result),
      error: () => {
        this.ending = "retry-later";
      },
      complete: () => void this.ended(),
    });
  }

  stop(): void {
    this.stopped = true;
    this.dispose();
  }

  private receive(result: FormattedExecutionResult<Record<string, E | null>, unknown>): void {
    const event = result.data?.[this.field];
    if (event) {
      const last = this.payload.variables.after;
      if (last !== null && Number(event.eventId) <= Number(last)) return;
      this.payload.variables.after = event.eventId;
      this.handlers.event(event);
      return;
    }
    const code = result.errors?.[0]?.extensions?.["code"];
    this.ending = endingFor(code);
  }

  private async ended(): Promise<void> {
    if (this.stopped) return;
    const ending = this.ending;
    if (ending === "renew" && !(await this.reconnect())) return;
    if (ending === "restart-from-now") {
      this.payload.variables.after = null;
      this.handlers.gap?.();
    }
    if (ending === "retry-later") await this.wait(5_000);
    if (ending === "resume") await this.wait(250);
    await this.start();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function websocketUrl(location: Location = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/graphql`;
}

export class LiveUpdates {
  private readonly client: Client;
  private state: ConnectionState = "connecting";
  private readonly listeners = new Set<(state: ConnectionState) => void>();
  private reconnecting: Promise<boolean> | null = null;

  constructor(
    private readonly session: Session,
    private readonly startingCursor: () => Promise<string | null>,
    url: string = websocketUrl(),
  ) {
    this.client = createClient({
      url,
      lazy: false,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: (attempt) => sleep(retryDelayMs(attempt)),
      connectionParams: async () => ({
        authorization: `Bearer ${(await this.session.accessToken()) ?? ""}`,
      }),
      on: {
        connected: () => this.setState("live"),
        closed: () => this.setState("interrupted"),
      },
    });
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  follow<D, V, K extends keyof D & string>(
    document: TypedDocumentNode<D, V>,
    variables: Omit<V, "after">,
    field: K,
    handlers: StreamHandlers<EventOf<D, K>>,
  ): () => void {
    const stream = new ResumableStream<EventOf<D, K>>(
      this.client,
      stringifyDocument(document),
      variables as Record<string, unknown>,
      field,
      handlers,
      () => this.renewConnection(),
      this.startingCursor,
    );
    void stream.start();
    return () => stream.stop();
  }

  close(): void {
    void this.client.dispose();
  }

  /** A socket authenticates once: with a renewed token, it is replaced for every stream. */
  private renewConnection(): Promise<boolean> {
    if (!this.reconnecting) {
      this.reconnecting = this.session
        .renew()
        .then((tokens) => {
          if (tokens) this.client.terminate();
          return tokens !== null;
        })
        .catch(() => true)
        .finally(() => {
          this.reconnecting = null;
        });
    }
    return this.reconnecting;
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}
