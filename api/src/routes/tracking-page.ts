/**
 * The public tracking page at `/tracking/<code>`, where the receipt's QR code leads
 * (`{MOTCUA_PUBLIC_URL}/tracking/<code>#<secret>`): no login, Vietnamese first and English
 * second. The server sends a small HTML shell naming the code; the page's script reads the
 * secret from the address's fragment (never sent to a server, so never in a log) or asks for
 * it, calls the public tracking API (`GET /api/tracking/<code>?secret=…`) and shows the
 * status, the current step (agency and step name), the appointment and the status history.
 * It shows nothing personal: the API gives none.
 *
 * The script and style sheet are files of their own (`/tracking-page/…`), as the Content
 * Security Policy (`script-src 'self'`) wants; both are small enough to live here as text.
 */

/** The public address of a dossier's tracking page: `{base}/tracking/<code>`, with `#<secret>` when given. */
export function trackingPageUrlOf(base: string, code: string, secret?: string): string {
  return `${base.replace(/\/+$/, '')}/tracking/${encodeURIComponent(code)}${secret ? `#${encodeURIComponent(secret)}` : ''}`;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The HTML shell of the page of one code (the code is escaped; it is only shown and passed to the script). */
export function trackingPageHtml(code: string, assets: { script: string; style: string }): string {
  const safe = escapeHtml(code);
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>Tra cứu hồ sơ ${safe} – Dossier tracking</title>
<link rel="stylesheet" href="${assets.style}">
</head>
<body>
<header class="bar">
  <div class="wrap"><span class="brand">Dịch vụ công Một cửa</span> <span class="brand-en" lang="en">One-stop public services</span></div>
</header>
<main class="wrap" id="main" data-code="${safe}">
  <h1>Tra cứu tình trạng hồ sơ <span class="en" lang="en">Dossier tracking</span></h1>
  <p class="code-line">Mã hồ sơ <span class="en-inline" lang="en">Dossier code</span>: <strong class="code">${safe}</strong></p>
  <form id="secret-form" class="card" hidden>
    <label for="secret">Mã bí mật tra cứu <span class="en" lang="en">Tracking secret</span></label>
    <p class="hint" id="secret-hint">In trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, dưới mã QR. <span lang="en">Printed on your receipt, under the QR code.</span></p>
    <div class="row">
      <input id="secret" name="secret" type="text" autocomplete="off" autocapitalize="off" spellcheck="false" required maxlength="200" aria-describedby="secret-hint">
      <button type="submit">Tra cứu <span lang="en">Track</span></button>
    </div>
  </form>
  <div id="result" aria-live="polite"></div>
  <noscript><p class="card error">Trang này cần JavaScript. <span lang="en">This page needs JavaScript.</span></p></noscript>
</main>
<footer class="wrap foot">Trang công khai: không hiển thị thông tin cá nhân. <span lang="en">Public page: no personal data is shown.</span></footer>
<script src="${assets.script}" defer></script>
</body>
</html>
`;
}

/** The page's style sheet. */
export const TRACKING_PAGE_CSS = `
:root { --ink: #1b1f24; --muted: #555d66; --line: #d5dae0; --brand: #a61b1b; --ok: #1d6b3a; --warn: #8a5a00; --bad: #a61b1b; --bg: #f5f6f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.5 system-ui, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
.wrap { max-width: 44rem; margin: 0 auto; padding: 0 1rem; }
.bar { background: var(--brand); color: #fff; padding: .7rem 0; }
.brand { font-weight: 700; letter-spacing: .01em; }
.brand-en { opacity: .85; font-size: .9em; margin-left: .4rem; }
h1 { font-size: 1.5rem; margin: 1.4rem 0 .4rem; line-height: 1.25; }
h2 { font-size: 1.1rem; margin: 0 0 .6rem; }
.en { display: block; font-size: .8em; font-weight: 400; color: var(--muted); }
.en-inline, .card [lang="en"], .hint [lang="en"] { color: var(--muted); font-size: .92em; }
.code-line { margin: 0 0 1rem; }
.code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 1.05em; word-break: break-all; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 1rem 1.1rem; margin: 0 0 1rem; }
label { font-weight: 700; display: block; }
.hint { color: var(--muted); margin: .2rem 0 .6rem; font-size: .95em; }
.row { display: flex; gap: .5rem; flex-wrap: wrap; }
input { flex: 1 1 14rem; font: inherit; padding: .6rem .7rem; border: 1px solid #8a939c; border-radius: 8px; min-height: 48px; }
button { font: inherit; font-weight: 700; padding: .6rem 1.2rem; border: 0; border-radius: 8px; background: var(--brand); color: #fff; min-height: 48px; cursor: pointer; }
.card button [lang="en"], button [lang="en"] { color: #fde8e8; font-weight: 400; font-size: .9em; }
input:focus-visible, button:focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
.status { display: flex; align-items: center; gap: .8rem; flex-wrap: wrap; }
.badge { display: inline-block; padding: .25rem .8rem; border-radius: 999px; font-weight: 700; background: #e8eef7; color: #123a6b; }
.badge.done { background: #e3f3e8; color: var(--ok); }
.badge.stop { background: #fbe3e3; color: var(--bad); }
.badge.wait { background: #fff3d6; color: var(--warn); }
.late { color: var(--bad); font-weight: 700; }
dl { display: grid; grid-template-columns: minmax(9rem, 13rem) 1fr; gap: .45rem 1rem; margin: .8rem 0 0; }
dt { color: var(--muted); }
dd { margin: 0; font-weight: 600; }
ol.history { list-style: none; margin: 0; padding: 0; }
ol.history li { display: grid; grid-template-columns: 9.5rem 1fr; gap: 1rem; padding: .5rem 0; border-top: 1px solid var(--line); }
ol.history li:first-child { border-top: 0; }
time { color: var(--muted); font-variant-numeric: tabular-nums; }
.error { border-color: #e2a3a3; background: #fdf1f1; }
.foot { color: var(--muted); font-size: .85rem; padding-top: .5rem; padding-bottom: 2rem; }
@media (max-width: 30rem) { dl { grid-template-columns: 1fr; gap: .1rem; } dd { margin-bottom: .5rem; } ol.history li { grid-template-columns: 1fr; gap: 0; } }
`;

/** The page's script (plain ES2020, no build step). */
export const TRACKING_PAGE_JS = `
(function () {
  'use strict';
  var main = document.getElementById('main');
  var code = main.getAttribute('data-code');
  var form = document.getElementById('secret-form');
  var input = document.getElementById('secret');
  var result = document.getElementById('result');

  var STATUS = {
    submitted: ['Đã nộp, chờ tiếp nhận', 'Submitted, awaiting reception', 'wait'],
    received: ['Đã tiếp nhận', 'Received', ''],
    processing: ['Đang giải quyết', 'Being processed', ''],
    'supplement-requested': ['Cần bổ sung hồ sơ', 'Documents requested', 'wait'],
    supplemented: ['Đã bổ sung', 'Supplemented', ''],
    'result-ready': ['Có kết quả, chờ trả', 'Result ready for collection', 'done'],
    returned: ['Đã trả kết quả', 'Result returned', 'done'],
    refused: ['Từ chối tiếp nhận', 'Refused at reception', 'stop'],
    rejected: ['Không giải quyết', 'Rejected', 'stop'],
    stopped: ['Dừng xử lý', 'Stopped', 'stop'],
    withdrawn: ['Đã rút hồ sơ', 'Withdrawn', 'stop']
  };
  var EVENT = {
    dossierSubmitted: ['Nộp hồ sơ', 'Submitted'],
    dossierReceived: ['Tiếp nhận hồ sơ', 'Received'],
    processingStarted: ['Bắt đầu giải quyết', 'Processing started'],
    dossierHandedOff: ['Chuyển bước xử lý', 'Handed to the next step'],
    supplementRequested: ['Yêu cầu bổ sung hồ sơ', 'Documents requested'],
    dossierSupplemented: ['Đã bổ sung hồ sơ', 'Documents supplemented'],
    appointmentRedated: ['Hẹn lại ngày trả kết quả', 'Appointment postponed'],
    resultReady: ['Có kết quả', 'Result ready'],
    resultReturned: ['Trả kết quả', 'Result returned'],
    dossierRefused: ['Từ chối tiếp nhận', 'Refused at reception'],
    dossierRejected: ['Không giải quyết', 'Rejected'],
    dossierStopped: ['Dừng xử lý', 'Stopped'],
    dossierWithdrawn: ['Rút hồ sơ', 'Withdrawn']
  };

  var when = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric' });
  var short = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric' });

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (attrs[k] !== undefined) node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { if (c !== null && c !== undefined) node.append(c); });
    return node;
  }
  function bilingual(vi, en) { return [vi, ' ', el('span', { lang: 'en' }, [en])]; }
  function timeEl(iso, fmt) { return iso ? el('time', { datetime: iso }, [fmt.format(new Date(iso))]) : '—'; }

  function showError(vi, en) {
    result.replaceChildren(el('p', { class: 'card error', role: 'alert' }, bilingual(vi, en)));
  }

  function show(view) {
    var s = STATUS[view.status] || [view.status, view.status, ''];
    var name = view.procedure && view.procedure.name ? view.procedure.name : { vi: '', en: '' };
    var facts = el('dl', {}, []);
    function fact(vi, en, value) { facts.append(el('dt', {}, bilingual(vi, en)), el('dd', {}, [value])); }
    fact('Thủ tục', 'Procedure', el('span', {}, [name.vi, el('br'), el('span', { lang: 'en', class: 'en-inline' }, [name.en])]));
    if (view.currentStep) {
      var step = view.currentStep.name + (view.currentStep.agencyName || view.currentStep.agency ? ' – ' + (view.currentStep.agencyName || view.currentStep.agency) : '');
      fact('Đang ở bước', 'Current step', step);
    }
    if (view.appointmentAt) fact('Hẹn trả kết quả', 'Result due', timeEl(view.appointmentAt, when));
    if (view.receivedAt) fact('Ngày tiếp nhận', 'Received', timeEl(view.receivedAt, short));
    else if (view.submittedAt) fact('Ngày nộp', 'Submitted', timeEl(view.submittedAt, short));

    var summary = el('section', { class: 'card', 'aria-labelledby': 'status-title' }, [
      el('h2', { id: 'status-title' }, bilingual('Tình trạng', 'Status')),
      el('p', { class: 'status' }, [
        el('span', { class: 'badge ' + s[2] }, [s[0]]),
        el('span', { lang: 'en', class: 'en-inline' }, [s[1]]),
        view.late ? el('span', { class: 'late' }, bilingual('Quá hạn', 'Overdue')) : null
      ]),
      facts
    ]);
    var items = (view.history || []).slice().reverse().map(function (h) {
      var e = EVENT[h.type] || [h.type, h.type];
      return el('li', {}, [timeEl(h.at, short), el('span', {}, bilingual(e[0], e[1]))]);
    });
    var historyCard = el('section', { class: 'card', 'aria-labelledby': 'history-title' }, [
      el('h2', { id: 'history-title' }, bilingual('Quá trình xử lý', 'History')),
      items.length ? el('ol', { class: 'history' }, items) : el('p', {}, bilingual('Chưa có.', 'None yet.'))
    ]);
    result.replaceChildren(summary, historyCard);
  }

  function track(secret) {
    result.replaceChildren(el('p', { class: 'card' }, bilingual('Đang tra cứu…', 'Looking it up…')));
    fetch('/api/tracking/' + encodeURIComponent(code) + '?secret=' + encodeURIComponent(secret), { headers: { accept: 'application/json' }, referrerPolicy: 'no-referrer' })
      .then(function (res) {
        if (res.ok) return res.json().then(function (view) { form.hidden = true; show(view); });
        form.hidden = false;
        if (res.status === 404) return showError('Không tìm thấy hồ sơ với mã hồ sơ và mã bí mật này. Vui lòng kiểm tra lại.', 'No dossier with this code and secret. Please check them.');
        if (res.status === 429) return showError('Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút.', 'Too many attempts. Please try again in a few minutes.');
        return showError('Không tra cứu được lúc này (lỗi ' + res.status + '). Vui lòng thử lại sau.', 'Tracking is unavailable now (error ' + res.status + '). Please try again later.');
      })
      .catch(function () {
        form.hidden = false;
        showError('Không kết nối được máy chủ. Vui lòng thử lại.', 'Could not reach the server. Please try again.');
      });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var secret = input.value.trim();
    if (!secret) return input.focus();
    history.replaceState(null, '', '#' + encodeURIComponent(secret));
    track(secret);
  });

  var fromAddress = decodeURIComponent(location.hash.replace(/^#/, ''));
  if (fromAddress) {
    input.value = fromAddress;
    track(fromAddress);
  } else {
    form.hidden = false;
    input.focus();
  }
})();
`;
