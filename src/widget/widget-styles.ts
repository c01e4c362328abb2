/**
 * Styles of the chat widget. `PANEL_CSS` lives inside the widget's shadow root, so the host page's CSS
 * cannot break the panel and the panel's CSS cannot leak into the page. `PAGE_CSS` is the only style
 * added to the host document: the highlight of a cited paragraph and its quoted sentence.
 */
export const PANEL_CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.root { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f; -webkit-font-smoothing: antialiased; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
button { font: inherit; color: inherit; }
:focus-visible { outline: 3px solid #6aa6ff; outline-offset: 2px; }

.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; display: inline-flex; align-items: center; gap: 8px;
  border: 0; border-radius: 999px; padding: 12px 18px 12px 14px; background: #1a5fb4; color: #fff; font-weight: 600; cursor: pointer;
  box-shadow: 0 6px 20px rgba(20, 40, 80, 0.28); }
.launcher:hover { background: #174f96; }
.launcher svg { width: 20px; height: 20px; flex: none; }

.panel { position: fixed; right: 20px; bottom: 20px; z-index: 2147483001; width: 400px; height: min(640px, calc(100vh - 40px));
  display: flex; flex-direction: column; background: #fff; border-radius: 16px; overflow: hidden;
  box-shadow: 0 12px 40px rgba(15, 30, 60, 0.28), 0 0 0 1px rgba(15, 30, 60, 0.08); }
/* Docked beside the article column (dock-panel.ts): full height, as wide as the free space allows. */
.panel.docked { top: 12px; bottom: 12px; right: 12px; height: auto; width: var(--nqa-dock-width, 400px); border-radius: 14px;
  box-shadow: 0 4px 18px rgba(15, 30, 60, 0.16), 0 0 0 1px rgba(15, 30, 60, 0.12); }
.head { display: flex; align-items: center; gap: 8px; padding: 12px 12px 12px 18px; background: #1a5fb4; color: #fff; }
.head h2 { flex: 1; margin: 0; font-size: 16px; font-weight: 650; }
.head button { border: 0; background: rgba(255, 255, 255, 0.14); color: #fff; border-radius: 8px; padding: 6px 10px; cursor: pointer; font-size: 13px; }
.head button:hover { background: rgba(255, 255, 255, 0.26); }
.head .close { font-size: 20px; line-height: 1; padding: 4px 10px 6px; }

.status { padding: 6px 18px; font-size: 13px; background: #fff4e5; color: #7a4b00; border-bottom: 1px solid #f3dfc1; display: flex; gap: 8px; align-items: center; }
.status button { border: 0; background: none; color: #1a5fb4; text-decoration: underline; cursor: pointer; padding: 0; font-size: 13px; }

.log { flex: 1; overflow-y: auto; padding: 16px 14px 8px; display: flex; flex-direction: column; gap: 12px; overscroll-behavior: contain; background: #f7f8fa; }
.intro { color: #4a4f57; font-size: 14px; }
.intro p { margin: 0 0 10px; }
.starters { display: flex; flex-direction: column; align-items: flex-start; gap: 6px; }
.starter { border: 1px solid #c9d6ea; background: #fff; color: #174f96; border-radius: 12px; padding: 7px 12px; text-align: left; cursor: pointer; font-size: 14px; }
.starter:hover { background: #eef4fc; }

.msg { max-width: 92%; padding: 10px 13px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.user { align-self: flex-end; background: #1a5fb4; color: #fff; border-bottom-right-radius: 4px; }
.msg.bot { align-self: flex-start; background: #fff; border: 1px solid #e3e6ea; border-bottom-left-radius: 4px; }
.msg.refusal { background: #f4f4f5; border: 1px dashed #b9bec6; color: #3d4148; }
.msg.error { align-self: stretch; max-width: none; background: #fdecec; border: 1px solid #f3c2c2; color: #8a1c1c; font-size: 14px; }
.label { display: block; font-size: 12px; font-weight: 650; text-transform: uppercase; letter-spacing: 0.05em; color: #555a62; margin-bottom: 4px; }
.typing { display: inline-flex; gap: 4px; padding: 4px 0; }
.typing i { width: 6px; height: 6px; border-radius: 50%; background: #9aa3ad; animation: blink 1.2s infinite ease-in-out; }
.typing i:nth-child(2) { animation-delay: 0.2s; } .typing i:nth-child(3) { animation-delay: 0.4s; }
@keyframes blink { 0%, 80%, 100% { opacity: 0.25; } 40% { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .typing i { animation: none; } }

.chip { display: inline-block; border: 1px solid #b8cdea; background: #eaf2fd; color: #174f96; border-radius: 999px; padding: 0 7px;
  margin: 0 1px; font-size: 12px; font-weight: 650; line-height: 20px; vertical-align: 1px; cursor: pointer; white-space: nowrap; }
.chip:hover { background: #d7e6fb; }
span.chip { cursor: default; }
.sources { margin-top: 10px; padding-top: 8px; border-top: 1px solid #eceef1; display: flex; flex-direction: column; gap: 6px; white-space: normal; }
.source { display: flex; gap: 8px; align-items: baseline; border: 0; background: none; padding: 2px 0; text-align: left; cursor: pointer; font-size: 13px; color: #4a4f57; }
.source:hover .quote { text-decoration: underline; }
.source .chip { flex: none; }
.quote { font-style: italic; }

.composer { display: flex; gap: 8px; align-items: flex-end; padding: 10px 12px 12px; border-top: 1px solid #e3e6ea; background: #fff; }
.composer textarea { flex: 1; resize: none; border: 1px solid #c4cad3; border-radius: 12px; padding: 9px 12px; font: inherit; font-size: 16px;
  line-height: 1.4; max-height: 120px; min-height: 42px; color: inherit; background: #fff; }
.composer textarea:focus { border-color: #1a5fb4; outline: none; box-shadow: 0 0 0 3px rgba(26, 95, 180, 0.2); }
.composer button { border: 0; border-radius: 12px; background: #1a5fb4; color: #fff; font-weight: 600; padding: 10px 16px; cursor: pointer; min-height: 42px; }
/* Disabled, but still readable (4.5:1 and more): the reader should see what the button is for. */
.composer button:disabled { background: #e3e7ed; color: #4a5260; cursor: not-allowed; }
.note { padding: 0 14px 8px; font-size: 12px; line-height: 1.4; color: #555a62; background: #fff; }

.feedback-area { white-space: normal; }
.feedback { display: flex; align-items: center; gap: 4px; margin-top: 8px; padding-top: 6px; border-top: 1px solid #eceef1; flex-wrap: wrap; }
.rate { border: 1px solid #c4cad3; background: #fff; color: #3d4148; border-radius: 8px; padding: 3px 8px; cursor: pointer; font-size: 12.5px;
  display: inline-flex; align-items: center; min-height: 28px; }
.rate svg { width: 16px; height: 16px; }
.rate:hover { background: #f0f3f7; }
.rate[aria-pressed="true"] { background: #1a5fb4; border-color: #1a5fb4; color: #fff; }
.fb-status { font-size: 12.5px; color: #3d4148; margin-left: 4px; }
.picker { margin-top: 8px; padding: 8px 10px; border: 1px solid #d5dae1; border-radius: 10px; background: #f7f8fa; display: flex; flex-direction: column; gap: 6px; font-size: 13px; }
.picker select { font: inherit; font-size: 13px; max-width: 100%; padding: 4px; border: 1px solid #8a919b; border-radius: 6px; background: #fff; color: #1d1d1f; }
.picker .hint { margin: 0; color: #4a4f57; }
.picker-actions { display: flex; gap: 6px; }
.picker-actions button { border: 1px solid #c4cad3; background: #fff; border-radius: 8px; padding: 4px 12px; cursor: pointer; font-size: 13px; }
.picker-actions .send { background: #1a5fb4; border-color: #1a5fb4; color: #fff; }

.popover { position: absolute; left: 12px; right: 12px; bottom: 122px; max-height: calc(100% - 200px); overflow-y: auto; background: #fff; border-radius: 12px;
  padding: 14px 16px; box-shadow: 0 10px 30px rgba(15, 30, 60, 0.3), 0 0 0 1px rgba(15, 30, 60, 0.1); white-space: pre-wrap; }
.popover .pop-head { display: flex; justify-content: space-between; align-items: center; margin-bottom: 6px; white-space: normal; }
.popover .pop-head button { border: 0; background: #eef0f3; border-radius: 8px; padding: 4px 10px; cursor: pointer; }
.popover mark { background: #ffe58a; color: inherit; padding: 0 1px; }
.popover p { margin: 0; font: 15px/1.6 Georgia, serif; }

@media (max-width: 480px) {
  .panel, .panel.docked { right: 0; left: 0; top: auto; bottom: 0; width: 100%; height: 88vh; height: 88dvh; border-radius: 16px 16px 0 0; }
  .launcher { right: 14px; bottom: 14px; }
  .msg { max-width: 96%; }
}
`;

export const PAGE_CSS = `
.nqa-shifted { position: relative !important; left: calc(-1 * var(--nqa-shift, 0px)) !important; transition: left 0.2s ease; }
@media (prefers-reduced-motion: reduce) { .nqa-shifted { transition: none; } }
.nqa-picking [id^="p"]:hover { outline: 2px dashed #1a5fb4; outline-offset: 4px; cursor: pointer; }
.nqa-cited { background: #fff8d6 !important; box-shadow: -10px 0 0 #fff8d6, 10px 0 0 #fff8d6, -14px 0 0 #f2c94c !important;
  border-radius: 2px; transition: background-color 0.6s ease; }
mark.nqa-quote { background: #ffe066; color: inherit; padding: 0.05em 0; border-radius: 2px; }
`;
