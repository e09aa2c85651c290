// The report's one style sheet: system fonts only, readable from phone width to a wide screen,
// wide tables scroll inside their own box so that the page never scrolls sideways.
export const reportStyle = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa;
  --pass: #1a7f37; --fail: #cf222e; --skip: #6e7781; --accent: #0550ae; }
* { box-sizing: border-box; }
body { margin: 0; overflow-wrap: break-word; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: var(--fg); background: #fff; }
header.page, main { max-width: 1180px; margin: 0 auto; padding: 0 16px; }
header.page { padding-top: 20px; }
h1, h2, h3, h4, summary, figcaption, .legend { overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 32px 0 8px; padding-top: 8px; border-top: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 24px 0 8px; }
h4 { font-size: 1rem; margin: 16px 0 6px; }
p { margin: 6px 0; }
a { color: var(--accent); }
nav ul { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; padding: 0; margin: 8px 0 0; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.86rem; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 6px 0;
  white-space: pre-wrap; overflow-wrap: anywhere; max-height: 24em; overflow-y: auto; }
.muted { color: var(--muted); }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 8px; margin: 12px 0; padding: 0; list-style: none; }
.facts li { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.facts strong { display: block; font-size: 1.3rem; }
.table-box { overflow-x: auto; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; color: var(--muted); padding: 4px 0; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); overflow-wrap: break-word; }
thead th { background: var(--soft); font-weight: 600; border-bottom: 2px solid var(--line); }
th[scope="row"] { font-weight: 500; }
th[scope="row"] > a { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; width: 1%; }
.fit { white-space: nowrap; width: 1%; }
tr.task th { background: #eef3f8; font-weight: 600; }
details.data th[scope="row"] { white-space: nowrap; }
details.data thead th { white-space: normal; }
details.data .num { width: auto; }
figure { max-width: 640px; }
tr.detail td { border-bottom: 1px solid var(--line); padding-top: 0; }
.passed { color: var(--pass); font-weight: 600; }
.failed { color: var(--fail); font-weight: 600; }
.skipped { color: var(--skip); font-weight: 600; }
.badge { display: inline-block; font-size: 0.75rem; padding: 0 6px; border-radius: 10px; border: 1px solid var(--line); color: var(--muted); vertical-align: 1px; }
.rate { display: flex; align-items: center; gap: 8px; min-width: 130px; }
.rate .bar { flex: 1; height: 10px; background: #ffebe9; border-radius: 5px; overflow: hidden; min-width: 50px; }
.rate .bar span { display: block; height: 100%; background: var(--pass); }
.split { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); gap: 8px 24px; align-items: start; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); gap: 16px; }
figure { margin: 8px 0; }
figure svg { display: block; width: 100%; max-width: 560px; height: auto; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg text { font-family: system-ui, sans-serif; fill: var(--fg); font-size: 11px; }
svg text.bucket { text-anchor: end; font-size: 12px; }
.s0 { fill: #0969da; background: #0969da; } .s1 { fill: #bc4c00; background: #bc4c00; }
.s2 { fill: #8250df; background: #8250df; } .s3 { fill: #1a7f37; background: #1a7f37; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; padding: 0; margin: 4px 0; font-size: 0.9rem; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
details > summary { cursor: pointer; }
details.data summary { color: var(--muted); font-size: 0.9rem; }
details.student { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; padding: 0 12px; }
details.student > summary { padding: 8px 0; font-weight: 600; }
details.student[open] { padding-bottom: 12px; }
.failure { margin: 8px 0 14px; }
.failure .count { font-weight: 600; }
.note { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 6px 10px; }
ol.failures { padding-left: 1.4em; }
ul.failed-checks { padding-left: 1.2em; }
ul.failed-checks li { margin: 4px 0 10px; }
@media (max-width: 600px) {
  body { font-size: 14px; }
  header.page, main { padding: 0 10px; }
  th, td { padding: 4px 5px; }
}
`;
