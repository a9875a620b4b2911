/**
 * Our page UI acts only on the user's own input. Events a page script makes
 * (`dispatchEvent`, `el.click()`, `form.requestSubmit()`, a synthetic `focus`)
 * carry `isTrusted === false` (DOM Standard §2.5 "Interface Event", isTrusted);
 * the user's clicks and keys, and Playwright's (CDP input), carry true.
 */
export function onlyTrusted<E extends Event>(handler: (event: E) => void): (event: E) => void {
  return (event) => {
    if (event.isTrusted) handler(event);
  };
}
