import {
  type AnyVariables,
  type Client,
  createRequest,
  type OperationResult,
  type TypedDocumentNode,
} from "urql";

let unshared = 0;

/** Reads from PyTake with a request of its own. urql answers a query identical to one already
 * on its way (the inbox list and the open conversation read the same conversation) with that
 * one's answer, which may predate the change that prompted this read. */
export function readFresh<Data, Variables extends AnyVariables>(
  client: Client,
  query: TypedDocumentNode<Data, Variables>,
  variables: Variables,
): Promise<OperationResult<Data, Variables>> {
  unshared = (unshared + 1) % Number.MAX_SAFE_INTEGER;
  const request = { ...createRequest(query, variables), key: -unshared };
  return client.executeQuery(request, { requestPolicy: "network-only" }).toPromise();
}

/** A reader of something that changes under events: one read at a time, and a change
 * announced while a read is on its way is followed by one more read after it, since answers
 * to overlapping reads may arrive out of order. */
export function freshReader(read: () => Promise<unknown>): () => Promise<void> {
  let reading: Promise<void> | null = null;
  let changedMeanwhile = false;
  return () => {
    if (reading) {
      changedMeanwhile = true;
      return reading;
    }
    reading = (async () => {
      try {
        do {
          changedMeanwhile = false;
          await read();
        } while (changedMeanwhile);
      } finally {
        reading = null;
      }
    })();
    return reading;
  };
}
