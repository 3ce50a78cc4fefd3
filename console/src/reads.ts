/** A reader of something that changes under events: one read at a time, and a change
 * announced while a read is on its way is followed by one more read after it. Reads that
 * overlapped would not do: urql answers a query identical to one in flight with that one's
 * answer, which may predate the change, and answers may arrive out of order. */
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
