// lure dashboard: keyboard shortcuts and small conveniences. Loaded from
// 'self' only; the pages work without it.
(function () {
  'use strict';
  var rows = [];
  var cur = -1;

  function typing(e) {
    var t = e.target;
    return t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
  }

  function select(i) {
    if (!rows.length) return;
    if (cur >= 0 && rows[cur]) rows[cur].classList.remove('selected');
    cur = Math.max(0, Math.min(rows.length - 1, i));
    rows[cur].classList.add('selected');
    rows[cur].scrollIntoView({ block: 'nearest' });
  }

  function open() {
    if (cur < 0) return;
    var href = rows[cur].getAttribute('data-href');
    if (href && href.charAt(0) === '/' && href.charAt(1) !== '/') window.location.assign(href);
  }

  function toggleHelp(show) {
    var h = document.getElementById('help');
    if (h) h.hidden = show === undefined ? !h.hidden : !show;
  }

  document.addEventListener('DOMContentLoaded', function () {
    rows = Array.prototype.slice.call(document.querySelectorAll('.row[data-href]'));
    var all = document.querySelector('.tick-all');
    if (all) {
      all.addEventListener('change', function () {
        document.querySelectorAll('input[name=id]').forEach(function (c) { c.checked = all.checked; });
      });
    }
    document.querySelectorAll('form.danger-confirm').forEach(function (f) {
      f.addEventListener('submit', function (e) { if (!window.confirm('Are you sure?')) e.preventDefault(); });
    });
  });

  document.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      var btn = document.querySelector('[data-submit]');
      if (btn) { e.preventDefault(); btn.form.requestSubmit(btn); }
      return;
    }
    if (e.key === 'Escape') { toggleHelp(false); if (typing(e)) e.target.blur(); return; }
    if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    switch (e.key) {
      case 'j': select(cur + 1); break;
      case 'k': select(cur - 1); break;
      case 'o': case 'Enter': if (cur >= 0) { e.preventDefault(); open(); } break;
      case 'x':
        if (cur >= 0) {
          var c = rows[cur].querySelector('input[name=id]');
          if (c) c.checked = !c.checked;
        }
        break;
      case '?': toggleHelp(); break;
      default:
        var el = document.querySelector('[data-key="' + (e.key === '"' ? '' : e.key) + '"]');
        if (!el) return;
        e.preventDefault();
        if (el.tagName === 'A') { el.click(); return; }
        if (el.type === 'radio' || el.type === 'checkbox') {
          el.checked = true;
          var note = el.form && el.form.querySelector('textarea');
          if (note) note.focus();
          return;
        }
        el.focus();
    }
  });
})();
