/** Reads of the same thing overlap when changes come quickly, and their answers may arrive in
 * any order. Each read takes a turn as it starts; an answer older than one already shown is
 * dropped, so the view never goes back to a state it has moved past. */
export class ReadOrder {
  private started = 0;
  private shown = 0;

  /** Call as a read starts; show its answer through the function it returns. */
  begin(): (show: () => void) => void {
    const read = ++this.started;
    return (show) => {
      if (read < this.shown) return;
      this.shown = read;
      show();
    };
  }
}
