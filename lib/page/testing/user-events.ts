/**
 * Unit tests in happy-dom stand for the user: events they dispatch are marked
 * trusted, as the browser marks real input. (In a browser a page script cannot
 * do this: `isTrusted` is unforgeable there, DOM Standard §2.5.) Browser tests
 * use real input instead.
 */
export function asUser<E extends Event>(event: E): E {
  Object.defineProperty(event, 'isTrusted', { value: true });
  return event;
}

/** A click as the user makes it. */
export function userClick(target: Element): void {
  target.dispatchEvent(asUser(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true })));
}
