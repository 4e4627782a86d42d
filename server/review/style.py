"""The review page's stylesheet, served from `/review/static/review.css`.

A file of its own route rather than inline, so the Content-Security-Policy can forbid every
inline style and script: even markup that slipped past escaping could not run or restyle.
"""

from __future__ import annotations

CSS = """
:root {
  --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --bg: #f5f7fa; --card: #ffffff;
  --accent: #2f5d8a; --ok: #2f7a4f; --ok-bg: #e3f4ea; --warn: #8a5a00; --warn-bg: #fff4d6;
  --bad: #a23b3b; --bad-bg: #fbe9e9; --info-bg: #e8f0f8;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header.bar { background: var(--card); border-bottom: 1px solid var(--line);
  padding: 0.6rem 1.5rem; display: flex; align-items: center; gap: 1rem; }
header.bar .brand { font-weight: 600; color: var(--accent); text-decoration: none; }
header.bar .who { margin-left: auto; color: var(--muted); font-size: 0.9rem; }
header.bar form { display: inline; margin: 0; }
main { max-width: 1040px; margin: 1.5rem auto; padding: 0 1.5rem 3rem; }
h1 { font-size: 1.35rem; margin: 0 0 0.35rem; font-weight: 600; }
h2 { font-size: 1.05rem; margin: 0 0 0.75rem; font-weight: 600; }
a { color: var(--accent); }
.meta { color: var(--muted); margin: 0 0 1rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 1rem 1.25rem; margin: 0 0 1rem; }
.card.decide { border-color: var(--accent); box-shadow: 0 1px 3px rgba(31,41,51,.08); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { color: var(--muted); font-weight: 500; font-size: 0.85rem; }
table.facts th { width: 12rem; }
tr:last-child td, tr:last-child th { border-bottom: none; }
h3 { font-size: 0.9rem; font-weight: 600; color: var(--muted); margin: 1rem 0 0.25rem; }
table.queue { table-layout: fixed; }
table.queue th:nth-child(1) { width: 9.5rem; }
table.queue th:nth-child(3) { width: 9rem; }
table.queue th:nth-child(4), table.queue th:nth-child(5) { width: 10.5rem; }
table.queue td { overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 999px;
  font-size: 0.8rem; font-weight: 600; background: var(--info-bg); color: var(--accent);
  white-space: nowrap; }
.badge.pending_review, .badge.review, .badge.unknown {
  background: var(--warn-bg); color: var(--warn); }
.badge.drift { background: #ffe8d9; color: #9a4a12; }
.badge.verified, .badge.resolved, .badge.applied, .badge.allow, .badge.match {
  background: var(--ok-bg); color: var(--ok); }
.badge.rejected, .badge.failed, .badge.denied, .badge.deny, .badge.expired {
  background: var(--bad-bg); color: var(--bad); }
.flash { border-radius: 8px; padding: 0.75rem 1rem; margin: 0 0 1rem; border: 1px solid; }
.flash.ok { background: var(--ok-bg); border-color: #b7dfc6; }
.flash.warn { background: var(--warn-bg); border-color: #f0d58c; }
.flash.error { background: var(--bad-bg); border-color: #eab8b8; }
ul.reasons { margin: 0 0 0.75rem; padding-left: 1.2rem; }
ul.reasons li { margin: 0.2rem 0; }
.hint { color: var(--muted); font-size: 0.9rem; }
pre { background: #f8fafc; border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem;
  overflow: auto; font-size: 0.82rem; line-height: 1.4; max-height: 32rem; margin: 0; }
details { margin: 0.25rem 0; }
summary { cursor: pointer; color: var(--accent); }
.actions { display: grid; grid-template-columns: 1fr 1fr; gap: 1.25rem; }
.actions form { margin: 0; }
label { display: block; font-weight: 500; margin: 0 0 0.3rem; }
textarea, input[type=text], input[type=password] { width: 100%; padding: 0.5rem;
  border: 1px solid #bcccdc; border-radius: 6px; font: inherit; }
textarea { min-height: 4.5rem; }
button { font: inherit; font-weight: 600; border-radius: 6px; padding: 0.5rem 1rem;
  border: 1px solid transparent; cursor: pointer; margin-top: 0.5rem; }
button.approve { background: var(--ok); color: #fff; }
button.reject { background: var(--card); color: var(--bad); border-color: var(--bad); }
button.primary { background: var(--accent); color: #fff; }
button.link { background: none; border: none; color: var(--accent); padding: 0; margin: 0;
  font-weight: 400; text-decoration: underline; }
nav.filters { display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0 0 1rem; }
nav.filters a { padding: 0.2rem 0.7rem; border-radius: 999px; border: 1px solid var(--line);
  background: var(--card); text-decoration: none; font-size: 0.85rem; }
nav.filters a.on { background: var(--accent); color: #fff; border-color: var(--accent); }
.empty { color: var(--muted); }
.login { max-width: 24rem; margin: 4rem auto; }
.login input { margin-bottom: 0.75rem; }
.trail li { margin: 0 0 0.6rem; }
.trail { list-style: none; padding: 0; margin: 0; }
.small { font-size: 0.85rem; color: var(--muted); }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.88rem; }
@media (max-width: 720px) { .actions { grid-template-columns: 1fr; } }
"""
