/** Where the arrow, Home and End keys move within a toolbar of `count` items (WAI-ARIA's
 * toolbar pattern: the toolbar is one Tab stop and arrows move inside it, wrapping around);
 * null for any other key. */
export function toolbarMove(key: string, index: number, count: number): number | null {
  switch (key) {
    case "ArrowRight":
      return (index + 1) % count;
    case "ArrowLeft":
      return (index - 1 + count) % count;
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}
