// Foxhound console: lists investigations, starts one, and follows its event stream live. Plain
// browser JavaScript over the public API; the API key stays in this tab's sessionStorage. Every value
// from the API is inserted as text, never as HTML.
(function () {
  'use strict';

  const $ = (selector) => document.querySelector(selector);
  const state = { key: sessionStorage.getItem('foxhound-key') || '', selected: null, stream: null };

  function headers(extra) {
    const h = Object.assign({}, extra);
    if (state.key) h['x-api-key'] = state.key;
    return h;
  }

  async function api(path, options) {
    const response = await fetch(
      path,
      Object.assign({}, options, { headers: headers(options && options.headers) }),
    );
    const body = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) throw new Error((body && body.detail) || 'HTTP ' + response.status);
    return body;
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === 'class') node.className = value;
      else node.setAttribute(name, value);
    }
    for (const child of [].concat(children || [])) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const ago = (iso) => {
    const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
    if (seconds < 90) return seconds + ' s ago';
    if (seconds < 5400) return Math.round(seconds / 60) + ' min ago';
    return new Date(iso).toLocaleString();
  };
  const ref = (r) => (r ? r.kind + ' ' + (r.namespace ? r.namespace + '/' : '') + r.name : '');

  async function loadList() {
    const error = $('#list-error');
    try {
      const page = await api('/v1/investigations?limit=50');
      error.hidden = true;
      const rows = page.items.map((inv) => {
        const row = el('tr', { 'data-id': inv.id }, [
          el('td', {}, el('span', { class: 'status ' + inv.status }, inv.status)),
          el('td', {}, [inv.title, el('div', { class: 'small' }, inv.rootCause || inv.threadId)]),
          el('td', { class: 'small' }, ago(inv.createdAt)),
        ]);
        if (inv.id === state.selected) row.classList.add('selected');
        row.addEventListener('click', () => select(inv.id));
        return row;
      });
      $('#investigations tbody').replaceChildren(...rows);
    } catch (err) {
      error.textContent = err.message + (state.key ? '' : ' (enter an API key above)');
      error.hidden = false;
    }
  }

  function renderReport(report) {
    const box = $('#report');
    if (!report) return box.replaceChildren();
    const parts = [
      el('div', { class: 'rootcause' + (report.healthy ? ' healthy' : '') }, [
        el('strong', {}, report.healthy ? 'Nothing is wrong' : 'Root cause'),
        el('div', {}, report.rootCause),
        el(
          'div',
          { class: 'small' },
          'confidence ' +
            Math.round(report.confidence * 100) +
            '%' +
            (report.affected ? ' · ' + ref(report.affected) : ''),
        ),
      ]),
      el('p', {}, report.summary),
    ];
    if (report.evidence.length) {
      parts.push(el('h3', {}, 'Evidence'));
      parts.push(
        el(
          'ul',
          {},
          report.evidence
            .slice(0, 8)
            .map((e) => el('li', {}, [e.source + ': ', el('span', { class: 'evidence' }, e.excerpt)])),
        ),
      );
    }
    if (report.blastRadius.length)
      parts.push(el('p', { class: 'small' }, 'Blast radius: ' + report.blastRadius.map(ref).join(', ')));
    if (report.proposals.length) {
      parts.push(el('h3', {}, 'Proposed actions (nothing changes until a human approves)'));
      for (const p of report.proposals) {
        parts.push(
          el('div', { class: 'proposal' }, [
            el('strong', {}, p.action.type + ' ' + p.action.namespace + '/' + p.action.name),
            ' ',
            el('span', { class: 'risk-' + p.risk }, 'risk ' + p.risk),
            el('div', {}, p.summary),
            el('div', { class: 'small' }, 'Expected: ' + p.expectedEffect),
            el('div', { class: 'small' }, 'Rollback: ' + p.rollback.description),
          ]),
        );
      }
    }
    if (report.notChecked.length)
      parts.push(el('p', { class: 'small' }, 'Not checked: ' + report.notChecked.join('; ')));
    box.replaceChildren(...parts);
  }

  function describeEvent(event) {
    const d = event.data;
    switch (event.type) {
      case 'session':
        return 'thread ' + d.thread_id + ', sandbox ' + d.sandbox_id + (d.reused ? ' (reused)' : '');
      case 'thought':
        return d.text;
      case 'tool_start':
        return '→ ' + d.name + ' ' + (d.summary || '');
      case 'tool_end':
        return (d.success ? '✓ ' : '✗ ') + d.name + ' ' + (d.error || d.summary || '');
      case 'finding':
        return d.severity.toUpperCase() + ' ' + ref(d.object) + ': ' + d.symptom + ' — ' + d.cause;
      case 'proposal':
        return (
          d.action.type +
          ' ' +
          d.action.namespace +
          '/' +
          d.action.name +
          ' (risk ' +
          d.risk +
          '): ' +
          d.summary
        );
      case 'action_update':
        return d.proposal_id + ' → ' + d.state;
      case 'result':
        return d.subtype + (d.provider ? ' (' + d.provider + ')' : '');
      case 'error':
        return d.message;
      default:
        return '';
    }
  }

  // Reads an SSE response body with fetch (EventSource cannot send the API key header).
  async function follow(id, controller) {
    const response = await fetch('/v1/investigations/' + encodeURIComponent(id) + '/events', {
      headers: headers(),
      signal: controller.signal,
    });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let boundary;
      while ((boundary = buffer.indexOf('\n\n')) !== -1) {
        const frame = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const data = frame
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        if (data) addEvent(JSON.parse(data));
      }
    }
  }

  function addEvent(event) {
    const nested = event.data && event.data.parent_tool_use_id;
    const item = el('li', { class: nested ? 'nested' : '' }, [
      el('span', { class: 'kind ' + event.type }, event.type.replace('_', ' ')),
      el('span', {}, describeEvent(event)),
    ]);
    $('#events').append(item);
    if (event.type === 'result' || event.type === 'error')
      setTimeout(() => {
        refreshDetail();
        loadList();
      }, 300);
  }

  async function refreshDetail() {
    if (!state.selected) return;
    const inv = await api('/v1/investigations/' + encodeURIComponent(state.selected));
    $('#detail-title').textContent = inv.title;
    $('#detail-meta').textContent =
      inv.status +
      ' · thread ' +
      inv.threadId +
      ' · ' +
      ago(inv.createdAt) +
      (inv.durationMs ? ' · ' + (inv.durationMs / 1000).toFixed(1) + ' s' : '') +
      (inv.provider ? ' · ' + inv.provider : '') +
      // Token figures only mean something when a model was called (the offline engine calls none).
      (inv.usage && inv.usage.modelCalls > 0
        ? ' · ' +
          (inv.usage.inputTokens + inv.usage.outputTokens) +
          ' tokens, $' +
          inv.usage.costUsd.toFixed(4)
        : '');
    renderReport(inv.report);
  }

  async function select(id) {
    if (state.stream) state.stream.abort();
    state.selected = id;
    if (location.hash.slice(1) !== id) history.replaceState(null, '', '#' + encodeURIComponent(id));
    $('#detail-hint').hidden = true;
    $('#detail').hidden = false;
    $('#events').replaceChildren();
    document
      .querySelectorAll('#investigations tr')
      .forEach((tr) => tr.classList.toggle('selected', tr.dataset.id === id));
    await refreshDetail().catch((err) => ($('#detail-meta').textContent = err.message));
    state.stream = new AbortController();
    follow(id, state.stream).catch((err) => {
      if (err.name !== 'AbortError') addEvent({ type: 'error', data: { message: err.message } });
    });
  }

  $('#key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    state.key = $('#api-key').value.trim();
    sessionStorage.setItem('foxhound-key', state.key);
    $('#api-key').value = '';
    loadList();
  });

  $('#start-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const namespaces = $('#namespaces')
      .value.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    try {
      const created = await api('/v1/investigations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          prompt: $('#prompt').value,
          namespaces: namespaces.length ? namespaces : undefined,
        }),
      });
      $('#prompt').value = '';
      await loadList();
      select(created.id);
    } catch (err) {
      $('#list-error').textContent = err.message;
      $('#list-error').hidden = false;
    }
  });

  // `/console/#<investigation id>` opens that investigation: a link an on-call engineer can share.
  window.addEventListener('hashchange', () => {
    if (location.hash.length > 1) select(decodeURIComponent(location.hash.slice(1)));
  });

  loadList().then(() => {
    if (location.hash.length > 1) select(decodeURIComponent(location.hash.slice(1)));
  });
  setInterval(loadList, 10000);
})();
