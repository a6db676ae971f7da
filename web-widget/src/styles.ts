/** The widget's CSS, scoped by its Shadow DOM; `--atento-*` variables come from data attributes. */
export const WIDGET_CSS = `
:host{all:initial}
*{box-sizing:border-box}
[hidden]{display:none!important}
.root{--gap:12px;position:fixed;bottom:20px;right:20px;z-index:2147483000;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933}
.root[data-position=left]{right:auto;left:20px}
.sr-only{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
button{font:inherit;cursor:pointer}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.launcher{width:60px;height:60px;border-radius:50%;border:0;background:var(--atento-color);color:var(--atento-on-color);box-shadow:0 6px 20px rgba(0,0,0,.25);display:grid;place-items:center;position:relative;margin-left:auto}
.launcher svg{width:28px;height:28px;fill:currentColor}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#b91c1c;color:#fff;font-size:12px;font-weight:700;display:grid;place-items:center}
.panel{position:absolute;bottom:76px;right:0;width:380px;height:min(620px,calc(100vh - 120px));background:#fff;border-radius:16px;box-shadow:0 12px 40px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}
.root[data-position=left] .panel{right:auto;left:0}
.header{background:var(--atento-color);color:var(--atento-on-color);padding:14px 16px;display:flex;align-items:flex-start;gap:8px}
.header .heading{flex:1;min-width:0}
h2{margin:0;font-size:17px;font-weight:700}
.status{margin:2px 0 0;font-size:13px;opacity:.95}
.close{background:transparent;border:0;color:inherit;font-size:26px;line-height:1;padding:0;border-radius:8px;width:44px;height:44px;margin:-7px -10px -7px 0;display:grid;place-items:center}
.close:focus-visible{outline-color:var(--atento-on-color)}
.log:focus-visible{outline-offset:-3px}
.log{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:16px;display:flex;flex-direction:column;gap:var(--gap);background:#f7f7f4}
.msg{display:flex;flex-direction:column;max-width:88%;gap:6px}
.msg.from-shopper{align-self:flex-end;align-items:flex-end}
.msg.from-system{align-self:center;max-width:95%;text-align:center;font-size:13px;color:#52606d}
.author{font-size:12px;color:#52606d;font-weight:600}
.bubble{padding:10px 13px;border-radius:14px;background:#fff;border:1px solid #e2e2dc;overflow-wrap:anywhere}
.from-shopper .bubble{background:var(--atento-color);color:var(--atento-on-color);border-color:transparent;white-space:pre-wrap}
.from-agent .bubble{background:#eef6ff;border-color:#c9def5}
.from-system .bubble{background:transparent;border:0;padding:2px}
.failed .bubble{outline:2px solid #b91c1c}
.retry{margin-left:8px;padding:0 2px;font:inherit;font-size:12px;font-weight:600;color:#1d4ed8;background:none;border:0;text-decoration:underline;cursor:pointer}
.bubble p{margin:0 0 8px}.bubble p:last-child{margin:0}
.bubble ul,.bubble ol{margin:4px 0 8px;padding-left:20px}
.bubble a{color:#0b5394;font-weight:600}
.from-shopper .bubble a{color:inherit}
.choices{display:flex;flex-wrap:wrap;gap:6px}
.choices p{flex-basis:100%;margin:4px 0 0;font-size:12px;color:#52606d}
.chip{border:1.5px solid var(--atento-color);background:#fff;color:#1f2933;border-radius:16px;padding:6px 12px;text-align:left}
.chip:hover{background:#f0f4f3}
.chip:disabled{opacity:.6;cursor:default}.chip:disabled:hover{background:#fff}.choices .chip[aria-pressed=true]{background:var(--atento-color);color:var(--atento-on-color);opacity:1}
.feedback{display:flex;align-items:center;gap:6px;font-size:13px;color:#52606d}
.rating{display:flex;flex-direction:column;align-items:flex-start;text-align:left;gap:6px;margin-top:6px;font-size:13px;color:#52606d}.rating-values{display:flex;gap:6px}.rating-values .chip{min-width:40px;min-height:40px}.rating-values .chip[aria-pressed=true]{background:var(--atento-color);color:var(--atento-on-color)}.rating textarea{align-self:stretch;font:inherit;padding:6px;border:1px solid #7b8794;border-radius:8px;resize:vertical}.rating-send{align-self:flex-start;min-height:36px;padding:0 14px;border:0;border-radius:18px;background:var(--atento-color);color:var(--atento-on-color);font:inherit;cursor:pointer}.rating-send:disabled{opacity:.5;cursor:default}.rating-thanks{margin:6px 0 0;font-size:13px;color:#52606d}
.thumb{border:1px solid #7b8794;background:#fff;border-radius:14px;padding:3px 10px;color:#1f2933;display:grid;place-items:center}
.thumb svg{width:16px;height:16px;fill:currentColor}
.thumb[aria-pressed=true]{background:#1f2933;color:#fff;border-color:#1f2933}
.typing{padding:0 16px 8px;font-size:13px;color:#52606d;background:#f7f7f4;display:flex;align-items:center;gap:8px}
.dots{display:inline-flex;gap:3px}.dots i{width:6px;height:6px;border-radius:50%;background:#7b8794;animation:blink 1.2s infinite}
.dots i:nth-child(2){animation-delay:.2s}.dots i:nth-child(3){animation-delay:.4s}
@keyframes blink{0%,80%,100%{opacity:.25}40%{opacity:1}}
@media (prefers-reduced-motion:reduce){.dots i{animation:none}}
.notice{margin:0;padding:8px 16px;font-size:13px;background:#fdecea;color:#8a1c1c}
.actions{padding:8px 12px 0;background:#fff;border-top:1px solid #e2e2dc}
.human{background:transparent;border:1px solid #7b8794;border-radius:16px;padding:5px 12px;color:#1f2933;font-size:13px}
.human[aria-disabled=true]{opacity:.6;cursor:default}
form{display:flex;gap:8px;padding:10px 12px 12px;background:#fff;align-items:flex-end}
textarea{flex:1;resize:none;border:1.5px solid #7b8794;border-radius:12px;padding:9px 12px;font:inherit;color:#1f2933;max-height:120px;min-height:42px;overscroll-behavior:contain}
textarea:focus-visible{outline:3px solid #b45309;outline-offset:0;border-color:#1f2933}
.send{width:44px;height:42px;border:0;border-radius:12px;background:var(--atento-color);color:var(--atento-on-color);display:grid;place-items:center}
.send svg{width:20px;height:20px;fill:currentColor}
/* Also a laptop at 200 % zoom (640 × 400 CSS px): a floating panel there would leave the log a line and a half. */
@media (max-width:480px),(max-height:500px){
  .root{bottom:14px;right:14px}
  .root[data-position=left]{left:14px}
  .panel{position:fixed;inset:0;width:100%;height:100%;height:100dvh;border-radius:0}
  .root.open .launcher{display:none}
}
`;
