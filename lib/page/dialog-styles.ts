/** CSS of our shadow roots (dialog, toast, floating button), with the page's light/dark palette as variables. */
export const PAGE_UI_CSS = `
:host { all: initial; }
.theme { --bg: #fff; --fg: rgba(0,0,0,.87); --muted: rgba(0,0,0,.6); --line: rgba(0,0,0,.23);
  --primary: #1976d2; --on-primary: #fff; --error: #d32f2f; --field: #fff; --scrim: rgba(0,0,0,.5);
  font: 14px/1.5 Roboto, "Segoe UI", "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--fg); }
.theme.dark { --bg: #2b2b2b; --fg: #fff; --muted: rgba(255,255,255,.7); --line: rgba(255,255,255,.23);
  --primary: #90caf9; --on-primary: rgba(0,0,0,.87); --error: #f44336; --field: #1e1e1e; --scrim: rgba(0,0,0,.6); }
.scrim { position: fixed; inset: 0; z-index: 2147483646; background: var(--scrim); display: flex;
  align-items: center; justify-content: center; }
.dialog { background: var(--bg); color: var(--fg); border-radius: 8px; width: min(480px, calc(100vw - 32px));
  max-height: calc(100vh - 32px); overflow: auto; box-shadow: 0 11px 15px -7px rgba(0,0,0,.2), 0 24px 38px 3px rgba(0,0,0,.14);
  padding: 20px 24px; box-sizing: border-box; }
h2 { font-size: 20px; font-weight: 500; margin: 0 0 8px; }
.summary { color: var(--muted); margin: 0 0 16px; overflow-wrap: anywhere; }
label.field { display: block; margin: 0 0 14px; }
label.field span { display: block; font-size: 12px; color: var(--muted); margin-bottom: 4px; }
input[type=text], select { width: 100%; box-sizing: border-box; font: inherit; color: var(--fg); background: var(--field);
  border: 1px solid var(--line); border-radius: 4px; padding: 8px 10px; }
input[type=text]:focus, select:focus { outline: 2px solid var(--primary); outline-offset: -1px; }
fieldset { border: 0; margin: 0 0 12px; padding: 0; }
legend { font-size: 12px; color: var(--muted); padding: 0; margin-bottom: 4px; }
.mode { display: flex; gap: 8px; align-items: baseline; margin: 2px 0; }
.mode.disabled { color: var(--muted); }
.hint { font-size: 12px; color: var(--muted); margin: 0 0 4px 26px; }
.error { color: var(--error); margin: 8px 0; overflow-wrap: anywhere; }
.result { margin: 8px 0; overflow-wrap: anywhere; }
.actions { display: flex; justify-content: flex-end; gap: 8px; margin-top: 16px; }
button { font: inherit; font-weight: 500; text-transform: uppercase; letter-spacing: .03em; border-radius: 4px;
  padding: 6px 16px; cursor: pointer; border: 0; background: transparent; color: var(--primary); }
button.primary { background: var(--primary); color: var(--on-primary); }
button:disabled { opacity: .5; cursor: default; }
button:focus-visible { outline: 2px solid var(--primary); outline-offset: 2px; }
.field > span { display: block; font-size: 12px; color: var(--muted); margin-bottom: 4px; }
button.link { text-transform: none; letter-spacing: 0; font-weight: 400; padding: 0 2px; }
.picker { border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; }
.picker-crumbs { overflow-wrap: anywhere; margin-bottom: 4px; }
.picker-crumbs [aria-current] { font-weight: 500; }
/* Fixed heights: the folders and the preview arrive after the dialog opens and must not move Start under the pointer. */
.picker-list { list-style: none; margin: 0 0 4px; padding: 0; height: 120px; overflow: auto; }
.picker-folder { display: block; width: 100%; text-align: left; text-transform: none; letter-spacing: 0;
  font-weight: 400; color: var(--fg); padding: 3px 6px; overflow-wrap: anywhere; }
/* A folder drawn with two gradients (tab + body): an emoji needs an emoji font, which many Linux
   systems lack (it shows as an empty box), and an image URL could be blocked by the page's CSP. */
.picker-folder::before { content: ""; display: inline-block; width: 14px; height: 11px; margin-right: 6px;
  vertical-align: -1px; color: var(--muted);
  background: linear-gradient(currentColor, currentColor) 0 0 / 6px 3px no-repeat,
    linear-gradient(currentColor, currentColor) 0 2px / 100% 9px no-repeat; border-radius: 1px; }
.picker-folder:hover { background: var(--line); }
.picker-note { color: var(--muted); padding: 3px 6px; }
.picker-new { display: flex; gap: 4px; align-items: center; }
.picker-new input { flex: 1; }
.preview-box { min-height: 63px; margin: 0 0 8px; }
.preview-line { margin: 2px 0; overflow-wrap: anywhere; }
.hint.warn { margin-left: 0; }
.save-here { margin: 0 0 14px; }
.save-here p { margin: 0 0 4px; }
.save-here .hint { margin-left: 0; }
.fab { position: fixed; right: 16px; bottom: 16px; z-index: 2147483645; border-radius: 28px; padding: 12px 20px;
  box-shadow: 0 3px 5px -1px rgba(0,0,0,.2), 0 6px 10px rgba(0,0,0,.14); }
.toast { position: fixed; left: 50%; bottom: 24px; transform: translateX(-50%); z-index: 2147483647; max-width: min(560px, calc(100vw - 32px));
  background: #323232; color: #fff; border-radius: 4px; padding: 10px 16px; box-shadow: 0 3px 5px rgba(0,0,0,.3); }
`;
