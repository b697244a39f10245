// runa inspector: everything talks to this server only (the page's Content-Security-Policy says so).
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const SCORES = ['maxsim', 'mcm_t1', 'mcm_t0.01', 'sum', 'energy_t0.01'];
  const COLORS = { id: '#2e7d32', ood: '#c62828', none: '#1565c0', err: '#9e9e9e', draft: '#f9a825' };
  // dets[i]: what the server's object detector said about box i ({label, confidence, category_id}),
  // null for a box drawn or pasted by hand.
  const state = { info: null, file: null, img: null, scale: 1, boxes: [], dets: [], results: null,
                  selected: -1, sortKey: 'index', sortDir: 1, drag: null };

  function hasDetector() { return !!(state.info && state.info.detector); }

  function showError(msg) {
    const e = $('error');
    e.textContent = msg;
    e.hidden = !msg;
  }

  function status(msg) { $('status').textContent = msg || ''; }

  async function readError(resp) {
    const text = await resp.text();
    try {
      const j = JSON.parse(text);
      return 'HTTP ' + resp.status + ': ' + j.error + (j.field ? ' (field: ' + j.field + ')' : '');
    } catch (e) {
      return 'HTTP ' + resp.status + ': ' + (text || resp.statusText);
    }
  }

  async function loadInfo() {
    try {
      const r = await fetch('/v1/info');
      if (!r.ok) throw new Error(await readError(r));
      state.info = await r.json();
      const cal = state.info.calibration;
      const det = state.info.detector;
      $('model').textContent = state.info.model + ' · ' + state.info.precision + ' · ' +
        state.info.classes.length + ' classes · lambda ' + state.info.lambda + ' · ' +
        (cal ? 'OOD if ' + cal.score + ' < ' + cal.threshold.toFixed(4) : 'no calibration') +
        (det ? ' · detector ' + det.file + ' (' + det.format + ', conf > ' + det.conf + ')' : '');
      // The detect button and the detector's columns exist only where /v1/detect does.
      document.querySelectorAll('.det').forEach((e) => { if (det) e.hidden = false; else e.remove(); });
      table();
    } catch (e) {
      showError('Cannot read /v1/info: ' + e.message);
    }
  }

  function decision(r) {
    if (!r || r.scores === null) return 'err';
    if (r.ood === true) return 'ood';
    if (r.ood === false) return 'id';
    return 'none';
  }

  function loadFile(file) {
    if (!file) return;
    showError('');
    if (!file.type.startsWith('image/') && file.type !== '') {
      showError(file.name + ' is not an image (' + file.type + ')');
      return;
    }
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      state.file = file; state.img = img; state.boxes = []; state.dets = []; state.results = null; state.selected = -1;
      $('stage').hidden = false;
      $('score').disabled = false; $('clear').disabled = false;
      if ($('detect')) $('detect').disabled = false;
      layout(); render(); table(); sims();
      status(file.name + ': ' + img.naturalWidth + 'x' + img.naturalHeight);
    };
    img.onerror = () => showError('The browser cannot display ' + file.name + '; the server may still read it.');
    img.src = url;
  }

  function layout() {
    const c = $('canvas');
    const maxW = Math.max(320, $('left').clientWidth - 4);
    state.scale = Math.min(1, maxW / state.img.naturalWidth);
    c.width = Math.round(state.img.naturalWidth * state.scale);
    c.height = Math.round(state.img.naturalHeight * state.scale);
  }

  function render() {
    const c = $('canvas');
    const g = c.getContext('2d');
    if (!state.img) return;
    g.drawImage(state.img, 0, 0, c.width, c.height);
    const s = state.scale;
    state.boxes.forEach((b, i) => {
      const r = state.results ? state.results[i] : null;
      const kind = r ? decision(r) : 'draft';
      g.lineWidth = i === state.selected ? 4 : 2;
      g.strokeStyle = COLORS[kind];
      g.setLineDash(kind === 'err' ? [6, 4] : []);
      g.strokeRect(b[0] * s, b[1] * s, (b[2] - b[0]) * s, (b[3] - b[1]) * s);
      g.setLineDash([]);
      const det = state.dets[i];
      const label = '#' + i + (det ? ' ' + det.label + ' ' + det.confidence.toFixed(2)
                                   : (r && r.best_class ? ' ' + r.best_class : ''));
      g.font = '12px sans-serif';
      const w = g.measureText(label).width + 6;
      g.fillStyle = COLORS[kind];
      g.fillRect(b[0] * s, Math.max(0, b[1] * s - 16), w, 16);
      g.fillStyle = '#fff';
      g.fillText(label, b[0] * s + 3, Math.max(12, b[1] * s - 4));
    });
    if (state.drag && state.drag.moved) {
      const d = state.drag;
      g.strokeStyle = COLORS.draft; g.lineWidth = 2;
      g.strokeRect(Math.min(d.x0, d.x1), Math.min(d.y0, d.y1), Math.abs(d.x1 - d.x0), Math.abs(d.y1 - d.y0));
    }
  }

  function canvasPoint(ev) {
    const rect = $('canvas').getBoundingClientRect();
    const k = $('canvas').width / rect.width;
    return [(ev.clientX - rect.left) * k, (ev.clientY - rect.top) * k];
  }

  function onDown(ev) {
    if (!state.img) return;
    const [x, y] = canvasPoint(ev);
    state.drag = { x0: x, y0: y, x1: x, y1: y, moved: false };
  }

  function onMove(ev) {
    if (!state.drag) return;
    const [x, y] = canvasPoint(ev);
    state.drag.x1 = x; state.drag.y1 = y;
    state.drag.moved = Math.abs(x - state.drag.x0) + Math.abs(y - state.drag.y0) > 3;
    render();
  }

  function onUp(ev) {
    if (!state.drag) return;
    const d = state.drag;
    state.drag = null;
    const s = state.scale;
    if (!d.moved) { // a click selects the smallest box under the pointer
      const [x, y] = [d.x0 / s, d.y0 / s];
      let best = -1, area = Infinity;
      state.boxes.forEach((b, i) => {
        const a = (b[2] - b[0]) * (b[3] - b[1]);
        if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3] && a < area) { best = i; area = a; }
      });
      select(best);
      return;
    }
    const W = state.img.naturalWidth, H = state.img.naturalHeight;
    const clamp = (v, hi) => Math.max(0, Math.min(hi, Math.round(v * 10) / 10));
    state.boxes.push([clamp(Math.min(d.x0, d.x1) / s, W), clamp(Math.min(d.y0, d.y1) / s, H),
                      clamp(Math.max(d.x0, d.x1) / s, W), clamp(Math.max(d.y0, d.y1) / s, H)]);
    state.dets.push(null);
    score();
  }

  function parsePasted() {
    const text = $('paste').value.trim();
    if (!text) throw new Error('nothing pasted');
    let v;
    try { v = JSON.parse(text); } catch (e) { throw new Error('not JSON: ' + e.message); }
    if (!Array.isArray(v)) v = [v];
    const want = $('imageId').value.trim();
    const out = [];
    v.forEach((b, i) => {
      if (Array.isArray(b)) {
        if (b.length !== 4 || !b.every(Number.isFinite)) throw new Error('entry ' + i + ' is not [x1, y1, x2, y2]');
        out.push(b.slice());
      } else if (b && Array.isArray(b.bbox) && b.bbox.length === 4) {
        if (want && String(b.image_id) !== want) return;
        const [x, y, w, h] = b.bbox;
        out.push([x, y, x + w, y + h]);
      } else {
        throw new Error('entry ' + i + ' is neither [x1, y1, x2, y2] nor a COCO result with "bbox"');
      }
    });
    return out;
  }

  async function score() {
    if (!state.file) { showError('Choose an image first.'); return; }
    showError('');
    if (state.boxes.length === 0) { state.results = null; render(); table(); sims(); return; }
    const form = new FormData();
    form.append('image', state.file, state.file.name || 'image');
    form.append('boxes', JSON.stringify(state.boxes));
    status('scoring ' + state.boxes.length + ' boxes…');
    try {
      const r = await fetch('/v1/score', { method: 'POST', body: form });
      if (!r.ok) throw new Error(await readError(r));
      const body = await r.json();
      state.results = body.boxes;
      status(body.boxes.length + ' boxes scored in ' + body.ms.toFixed(1) + ' ms');
      if (state.selected < 0 || state.selected >= state.boxes.length) state.selected = state.boxes.length - 1;
    } catch (e) {
      state.results = null;
      status('');
      showError('Scoring failed: ' + e.message);
    }
    render(); table(); sims();
  }

  // The server's detector finds the boxes and RUNA scores them in one request (POST /v1/detect);
  // they replace the boxes on the image.
  async function detect() {
    if (!state.file) { showError('Choose an image first.'); return; }
    showError('');
    const form = new FormData();
    form.append('image', state.file, state.file.name || 'image');
    status('detecting…');
    try {
      const r = await fetch('/v1/detect', { method: 'POST', body: form });
      if (!r.ok) throw new Error(await readError(r));
      const body = await r.json();
      state.boxes = body.boxes.map((b) => b.box.slice());
      state.dets = body.boxes.map((b) => ({ label: b.label, confidence: b.confidence, category_id: b.category_id }));
      state.results = body.boxes;
      state.selected = body.boxes.length > 0 ? 0 : -1;
      const ood = body.boxes.filter((b) => b.ood === true).length;
      status(body.boxes.length + ' objects detected and scored in ' + body.ms.toFixed(1) + ' ms' +
        (state.info && state.info.calibration ? ', ' + ood + ' OOD' : ''));
    } catch (e) {
      status('');
      showError('Detection failed: ' + e.message);
    }
    render(); table(); sims();
  }

  function fmt(v) { return v === null || v === undefined ? '–' : Number(v).toFixed(4); }

  function table() {
    const body = $('rows');
    body.textContent = '';
    const rows = state.boxes.map((b, i) => {
      const r = state.results ? state.results[i] : null;
      const det = state.dets[i];
      const o = { index: i, best_class: r ? r.best_class : null, decision: r ? decision(r) : 'draft', error: r ? r.error : null,
                  label: det ? det.label : null, confidence: det ? det.confidence : null };
      SCORES.forEach((k) => { o[k] = r && r.scores ? r.scores[k] : null; });
      return o;
    });
    const k = state.sortKey, dir = state.sortDir;
    rows.sort((a, b) => {
      const x = a[k], y = b[k];
      if (x === y) return a.index - b.index;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * dir;
    });
    rows.forEach((o) => {
      const tr = document.createElement('tr');
      tr.dataset.index = o.index;
      if (o.index === state.selected) tr.className = 'selected';
      const detCells = hasDetector() ? [o.label || '', fmt(o.confidence)] : [];
      const cells = [String(o.index)].concat(detCells).concat([o.best_class || (o.error ? 'error' : '')])
        .concat(SCORES.map((s) => fmt(o[s])))
        .concat([o.error ? o.error : { id: 'ID', ood: 'OOD', none: 'no calibration', draft: 'not scored', err: 'error' }[o.decision]]);
      cells.forEach((text, c) => {
        const td = document.createElement('td');
        td.textContent = text;
        if (c === 1 + detCells.length || c === cells.length - 1 || (detCells.length && c === 1)) td.className = 'text';
        tr.appendChild(td);
      });
      tr.addEventListener('click', () => select(o.index));
      body.appendChild(tr);
    });
    document.querySelectorAll('#table th').forEach((th) => {
      th.classList.toggle('asc', th.dataset.key === k && dir > 0);
      th.classList.toggle('desc', th.dataset.key === k && dir < 0);
    });
  }

  function select(i) {
    state.selected = i;
    render(); table(); sims();
  }

  function sims() {
    const box = $('sims');
    box.textContent = '';
    const r = state.results && state.selected >= 0 ? state.results[state.selected] : null;
    if (!r) { box.textContent = 'Select a scored box (click its row or the box).'; return; }
    $('simTitle').textContent = 'Per-class similarity of box #' + state.selected;
    if (!r.similarities) { box.textContent = 'Not scored: ' + (r.error || 'unknown reason'); return; }
    const classes = state.info ? state.info.classes : r.similarities.map((_, i) => 'class ' + i);
    const lo = Math.min(0, ...r.similarities), hi = Math.max(...r.similarities, 1e-9);
    const kind = decision(r);
    r.similarities.map((v, i) => [v, i]).sort((a, b) => b[0] - a[0]).forEach(([v, i]) => {
      const row = document.createElement('div');
      row.className = 'sim' + (classes[i] === r.best_class ? ' best' : '');
      const label = document.createElement('span'); label.className = 'label'; label.textContent = classes[i];
      const track = document.createElement('span'); track.className = 'track';
      const bar = document.createElement('span'); bar.className = 'bar ' + (kind === 'err' ? 'none' : kind);
      bar.style.display = 'block';
      bar.style.width = (100 * (v - lo) / (hi - lo)).toFixed(1) + '%';
      track.appendChild(bar);
      const value = document.createElement('span'); value.className = 'value'; value.textContent = v.toFixed(4);
      row.append(label, track, value);
      box.appendChild(row);
    });
  }

  function init() {
    $('file').addEventListener('change', (e) => loadFile(e.target.files[0]));
    const drop = $('drop');
    drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault(); drop.classList.remove('over');
      loadFile(e.dataTransfer.files[0]);
    });
    const c = $('canvas');
    c.addEventListener('mousedown', onDown);
    window.addEventListener('mousemove', onMove);
    window.addEventListener('mouseup', onUp);
    $('score').addEventListener('click', score);
    $('detect').addEventListener('click', detect);
    $('clear').addEventListener('click', () => { state.boxes = []; state.dets = []; state.results = null; state.selected = -1; render(); table(); sims(); });
    $('usePaste').addEventListener('click', () => {
      try {
        showError('');
        state.boxes = parsePasted(); state.dets = state.boxes.map(() => null); state.results = null; state.selected = -1;
        score();
      } catch (e) { showError('Pasted boxes: ' + e.message); }
    });
    document.querySelectorAll('#table th').forEach((th) => th.addEventListener('click', () => {
      const k = th.dataset.key;
      state.sortDir = state.sortKey === k ? -state.sortDir : (k === 'index' || k === 'best_class' || k === 'label' ? 1 : -1);
      state.sortKey = k;
      table();
    }));
    window.addEventListener('resize', () => { if (state.img) { layout(); render(); } });
    window.addEventListener('error', (e) => showError('Page error: ' + e.message));
    window.addEventListener('unhandledrejection', (e) => showError('Page error: ' + e.reason));
    loadInfo();
  }

  init();
})();
